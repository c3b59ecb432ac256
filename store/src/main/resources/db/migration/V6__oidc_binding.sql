-- Single sign-on (docs/design/oidc.md): which staff id each identity at the OpenID provider stands
-- for. The pair (issuer, subject) is the provider's stable, never reassigned name for a person; it is
-- bound to a staff id at the first SSO login and never changed by a later one, so a renamed account
-- at the provider cannot log in as another member of staff. One pair per staff id and one staff id
-- per pair (two unique keys). No foreign key to staff: the binding is taken before the account is
-- provisioned at a first login, so that two first logins racing for one name cannot both win.
-- Rows are never deleted by Custos: a binding is part of the audit.
CREATE TABLE oidc_binding (
  issuer   text        NOT NULL CHECK (length(issuer) BETWEEN 1 AND 2048),
  subject  text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
  staff    text        NOT NULL UNIQUE CHECK (staff ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  bound_at timestamptz NOT NULL,
  PRIMARY KEY (issuer, subject)
);

-- The periodic purge of login-attempt state looks for old rows.
CREATE INDEX login_attempt_account_last ON login_attempt_account (last_attempt);
CREATE INDEX login_attempt_address_refilled ON login_attempt_address (refilled_at);
