-- The human behind a staff account (docs/design/approvals.md, "Separation of duties"): accounts an
-- administrator linked to one person key count as one person for approvals. NULL: the account is
-- its own person.
ALTER TABLE staff ADD COLUMN person text CHECK (length(person) BETWEEN 1 AND 128);
CREATE INDEX staff_person ON staff (person) WHERE person IS NOT NULL;
