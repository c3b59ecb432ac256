-- The identity of this Custos installation and the record of every start, so an operator (and
-- the restart tests) can see that the data survived.
CREATE TABLE installation (
  singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
  id          uuid        NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE server_start (
  seq         bigserial   PRIMARY KEY,
  started_at  timestamptz NOT NULL,
  version     text        NOT NULL CHECK (length(version) BETWEEN 1 AND 64)
);
