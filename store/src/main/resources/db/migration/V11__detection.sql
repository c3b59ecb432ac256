-- Detection and containment (issue 6, docs/detection.md "Wiring").
--
-- alert: what the detector raised about a member of staff and how security works it. No customer data:
-- readings are counts and rates, one line per signal "<signal> <value> <own baseline> <peer baseline>
-- <surprise>". ledger_index is the custos.detection/v1 entry of the measure taken.
CREATE TABLE alert (
  id              text             PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
  staff           text             NOT NULL CHECK (length(staff) BETWEEN 1 AND 64),
  raised_at       timestamptz      NOT NULL,
  measure         text             NOT NULL CHECK (measure IN ('none', 'alert', 'step-up', 'throttle', 'suspend')),
  risk            double precision NOT NULL,
  readings        text             NOT NULL CHECK (length(readings) <= 4000),
  ledger_index    bigint           NOT NULL CHECK (ledger_index >= 0),
  status          text             NOT NULL CHECK (status IN ('open', 'acknowledged', 'closed')),
  acknowledged_by text             CHECK (acknowledged_by IS NULL OR length(acknowledged_by) BETWEEN 1 AND 64),
  assignee        text             CHECK (assignee IS NULL OR length(assignee) BETWEEN 1 AND 64),
  verdict         text             CHECK (verdict IS NULL OR verdict IN ('true-positive', 'false-positive', 'benign')),
  closed_by       text             CHECK (closed_by IS NULL OR length(closed_by) BETWEEN 1 AND 64),
  note            text             NOT NULL CHECK (length(note) <= 1000),
  updated_at      timestamptz      NOT NULL,
  CHECK ((status = 'closed') = (verdict IS NOT NULL))
);
CREATE INDEX alert_raised_at ON alert (raised_at DESC, ledger_index DESC);

-- customer_flag: facts detection needs about a customer that are not PII, computed at ingest from the
-- record (high_value: account_tier vip, or a balance worth at least the configured amount), so the
-- access path never decrypts a record to know them.
CREATE TABLE customer_flag (
  customer   text        PRIMARY KEY CHECK (length(customer) BETWEEN 1 AND 64),
  high_value boolean     NOT NULL,
  updated_at timestamptz NOT NULL
);

-- decoy_list: the ids of the decoy customers, sealed (AES-GCM) with the decoy key (<data>/keys/decoy.key);
-- one row per installation. Readable in clear only through the security route that opens it.
CREATE TABLE decoy_list (
  id         smallint    PRIMARY KEY CHECK (id = 1),
  sealed     bytea       NOT NULL,
  created_at timestamptz NOT NULL
);
