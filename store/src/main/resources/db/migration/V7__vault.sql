-- The customer vault (docs/design/vault.md): per customer the wrapped data keyset and the sealed
-- commitment salt; per field the ciphertext; the blind index for exact-match lookup. Nothing here
-- opens without the key-encryption key, which never enters the database. Customer ids sort in
-- byte order (COLLATE "C"), the order the Java side uses.

-- One row per customer ever stored. Erasure (crypto-shredding) destroys the key material and keeps
-- the row as a tombstone (id and erased_at), so an erased customer is never silently re-created.
-- version increases at every field update and key replacement (optimistic concurrency).
CREATE TABLE vault_customer (
  customer       text COLLATE "C" PRIMARY KEY CHECK (customer ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$'),
  version        bigint      NOT NULL CHECK (version >= 1),
  -- The KEK that wrapped the keyset (its id, never the key).
  kek_id         integer     CHECK (kek_id >= 1),
  -- Tink EncryptedKeyset protobuf: the keyset encrypted under the KEK, bound to the customer id.
  wrapped_keyset bytea       CHECK (length(wrapped_keyset) BETWEEN 32 AND 16384),
  -- 32-byte salt under the keyset's primary key: Tink prefix (0x01 + 4-byte key id), 12-byte nonce, 32, 16-byte tag.
  sealed_salt    bytea       CHECK (length(sealed_salt) = 5 + 12 + 32 + 16 AND get_byte(sealed_salt, 0) = 1),
  rotating       boolean     NOT NULL DEFAULT false,
  keys_made_at   timestamptz,
  created_at     timestamptz NOT NULL,
  erased_at      timestamptz,
  -- Live: all key material present. Erased: none of it, and no rotation under way.
  CHECK ((erased_at IS NULL) = (kek_id IS NOT NULL)
     AND (erased_at IS NULL) = (wrapped_keyset IS NOT NULL)
     AND (erased_at IS NULL) = (sealed_salt IS NOT NULL)
     AND (erased_at IS NULL) = (keys_made_at IS NOT NULL)),
  CHECK (erased_at IS NULL OR NOT rotating)
);

-- The rotation job's three questions: whose keys are older than the cutoff, whose rotation is
-- under way, whose keyset is wrapped by an older KEK.
CREATE INDEX vault_customer_keys_made_at ON vault_customer (keys_made_at, customer)
  WHERE erased_at IS NULL AND NOT rotating;
CREATE INDEX vault_customer_rotating ON vault_customer (customer) WHERE rotating;
CREATE INDEX vault_customer_kek ON vault_customer (kek_id, customer) WHERE erased_at IS NULL;

-- One row per stored field: the Tink AES-256-GCM ciphertext (prefix 0x01 + key id, nonce, tag),
-- the data key it is under, a keyed digest of the plaintext (HMAC-SHA256 under a key derived from
-- the customer's salt, so it says nothing without that salt) and a version for compare-and-set.
CREATE TABLE vault_field (
  customer   text COLLATE "C" NOT NULL REFERENCES vault_customer (customer),
  field      text   NOT NULL CHECK (field ~ '^[a-z][a-z0-9_]{0,63}$'),
  ciphertext bytea  NOT NULL CHECK (length(ciphertext) BETWEEN 5 + 12 + 16 AND 5 + 12 + 65536 + 16
                                    AND get_byte(ciphertext, 0) = 1),
  key_id     integer NOT NULL,
  digest     bytea  NOT NULL CHECK (length(digest) = 32),
  version    bigint NOT NULL CHECK (version >= 1),
  PRIMARY KEY (customer, field)
);

-- Blind index: HMAC-SHA256 under the blind-index key of a normalised e-mail, phone or government
-- id. Equal values of two customers have equal entries (that is what makes lookup work); the
-- values themselves are not here.
CREATE TABLE vault_blind_index (
  kind     text  NOT NULL CHECK (kind IN ('email', 'phone', 'government-id')),
  hmac     bytea NOT NULL CHECK (length(hmac) = 32),
  customer text COLLATE "C" NOT NULL REFERENCES vault_customer (customer),
  PRIMARY KEY (kind, hmac, customer)
);

CREATE INDEX vault_blind_index_by_customer ON vault_blind_index (customer, kind);
