-- WebAuthn credentials of staff (docs/design/webauthn.md): the public key and state Custos needs to
-- verify assertions; the private key never leaves the authenticator. A credential id is unique
-- across all staff. Removal is a delete: the ledger records who removed which credential.
CREATE TABLE webauthn_credential (
  credential_id    bytea       PRIMARY KEY CHECK (length(credential_id) BETWEEN 1 AND 1023),
  staff            text        NOT NULL CHECK (staff ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  user_handle      bytea       NOT NULL CHECK (length(user_handle) BETWEEN 1 AND 64),
  public_key_cose  bytea       NOT NULL CHECK (length(public_key_cose) BETWEEN 1 AND 2048),
  -- Never lowered: updates are compare-and-set (WebAuthnCredentialTable.updateSignatureCount).
  signature_count  bigint      NOT NULL CHECK (signature_count BETWEEN 0 AND 4294967295),
  nickname         text        NOT NULL CHECK (length(nickname) BETWEEN 1 AND 64),
  transports       text[]      NOT NULL CHECK (cardinality(transports) <= 8),
  backup_eligible  boolean     NOT NULL,
  backed_up        boolean     NOT NULL,
  created_at       timestamptz NOT NULL,
  last_used_at     timestamptz
);

CREATE INDEX webauthn_credential_by_staff ON webauthn_credential (staff, created_at, credential_id);
CREATE INDEX webauthn_credential_by_user_handle ON webauthn_credential (user_handle);
