-- Service tokens of integrations. Only the SHA-256 of each token's secret is kept; the token text
-- is shown once at issue. Revocation is a column, never a delete, so the audit of who held which
-- token survives.
CREATE TABLE service_token (
  id            text        PRIMARY KEY CHECK (id ~ '^[a-z2-7]{16}$'),
  name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 63),
  scopes        text[]      NOT NULL CHECK (cardinality(scopes) >= 1),
  secret_sha256 bytea       NOT NULL CHECK (length(secret_sha256) = 32),
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
