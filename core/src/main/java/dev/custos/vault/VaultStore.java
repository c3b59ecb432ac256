package dev.custos.vault;

import dev.custos.access.CustomerId;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Where the vault keeps its rows: per customer the wrapped data keyset, the sealed commitment salt
 * and a version; per field the ciphertext, the id of the data key it is under, a keyed digest of
 * the plaintext and a version; and the blind index. The store sees only ciphertexts, keyed hashes
 * and ids; it never holds a key that opens them.
 *
 * <h2>Contract (every implementation; {@code VaultStoreContract} in core's test-jar checks it)</h2>
 * <ul>
 *   <li>{@link #read} MUST return the customer row and its field rows from one consistent snapshot:
 *       never key material of one moment with fields of another (a reader racing a rotation would
 *       otherwise see a field under a key its keyset no longer holds).</li>
 *   <li>{@link #write} MUST apply each write entirely or not at all, all of them in one transaction;
 *       a write whose precondition fails (create of an existing customer, update of an erased one
 *       or of a stale version) MUST leave nothing of itself and is returned, the others are applied.</li>
 *   <li>A customer's version MUST increase by one at every applied {@link Update} and
 *       {@link #replaceKeys}, and at nothing else; a field's version increases at every write of
 *       that field, re-encryptions included. So a writer that read a customer at version v and
 *       writes at v knows nothing of the customer changed meanwhile.</li>
 *   <li>{@link #erase} MUST, in one transaction, destroy the wrapped keyset and the sealed salt,
 *       delete the customer's field and blind-index rows, and keep a tombstone (the id and when), so
 *       the customer stays erased: every later write to it fails its precondition.</li>
 *   <li>Every failure of the storage itself is an unchecked exception; nothing is silently dropped.</li>
 * </ul>
 * Implementations MUST be safe for concurrent use from many threads and processes.
 */
public interface VaultStore {

  /**
   * A customer's key material.
   *
   * @param kekId the id of the key-encryption key that wrapped the keyset
   * @param wrappedKeyset the customer's Tink keyset, encrypted under that KEK
   * @param sealedSalt the commitment salt, encrypted under the keyset's primary key
   * @param rotating whether a data-key rotation is under way (the keyset holds more than one key)
   * @param keysMadeAt when the keyset's primary key was made (whole microseconds)
   */
  record KeyMaterial(int kekId, byte[] wrappedKeyset, byte[] sealedSalt, boolean rotating, Instant keysMadeAt) {
    public KeyMaterial {
      Objects.requireNonNull(wrappedKeyset, "wrappedKeyset");
      Objects.requireNonNull(sealedSalt, "sealedSalt");
      Objects.requireNonNull(keysMadeAt, "keysMadeAt");
    }

    @Override
    public String toString() {
      return "KeyMaterial[kek=" + kekId + ", rotating=" + rotating + ", keysMadeAt=" + keysMadeAt + "]";
    }
  }

  /**
   * One stored field.
   *
   * @param keyId the id (within the customer's keyset) of the data key the ciphertext is under
   * @param digest keyed SHA-256 HMAC of the plaintext, 32 bytes, to skip unchanged re-imports
   * @param version 1 when written first, one more at each replacement
   */
  record StoredField(Field field, byte[] ciphertext, int keyId, byte[] digest, long version) {
    public StoredField {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(ciphertext, "ciphertext");
      Objects.requireNonNull(digest, "digest");
    }

    @Override
    public String toString() {
      return "StoredField[" + field + ", key=" + keyId + ", version=" + version + "]";
    }
  }

  /** What the store holds of one customer. */
  sealed interface StoredCustomer permits Live, Erased {
    CustomerId customer();
  }

  /**
   * A customer with key material.
   *
   * @param version increases at every update and key replacement
   * @param fields the requested fields that exist
   */
  record Live(CustomerId customer, long version, KeyMaterial keys, Map<Field, StoredField> fields)
      implements StoredCustomer {
    public Live {
      Objects.requireNonNull(customer, "customer");
      Objects.requireNonNull(keys, "keys");
      // A HashMap, not Map.copyOf: every masked read looks fields up here (copyOf's probing table cost
      // a tenth of the read path); it is still unmodifiable and refuses nulls.
      Map<Field, StoredField> copy = new HashMap<>(fields.size() * 2);
      fields.forEach((f, v) -> copy.put(Objects.requireNonNull(f, "field"), Objects.requireNonNull(v, "stored field")));
      fields = Collections.unmodifiableMap(copy);
    }
  }

  /** A customer erased at {@code erasedAt}: no key material, no fields, no index entries. */
  record Erased(CustomerId customer, Instant erasedAt) implements StoredCustomer {
    public Erased {
      Objects.requireNonNull(customer, "customer");
      Objects.requireNonNull(erasedAt, "erasedAt");
    }
  }

  /** A field to store: it replaces the field's row, or creates it with version 1. */
  record FieldWrite(Field field, byte[] ciphertext, int keyId, byte[] digest) {
    public FieldWrite {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(ciphertext, "ciphertext");
      Objects.requireNonNull(digest, "digest");
    }

    @Override
    public String toString() {
      return "FieldWrite[" + field + ", key=" + keyId + "]";
    }
  }

  /**
   * A change to one customer. {@code index} replaces, for each search key it names, every blind
   * index entry of that key for the customer (an empty list removes them); keys it does not name
   * keep their entries. Entries are 32-byte HMACs, distinct within a key.
   */
  sealed interface CustomerWrite permits Create, Update {
    CustomerId customer();

    List<FieldWrite> fields();

    Map<SearchKey, List<byte[]>> index();
  }

  /** Creates a customer; its precondition is that the store holds no row for it, live or erased. */
  record Create(CustomerId customer, KeyMaterial keys, Instant createdAt, List<FieldWrite> fields,
      Map<SearchKey, List<byte[]>> index) implements CustomerWrite {
    public Create {
      Objects.requireNonNull(customer, "customer");
      Objects.requireNonNull(keys, "keys");
      Objects.requireNonNull(createdAt, "createdAt");
      fields = List.copyOf(fields);
      index = Map.copyOf(index);
    }
  }

  /**
   * Changes fields of a live customer and increments its version; its precondition is that the
   * customer's version is {@code expectedVersion}.
   */
  record Update(CustomerId customer, long expectedVersion, List<FieldWrite> fields, Map<SearchKey, List<byte[]>> index)
      implements CustomerWrite {
    public Update {
      Objects.requireNonNull(customer, "customer");
      fields = List.copyOf(fields);
      index = Map.copyOf(index);
    }
  }

  /** A field re-encrypted under another key; applied only if the field's version is still {@code expectedVersion}. */
  record Reencryption(Field field, long expectedVersion, byte[] ciphertext, int keyId) {
    public Reencryption {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(ciphertext, "ciphertext");
    }

    @Override
    public String toString() {
      return "Reencryption[" + field + ", version=" + expectedVersion + ", key=" + keyId + "]";
    }
  }

  /**
   * What the store holds of each of {@code customers} (absent from the map: never stored), with
   * those of {@code fields} that exist, each customer from one consistent snapshot.
   */
  Map<CustomerId, StoredCustomer> read(Collection<CustomerId> customers, Set<Field> fields);

  /** {@link #read(Collection, Set)} for one customer. */
  default Optional<StoredCustomer> read(CustomerId customer, Set<Field> fields) {
    return Optional.ofNullable(read(List.of(customer), fields).get(customer));
  }

  /**
   * Applies every write whose precondition holds, in one transaction (see the class contract).
   *
   * @return the customers whose write was not applied because its precondition failed
   */
  Set<CustomerId> write(List<CustomerWrite> writes);

  /** The live customers with blind index {@code hmac} under {@code key}, in id order. */
  List<CustomerId> find(SearchKey key, byte[] hmac);

  /**
   * Erases a live customer (see the class contract).
   *
   * @return false when the customer was never stored or is erased already
   */
  boolean erase(CustomerId customer, Instant at);

  /**
   * Replaces a live customer's key material if its version is {@code expectedVersion} and, when
   * {@code onlyKeyId} is given, every field of the customer is under that key; increments the version.
   *
   * @return whether it was replaced
   */
  boolean replaceKeys(CustomerId customer, long expectedVersion, KeyMaterial next, OptionalInt onlyKeyId);

  /**
   * Replaces the ciphertexts of fields whose version is still the expected one (others were
   * rewritten meanwhile and are skipped), if the customer's version is {@code expectedVersion};
   * increments each replaced field's version. One transaction.
   *
   * @return the number of fields replaced; empty when the customer's version moved (nothing replaced)
   */
  OptionalInt reencrypt(CustomerId customer, long expectedVersion, List<Reencryption> fields);

  /** Up to {@code limit} live customers with a data-key rotation under way, in id order. */
  List<CustomerId> rotating(int limit);

  /** Up to {@code limit} live customers, not rotating, whose primary data key was made before {@code cutoff}; oldest first. */
  List<CustomerId> keysMadeBefore(Instant cutoff, int limit);

  /** Up to {@code limit} live customers whose keyset is wrapped by a KEK other than {@code kekId}, in id order. */
  List<CustomerId> wrappedByOtherThan(int kekId, int limit);

  /**
   * How the live customers' keys stand: per KEK id the keysets it wraps, the customers with a
   * data-key rotation under way, and those (not rotating) whose primary data key was made before
   * {@code keysMadeBefore}. A snapshot; it may be stale by the time it is read.
   */
  KeyCensus census(Instant keysMadeBefore);
}
