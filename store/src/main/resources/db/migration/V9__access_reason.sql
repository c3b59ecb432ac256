-- Reasons given for reveals and break-glass access, keyed by the ledger index of the access entry.
-- The ledger entry holds the SHA-256 of the text (custos.access/v1 member reason_sha256), so a row
-- altered here no longer matches the ledger. See docs/design/access-ledger.md.
CREATE TABLE access_reason (
  ledger_index bigint      PRIMARY KEY CHECK (ledger_index >= 0),
  staff        text        NOT NULL CHECK (length(staff) BETWEEN 1 AND 64),
  reason       text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  recorded_at  timestamptz NOT NULL
);
