-- Access (issue 5): tickets from the ticket system, investigation cases, the break-glass review
-- queue and the guardrail counters. See docs/design/access-policy.md. Identifiers follow the rule of
-- dev.custos.access.Ids; enumerations are lower-case text with a CHECK, like V3.

-- The newest state of each ticket the ticket system told us about. Written only by compare-and-set
-- on version (TicketTable.upsertIfNewer): never back in time, never after closed.
CREATE TABLE ticket (
  id               text        PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  requester        text        NOT NULL CHECK (requester ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  assignee         text        CHECK (assignee ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  status           text        NOT NULL CHECK (status IN ('new', 'open', 'pending', 'hold', 'solved', 'closed')),
  channel          text        NOT NULL CHECK (channel ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
  category         text        NOT NULL CHECK (category ~ '^[a-z0-9][a-z0-9_.:-]{0,63}$'),
  created_by_staff boolean     NOT NULL,
  updated_at       timestamptz NOT NULL,
  version          bigint      NOT NULL CHECK (version >= 1)
);

CREATE INDEX ticket_open_by_assignee ON ticket (assignee, updated_at DESC) WHERE status NOT IN ('solved', 'closed');

-- Investigation cases ("case" is a keyword). A case approved by its own lead cannot be stored.
CREATE TABLE access_case (
  id             text        PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  lead           text        NOT NULL CHECK (lead ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  title          text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  customers      text[]      NOT NULL CHECK (cardinality(customers) BETWEEN 1 AND 500),
  members        text[]      NOT NULL CHECK (cardinality(members) BETWEEN 1 AND 50 AND lead = ANY (members)),
  opened_at      timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  approved_by    text        CHECK (approved_by ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  approver_roles text[]      CHECK (approver_roles <@ ARRAY['support-l1', 'support-l2', 'kyc-reviewer', 'fraud-analyst',
                                                          'security-analyst', 'approver', 'admin', 'auditor']),
  approved_at    timestamptz,
  closed_at      timestamptz,
  CHECK (expires_at > opened_at),
  CONSTRAINT access_case_not_self_approved CHECK (approved_by <> lead),
  CHECK ((approved_by IS NULL) = (approved_at IS NULL) AND (approved_by IS NULL) = (approver_roles IS NULL))
);

CREATE INDEX access_case_members ON access_case USING gin (members);

-- Every break-glass access, pending until someone other than its user reviews it. Never deleted.
CREATE TABLE break_glass (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff       text        NOT NULL CHECK (staff ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  customer    text        NOT NULL CHECK (customer ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  reason      text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  at          timestamptz NOT NULL,
  reviewed_by text        CHECK (reviewed_by ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  justified   boolean,
  review_note text        CHECK (length(review_note) <= 1000),
  reviewed_at timestamptz,
  CONSTRAINT break_glass_not_self_reviewed CHECK (reviewed_by <> staff),
  CHECK ((reviewed_by IS NULL) = (reviewed_at IS NULL) AND (reviewed_by IS NULL) = (justified IS NULL)
         AND (reviewed_by IS NULL) = (review_note IS NULL))
);

CREATE INDEX break_glass_pending ON break_glass (id) WHERE reviewed_by IS NULL;
CREATE INDEX break_glass_by_staff ON break_glass (staff, at);

-- Guardrail counters: one row per use (subject NULL), or per distinct subject with its latest
-- sighting. Rows older than their quota's window are pruned by the next check of that quota.
-- Checks of one staff member serialise on a transaction-scoped advisory lock (QuotaTable).
CREATE TABLE quota_event (
  staff   text        NOT NULL CHECK (staff ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  quota   text        NOT NULL CHECK (quota ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  subject text        CHECK (length(subject) BETWEEN 1 AND 128),
  at      timestamptz NOT NULL
);

CREATE INDEX quota_event_window ON quota_event (staff, quota, at);
CREATE UNIQUE INDEX quota_event_distinct ON quota_event (staff, quota, subject) WHERE subject IS NOT NULL;
