-- Durable alert delivery (docs/detection.md, "Alert delivery"): one row per alert and destination
-- (webhook, ocsf, syslog), written when the alert is handed to the destination and updated after
-- every attempt, so alerts waiting for a destination that is down survive a restart.
--
-- owner is the process delivering it (a random id per start); it renews updated_at while the row
-- waits, and rows whose owner stopped renewing are taken over by a running process. seq keeps the
-- order alerts were raised in. Delivered and failed rows are kept as the delivery record.
CREATE TABLE alert_delivery (
  alert_id   text        NOT NULL REFERENCES alert (id),
  sink       text        NOT NULL CHECK (sink IN ('webhook', 'ocsf', 'syslog')),
  seq        bigserial   NOT NULL,
  state      text        NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts   integer     NOT NULL CHECK (attempts >= 0),
  owner      text        CHECK (owner IS NULL OR length(owner) BETWEEN 1 AND 64),
  last_error text        CHECK (last_error IS NULL OR length(last_error) <= 500),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (alert_id, sink)
);
CREATE INDEX alert_delivery_pending ON alert_delivery (sink, seq) WHERE state = 'pending';
