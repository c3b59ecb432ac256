-- Incident response (issue 8, docs/incident-response.md).
--
-- incident: a suspected leak by named staff in a window. title and notes are free text that may name
-- people: they live here only; the ledger's custos.incident/v1 entries carry their SHA-256. version is
-- bumped by every change; a change names the version it read (optimistic concurrency).
CREATE TABLE incident (
  id          text        PRIMARY KEY CHECK (id ~ '^inc-[0-9a-f]{16}$'),
  title       text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  notes       text        NOT NULL CHECK (length(notes) <= 4000),
  suspects    text        NOT NULL CHECK (length(suspects) BETWEEN 1 AND 6600),
  window_from timestamptz NOT NULL,
  window_to   timestamptz NOT NULL,
  status      text        NOT NULL CHECK (status IN ('open', 'contained', 'notifying', 'closed')),
  owner       text        CHECK (owner IS NULL OR length(owner) BETWEEN 1 AND 64),
  opened_by   text        NOT NULL CHECK (length(opened_by) BETWEEN 1 AND 64),
  opened_at   timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  version     bigint      NOT NULL CHECK (version >= 0),
  CHECK (window_from < window_to)
);
CREATE INDEX incident_opened_at ON incident (opened_at DESC, id);
CREATE INDEX incident_active ON incident (status) WHERE status <> 'closed';

-- incident_step: the timeline, one row per custos.incident/v1 entry about the incident. detail is
-- "key=value" lines without personal data; text is a step's free text (its digest is in the ledger).
CREATE TABLE incident_step (
  incident     text        NOT NULL REFERENCES incident (id),
  seq          bigserial   NOT NULL,
  at           timestamptz NOT NULL,
  by_actor     text        NOT NULL CHECK (length(by_actor) BETWEEN 1 AND 64),
  event        text        NOT NULL CHECK (length(event) BETWEEN 1 AND 40),
  detail       text        NOT NULL CHECK (length(detail) <= 4000),
  text         text        CHECK (text IS NULL OR length(text) <= 4000),
  ledger_index bigint      NOT NULL CHECK (ledger_index >= 0),
  PRIMARY KEY (incident, seq)
);

-- incident_notification: at most one notification per incident and customer (the primary key), with
-- the sender's state machine (docs/incident-response.md, "Notifications"). customer is the ledger
-- commitment; customer_id is kept so the sender can read the address from the vault when it sends.
-- error is a failure class (smtp-transient, smtp-rejected, no-address, ...), never a server message.
CREATE TABLE incident_notification (
  incident    text        NOT NULL CHECK (incident ~ '^inc-[0-9a-f]{16}$'),
  customer    text        NOT NULL CHECK (customer ~ '^[0-9a-f]{64}$'),
  customer_id text        NOT NULL CHECK (length(customer_id) BETWEEN 1 AND 64),
  seq         bigserial   NOT NULL,
  state       text        NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'retry', 'uncertain', 'failed',
                                                    'unreachable')),
  attempts    integer     NOT NULL CHECK (attempts >= 0),
  next_at     timestamptz NOT NULL,
  claimed_at  timestamptz,
  error       text        CHECK (error IS NULL OR length(error) <= 64),
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (incident, customer),
  CHECK ((state = 'sending') = (claimed_at IS NOT NULL))
);
CREATE INDEX incident_notification_due ON incident_notification (next_at) WHERE state IN ('pending', 'retry');
CREATE INDEX incident_notification_sending ON incident_notification (claimed_at) WHERE state = 'sending';
