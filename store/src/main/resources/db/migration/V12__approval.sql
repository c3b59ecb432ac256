-- Approvals (issue 7): four-eyes requests for sensitive actions and the facts of the withdrawal
-- policy. See docs/design/approvals.md. Identifiers follow dev.custos.access.Ids; enumerations are
-- lower-case text with a CHECK, like V3 and V8.

-- One row per request; every change is a compare-and-set on version (ApprovalTable.replace), so of
-- racing changes to one version exactly one is stored. The policy is copied in at creation: a later
-- change of configuration does not change what an open request needs.
CREATE TABLE approval_request (
  id                text        PRIMARY KEY CHECK (id ~ '^apr-[0-9a-f]{16,32}$'),
  action            text        NOT NULL CHECK (action ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
  customer          text        CHECK (customer ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  param_names       text[]      NOT NULL CHECK (cardinality(param_names) <= 32),
  param_values      text[]      NOT NULL CHECK (cardinality(param_values) = cardinality(param_names)),
  salt              text        NOT NULL CHECK (salt ~ '^[0-9a-f]{32}$'),
  binding_hash      text        NOT NULL CHECK (binding_hash ~ '^[0-9a-f]{64}$'),
  requester         text        NOT NULL CHECK (requester ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  requester_person  text        NOT NULL CHECK (length(requester_person) BETWEEN 1 AND 128),
  requester_team    text        CHECK (length(requester_team) BETWEEN 1 AND 64),
  conflicted        text[]      NOT NULL,
  required          integer     NOT NULL CHECK (required BETWEEN 1 AND 10),
  approver_roles    text[]      NOT NULL CHECK (cardinality(approver_roles) >= 1 AND approver_roles <@ ARRAY['support-l1',
                                  'support-l2', 'kyc-reviewer', 'fraud-analyst', 'security-analyst', 'approver', 'admin', 'auditor']),
  approver_teams    text[]      NOT NULL,
  distinct_team     boolean     NOT NULL,
  expiry_seconds    bigint      NOT NULL CHECK (expiry_seconds BETWEEN 60 AND 2592000),
  time_lock_seconds bigint      NOT NULL CHECK (time_lock_seconds BETWEEN 0 AND 2592000),
  notify_customer   boolean     NOT NULL,
  state             text        NOT NULL CHECK (state IN ('pending', 'approved', 'time-locked', 'executed', 'denied',
                                                          'cancelled', 'expired')),
  created_at        timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  approved_at       timestamptz,
  unlocks_at        timestamptz,
  closed_by         text        CHECK (length(closed_by) BETWEEN 1 AND 80),
  closed_at         timestamptz,
  note              text        CHECK (length(note) BETWEEN 1 AND 1000),
  version           bigint      NOT NULL CHECK (version >= 1),
  CHECK (expires_at > created_at),
  CONSTRAINT approval_request_quorum_stamped CHECK (state NOT IN ('approved', 'time-locked', 'executed')
                                                    OR (approved_at IS NOT NULL AND unlocks_at IS NOT NULL))
);

CREATE INDEX approval_request_by_state ON approval_request (state, created_at DESC);
CREATE INDEX approval_request_by_requester ON approval_request (requester, created_at DESC);

-- Approvals, each bound to the binding hash of the content its approver saw. Only the votes of the
-- request's current binding hash count; an edit changes the hash and so voids the others, which
-- stay as history. One person counts once per content (primary key); never the requester's person.
CREATE TABLE approval_vote (
  request      text        NOT NULL REFERENCES approval_request (id),
  binding_hash text        NOT NULL CHECK (binding_hash ~ '^[0-9a-f]{64}$'),
  person       text        NOT NULL CHECK (length(person) BETWEEN 1 AND 128),
  staff        text        NOT NULL CHECK (staff ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  roles        text[]      NOT NULL,
  at           timestamptz NOT NULL,
  position     integer     NOT NULL CHECK (position BETWEEN 0 AND 9),
  PRIMARY KEY (request, binding_hash, person)
);

-- Withdrawal addresses whitelisted through an executed approval; the first time counts.
CREATE TABLE withdrawal_whitelist (
  customer       text        NOT NULL CHECK (customer ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  asset          text        NOT NULL CHECK (asset ~ '^[A-Z0-9]{1,16}$'),
  destination    text        NOT NULL CHECK (length(destination) BETWEEN 1 AND 128),
  whitelisted_at timestamptz NOT NULL,
  PRIMARY KEY (customer, asset, destination)
);

-- Amounts that count towards velocity (allowed, or sent for approval), exact.
CREATE TABLE withdrawal_spend (
  customer text          NOT NULL CHECK (customer ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  asset    text          NOT NULL CHECK (asset ~ '^[A-Z0-9]{1,16}$'),
  amount   numeric(60, 18) NOT NULL CHECK (amount > 0),
  at       timestamptz   NOT NULL
);

CREATE INDEX withdrawal_spend_window ON withdrawal_spend (customer, asset, at);

-- Security changes of customer accounts (2FA reset, e-mail or phone change), from executed approvals.
CREATE TABLE account_security_change (
  customer text        NOT NULL CHECK (customer ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  kind     text        NOT NULL CHECK (kind ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
  at       timestamptz NOT NULL
);

CREATE INDEX account_security_change_recent ON account_security_change (customer, at);
