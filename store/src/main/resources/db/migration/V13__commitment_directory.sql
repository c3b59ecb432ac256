-- The customer directory (docs/incident-response.md, "Scope and the access index"): resolves a
-- ledger commitment to its customer for those entitled to know whom an incident touched.
-- commitment_tag is HMAC-SHA256 of the commitment under a key derived from the blind-index key
-- (never in the database), so a reader of the database without keys cannot link ledger entries,
-- which carry commitments, to customer ids. Filled by the server for every live customer (new ones
-- and those stored before this column existed); destroyed with the key material at erasure, so an
-- erased customer no longer resolves.
ALTER TABLE vault_customer ADD COLUMN commitment_tag bytea CHECK (length(commitment_tag) = 32);
ALTER TABLE vault_customer ADD CONSTRAINT vault_customer_erased_untagged CHECK (erased_at IS NULL OR commitment_tag IS NULL);

CREATE UNIQUE INDEX vault_customer_commitment_tag ON vault_customer (commitment_tag) WHERE commitment_tag IS NOT NULL;
-- The directory's catch-up: live customers without a tag yet.
CREATE INDEX vault_customer_untagged ON vault_customer (customer) WHERE commitment_tag IS NULL AND erased_at IS NULL;

-- Erasure (VaultTable.erase) sets erased_at; the tag goes with the key material in the same statement.
CREATE FUNCTION vault_customer_erase_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.erased_at IS NOT NULL THEN
    NEW.commitment_tag := NULL;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER vault_customer_erase_tag BEFORE UPDATE ON vault_customer
  FOR EACH ROW WHEN (NEW.erased_at IS NOT NULL) EXECUTE FUNCTION vault_customer_erase_tag();
