-- Staff identity: accounts, local credentials, TOTP replay, recovery codes, login throttling and
-- sessions. See docs/design/store-identity.md. Instants are timestamptz, written to the microsecond
-- (the adapters truncate finer parts). Enumerations are lower-case text with a CHECK, so a row
-- is readable without the Java enums and a wrong value is refused by the database itself.

-- Members of staff. Never deleted: the ledger and the audit refer to them by id.
CREATE TABLE staff (
  id                text        PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  display_name      text        NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  roles             text[]      NOT NULL CHECK (cardinality(roles) >= 1
                                  AND roles <@ ARRAY['agent', 'kyc', 'supervisor', 'security', 'auditor', 'admin']),
  team              text        CHECK (length(team) BETWEEN 1 AND 64),
  origin            text        NOT NULL CHECK (origin IN ('local', 'oidc')),
  status            text        NOT NULL CHECK (status IN ('active', 'suspended')),
  status_reason     text        CHECK (length(status_reason) BETWEEN 1 AND 500),
  status_changed_at timestamptz,
  created_at        timestamptz NOT NULL,
  CHECK ((status_reason IS NULL) = (status_changed_at IS NULL))
);

-- The credentials of local accounts, one row per account with a password. TOTP secrets are
-- sealed with AES-256-GCM (SecretBox: version 0x01, 12-byte nonce, ciphertext, 16-byte tag), the
-- associated data naming the account and the column, so a ciphertext copied to another row or
-- column does not open.
CREATE TABLE staff_credential (
  staff         text  PRIMARY KEY REFERENCES staff (id),
  password_hash text  NOT NULL CHECK (password_hash LIKE '$argon2id$%' AND length(password_hash) <= 512),
  totp_secret   bytea CHECK (length(totp_secret) BETWEEN 1 + 12 + 16 + 16 AND 1 + 12 + 128 + 16
                             AND get_byte(totp_secret, 0) = 1),
  totp_pending  bytea CHECK (length(totp_pending) BETWEEN 1 + 12 + 16 + 16 AND 1 + 12 + 128 + 16
                             AND get_byte(totp_pending, 0) = 1)
);

-- The highest TOTP time step used per account name (single use across instances). Keyed by name
-- without a foreign key, like the two tables after it: the login path records them for any name it
-- is given, and a name without an account must cost the same as one with.
CREATE TABLE totp_last_step (
  account text   PRIMARY KEY CHECK (length(account) BETWEEN 1 AND 64),
  step    bigint NOT NULL CHECK (step >= 0)
);

-- SHA-256 hashes of unused recovery codes; consuming a code deletes its row.
CREATE TABLE recovery_code (
  account text  NOT NULL CHECK (length(account) BETWEEN 1 AND 64),
  hash    bytea NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (account, hash)
);

-- Login throttling state, keyed by the opaque keys LoginThrottle makes (at most 80 characters).
CREATE TABLE login_attempt_account (
  key          text        PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 80),
  failures     integer     NOT NULL CHECK (failures >= 0),
  last_attempt timestamptz,
  locked_until timestamptz
);

CREATE TABLE login_attempt_address (
  key         text        PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 80),
  refilled_at timestamptz NOT NULL
);

-- Server-side sessions, keyed by the SHA-256 of the secret the browser holds
-- (SessionSecret.storageKey()), so this table opens no session. No foreign key to staff: the
-- session of an OIDC login under way names a placeholder until the provider answers.
CREATE TABLE staff_session (
  key            text        PRIMARY KEY CHECK (key ~ '^[A-Za-z0-9_-]{43}$'),
  handle         text        NOT NULL UNIQUE CHECK (handle ~ '^[A-Za-z0-9_-]{22}$'),
  staff          text        NOT NULL CHECK (staff ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  state          text        NOT NULL CHECK (state IN ('pending', 'active')),
  method         text        NOT NULL CHECK (length(method) BETWEEN 1 AND 64),
  created_at     timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  mfa_at         timestamptz,
  address        text        NOT NULL CHECK (length(address) <= 100),
  user_agent     text        NOT NULL CHECK (length(user_agent) <= 200),
  pending        text        NOT NULL CHECK (length(pending) <= 16384),
  revoked_at     timestamptz,
  revoked_reason text        CHECK (length(revoked_reason) BETWEEN 1 AND 64),
  CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);

-- Every request reads a session by key; suspension, "revoke all" and the list of one's sessions
-- look for the live sessions of one person.
CREATE INDEX staff_session_live ON staff_session (staff) WHERE revoked_at IS NULL;
