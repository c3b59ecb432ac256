package dev.custos.vault;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import dev.custos.access.CustomerId;
import dev.custos.access.ChangeFeed;
import dev.custos.access.ReadCache;
import dev.custos.ledger.Receipt;
import dev.custos.vault.VaultStore.CustomerWrite;
import dev.custos.vault.VaultStore.Erased;
import dev.custos.vault.VaultStore.FieldWrite;
import dev.custos.vault.VaultStore.KeyMaterial;
import dev.custos.vault.VaultStore.Live;
import dev.custos.vault.VaultStore.Reencryption;
import dev.custos.vault.VaultStore.StoredCustomer;
import dev.custos.vault.VaultStore.StoredField;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The customer vault: records encrypted field by field, found through blind indexes, disclosed only
 * for a durable ledger receipt, erased by destroying their keys.
 *
 * <p>Envelope encryption: each customer has a Tink AES-256-GCM data keyset, wrapped by the primary
 * key-encryption key of {@link VaultKeys}. Each field is encrypted under the keyset's primary key
 * with associated data binding it to the customer and the field. Each customer also has a secret
 * 32-byte commitment salt, sealed under the keyset, from which their ledger {@link Commitment} is
 * made. The exact bytes of everything are in {@code docs/design/vault.md}.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Plaintext leaves only as a {@link Disclosed}, made only by {@link #open} for a receipt whose
 *       index is below the durable ledger size; otherwise {@link ReceiptNotDurableException}.</li>
 *   <li>A ciphertext, keyset or salt that does not authenticate (altered, or copied from another
 *       customer or field) throws {@link TamperedRecordException}: never a wrong value, never "absent".</li>
 *   <li>The store holds no key that opens anything; lookups go through keyed HMACs only.</li>
 *   <li>Erasure destroys the wrapped keyset and the salt: remaining copies of ciphertexts (backups,
 *       replicas) no longer open, and the customer's ledger commitments no longer link to them.</li>
 *   <li>No value reaches a message, a log or a {@code toString}. The vault itself logs nothing.</li>
 * </ul>
 *
 * <h2>Read cache</h2>
 * With a positive {@code readCacheTtl}, {@link #prepare} keeps each customer's record as stored
 * (ciphertexts, never plaintext values) with its unwrapped keyset for at most that long, so a
 * customer worked on by several requests costs one store read and one unwrap per period. Every
 * write, erasure and rotation through this vault drops the customer's entry before it returns, so
 * this instance never reads its own stale data; a change made by another instance sharing the store
 * is dropped when its {@link ChangeFeed} message arrives, and never served past the TTL. Plaintext
 * still leaves only through {@link Prepared#open} for a durable receipt.
 *
 * <p>Only the access broker may call {@link #open} (an architecture rule in the server checks it).
 * Thread-safe: concurrent puts, opens and a rotation in the background are safe; conflicting writes
 * to one customer are detected by version and retried.
 */
public final class Vault {
  /**
   * How often a write that lost a race for a customer is tried again before giving up. A write loses
   * only when another write to the customer succeeded in between, so it gives up only when more than
   * this many other writes to the one customer land while it tries: 16 covers a burst of concurrent
   * puts plus the three steps of a key rotation (the contract's race has eight puts and a rotation,
   * ten competing writes; with the earlier 8 it failed now and then in CI).
   */
  static final int ATTEMPTS = 16;

  private final VaultStore store;
  private final FieldCatalogue catalogue;
  private final VaultKeys keys;
  private final LongSupplier durableLedgerSize;
  private final InstantSource clock;
  private final RandomGenerator random;
  /** Recently prepared customers (see "Read cache"); null when off. */
  private final ReadCache<CustomerId, Opened> recent;

  /** The most customers the read cache holds (about 5 KiB each for a full default record). */
  static final int READ_CACHE_CUSTOMERS = 10_000;

  /** A vault without read cache; see {@link #Vault(VaultStore, FieldCatalogue, VaultKeys, LongSupplier, InstantSource, RandomGenerator, Duration, ChangeFeed)}. */
  public Vault(VaultStore store, FieldCatalogue catalogue, VaultKeys keys, LongSupplier durableLedgerSize,
      InstantSource clock, RandomGenerator random) {
    this(store, catalogue, keys, durableLedgerSize, clock, random, Duration.ZERO, ChangeFeed.alone());
  }

  /**
   * @param durableLedgerSize the number of entries of the ledger that are durable now
   * @param random the source of commitment salts; MUST be a {@code SecureRandom} outside tests
   *     (data keys always come from Tink's own secure randomness)
   * @param readCacheTtl how long {@link #prepare} may reuse a customer's stored record and unwrapped
   *     keyset (see "Read cache"); zero turns the cache off
   * @param changes how instances sharing the store tell each other of changed customers
   */
  public Vault(VaultStore store, FieldCatalogue catalogue, VaultKeys keys, LongSupplier durableLedgerSize,
      InstantSource clock, RandomGenerator random, Duration readCacheTtl, ChangeFeed changes) {
    this.store = Objects.requireNonNull(store, "store");
    this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.durableLedgerSize = Objects.requireNonNull(durableLedgerSize, "durableLedgerSize");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    if (readCacheTtl.isNegative()) {
      throw new IllegalArgumentException("the vault's read-cache TTL must not be negative");
    }
    this.recent = readCacheTtl.isZero() ? null : new ReadCache<>(readCacheTtl, READ_CACHE_CUSTOMERS, clock, changes,
        ChangeFeed.Topic.CUSTOMER, CustomerId::value, CustomerId::parse);
    TinkKeys.init();
  }

  /** A customer's record as stored, with its keyset unwrapped and its commitment made. */
  private record Opened(Live live, Unlocked unlocked, Commitment commitment) {}

  /** Drops the customers from the read cache here and on other instances; called after every change this vault makes. */
  private void forget(Collection<CustomerId> customers) {
    if (recent != null) {
      recent.changed(customers);
    }
  }

  private void forget(CustomerId customer) {
    forget(List.of(customer));
  }

  public FieldCatalogue catalogue() {
    return catalogue;
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /**
   * Creates the customer if absent (new data keyset and commitment salt) and replaces the given
   * fields; fields not given keep their values. Values equal to the stored ones are not rewritten,
   * so an unchanged re-import costs one read and some hashing. Blind indexes of changed e-mail,
   * phone and government id fields change in the same transaction.
   *
   * @throws IllegalArgumentException naming the field, for a field not in the catalogue or a value
   *     the vault cannot store (nested deeper than 8, larger than 64 KiB, invalid Unicode)
   * @throws ErasedCustomerException when the customer was erased (it stays erased)
   * @throws TamperedRecordException when the customer's stored key material does not open
   */
  public PutResult put(CustomerId customer, Map<Field, FieldValue> fields) {
    Objects.requireNonNull(customer, "customer");
    Map<Field, Plain> plain = prepare(fields);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Planned p = plan(customer, store.read(customer, plain.keySet()).orElse(null), plain);
      if (p.write() == null) {
        return p.result();
      }
      Set<CustomerId> lost;
      try {
        lost = store.write(List.of(p.write()));
      } finally {
        forget(customer);
      }
      if (lost.isEmpty()) {
        return p.result();
      }
    }
    throw new VaultException("customer " + customer + " changed concurrently " + ATTEMPTS
        + " times in a row; the put was not applied");
  }

  /**
   * {@link #put} for many customers in one store transaction (an import batch): every record is
   * validated before anything is written; a customer whose write loses a race is put again alone.
   *
   * @return one result per customer, in the map's iteration order
   * @throws IllegalArgumentException naming the customer and field, before anything is written
   * @throws ErasedCustomerException when one of them was erased (nothing of the batch is written)
   */
  public List<PutResult> putAll(Map<CustomerId, Map<Field, FieldValue>> records) {
    Objects.requireNonNull(records, "records");
    Map<CustomerId, Map<Field, Plain>> prepared = new LinkedHashMap<>();
    Set<Field> all = new HashSet<>();
    records.forEach((customer, fields) -> {
      Objects.requireNonNull(customer, "customer");
      try {
        Map<Field, Plain> p = prepare(fields);
        prepared.put(customer, p);
        all.addAll(p.keySet());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("customer " + customer + ": " + e.getMessage(), e);
      }
    });
    Map<CustomerId, StoredCustomer> stored = store.read(prepared.keySet(), all);
    Map<CustomerId, Planned> plans = new LinkedHashMap<>();
    List<CustomerWrite> writes = new ArrayList<>();
    prepared.forEach((customer, plain) -> {
      Planned p = plan(customer, stored.get(customer), plain);
      plans.put(customer, p);
      if (p.write() != null) {
        writes.add(p.write());
      }
    });
    Set<CustomerId> lost;
    try {
      lost = writes.isEmpty() ? Set.of() : store.write(writes);
    } finally {
      forget(writes.stream().map(CustomerWrite::customer).toList());
    }
    List<PutResult> results = new ArrayList<>();
    plans.forEach((customer, p) -> results.add(lost.contains(customer)
        ? put(customer, records.get(customer)) : p.result()));
    return results;
  }

  /** A field's value, checked and encoded. */
  private record Plain(Field field, FieldValue value, byte[] encoded) {}

  /** What a put will do: a write (null when nothing changes) and the result it reports once applied. */
  private record Planned(CustomerWrite write, PutResult result) {}

  private Map<Field, Plain> prepare(Map<Field, FieldValue> fields) {
    Objects.requireNonNull(fields, "fields");
    Map<Field, Plain> out = new LinkedHashMap<>();
    fields.forEach((field, value) -> {
      Objects.requireNonNull(field, "field");
      requireCatalogued(field);
      if (value == null) {
        throw new IllegalArgumentException("field " + field + ": the value is missing");
      }
      try {
        out.put(field, new Plain(field, value, FieldCodec.encode(value)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("field " + field + ": " + e.getMessage(), e);
      }
    });
    return out;
  }

  private Planned plan(CustomerId customer, StoredCustomer stored, Map<Field, Plain> plain) {
    return switch (stored) {
      case null -> {
        Unlocked u = new Unlocked(customer, DataKeys.generate(), newSalt());
        List<FieldWrite> writes = plain.values().stream().map(u::encrypt).toList();
        KeyMaterial keys = u.material(this.keys.primary(), false, now());
        yield new Planned(new VaultStore.Create(customer, keys, now(), writes, index(plain.values())),
            new PutResult(customer, PutResult.Outcome.CREATED, plain.keySet()));
      }
      case Erased e -> throw new ErasedCustomerException(customer);
      case Live live -> {
        Unlocked u = unlock(live);
        List<Plain> changed = new ArrayList<>();
        for (Plain p : plain.values()) {
          StoredField f = live.fields().get(p.field());
          if (f == null || !MessageDigest.isEqual(f.digest(), u.digest(p.field(), p.encoded()))) {
            changed.add(p);
          }
        }
        if (changed.isEmpty()) {
          yield new Planned(null, new PutResult(customer, PutResult.Outcome.UNCHANGED, Set.of()));
        }
        Set<Field> names = new TreeSet<>();
        changed.forEach(p -> names.add(p.field()));
        yield new Planned(new VaultStore.Update(customer, live.version(), changed.stream().map(u::encrypt).toList(),
            index(changed)), new PutResult(customer, PutResult.Outcome.UPDATED, names));
      }
    };
  }

  /** The blind index entries of the search keys whose field is among {@code written}. */
  private Map<SearchKey, List<byte[]>> index(Iterable<Plain> written) {
    Map<SearchKey, List<byte[]>> out = new EnumMap<>(SearchKey.class);
    for (Plain p : written) {
      for (SearchKey key : SearchKey.values()) {
        if (key.field().equals(p.field())) {
          Set<ByteBuffer> distinct = new LinkedHashSet<>();
          for (String text : texts(p.value())) {
            String n = key.normalise(text);
            if (!n.isEmpty()) {
              distinct.add(ByteBuffer.wrap(keys.blindIndex(key, n)));
            }
          }
          out.put(key, distinct.stream().map(ByteBuffer::array).toList());
        }
      }
    }
    return out;
  }

  /** The texts a search key indexes: the text itself, or each text item of a list. */
  private static List<String> texts(FieldValue value) {
    return switch (value) {
      case FieldValue.Text t -> List.of(t.value());
      case FieldValue.Items items -> items.values().stream()
          .filter(FieldValue.Text.class::isInstance).map(v -> ((FieldValue.Text) v).value()).toList();
      case FieldValue.Entries e -> List.of();
    };
  }

  private CommitmentSalt newSalt() {
    byte[] salt = new byte[CommitmentSalt.LENGTH];
    random.nextBytes(salt);
    try {
      return CommitmentSalt.fromBytes(salt);
    } finally {
      Arrays.fill(salt, (byte) 0);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  /** Whether the vault holds a live (not erased) record of the customer. */
  public boolean exists(CustomerId customer) {
    return store.read(customer, Set.of()).orElse(null) instanceof Live;
  }

  /**
   * Decrypts {@code fields} of the customer for the access that {@code receipt} records. Fields the
   * customer has no value for are absent from the result.
   *
   * <p>Only the access broker may call this, after the access decision is durable in the ledger.
   *
   * @throws ReceiptNotDurableException unless {@code receipt.index() < durableLedgerSize}
   * @throws IllegalArgumentException naming a field that is not in the catalogue
   * @throws NoSuchCustomerException when the customer was never stored or is erased
   * @throws TamperedRecordException when anything needed does not authenticate
   */
  public Disclosed open(Receipt receipt, CustomerId customer, Set<Field> fields) {
    Objects.requireNonNull(receipt, "receipt");
    Objects.requireNonNull(customer, "customer");
    Objects.requireNonNull(fields, "fields");
    long durable = durableLedgerSize.getAsLong();
    if (receipt.index() >= durable) {
      throw new ReceiptNotDurableException(receipt.index(), durable);
    }
    fields.forEach(this::requireCatalogued);
    Live live = live(customer, fields);
    Unlocked u = unlock(live);
    TreeMap<Field, FieldValue> values = new TreeMap<>();
    for (Field f : fields) {
      StoredField stored = live.fields().get(f);
      if (stored != null) {
        values.put(f, u.decrypt(stored));
      }
    }
    return new Disclosed(receipt, customer, values);
  }

  /**
   * Reads the customer's record once for one access: its commitment is available at once (for the
   * ledger entry), its {@code fields} only through {@link Prepared#open} with a durable receipt.
   * One store read and one keyset unwrap, where {@link #commitment} then {@link #open} take two.
   *
   * @return empty when the customer was never stored or is erased
   * @throws IllegalArgumentException naming a field that is not in the catalogue
   * @throws TamperedRecordException when the key material does not authenticate
   */
  public Optional<Prepared> prepare(CustomerId customer, Set<Field> fields) {
    Objects.requireNonNull(customer, "customer");
    Objects.requireNonNull(fields, "fields");
    fields.forEach(this::requireCatalogued);
    Opened o = recent == null ? load(customer, fields) : recent.get(customer, c -> load(c, catalogue.fields()));
    return o == null ? Optional.empty()
        : Optional.of(new Prepared(o.live(), o.unlocked(), o.commitment(), Set.copyOf(fields)));
  }

  /** Reads and unlocks the customer's {@code fields}; null when never stored or erased. */
  private Opened load(CustomerId customer, Set<Field> fields) {
    if (!(store.read(customer, fields).orElse(null) instanceof Live live)) {
      return null;
    }
    Unlocked u = unlock(live);
    return new Opened(live, u, Commitment.of(u.salt(), customer));
  }

  /**
   * One customer's record as read for one access, within one request: the commitment now, the
   * plaintext only for a durable receipt. Never kept beyond the request; prints nothing.
   */
  public final class Prepared {
    private final Live live;
    private final Unlocked unlocked;
    private final Commitment commitment;
    private final Set<Field> fields;

    private Prepared(Live live, Unlocked unlocked, Commitment commitment, Set<Field> fields) {
      this.live = live;
      this.unlocked = unlocked;
      this.commitment = commitment;
      this.fields = fields;
    }

    /** The customer's ledger commitment. */
    public Commitment commitment() {
      return commitment;
    }

    /**
     * Decrypts the prepared fields for the access {@code receipt} records; see
     * {@link Vault#open(Receipt, CustomerId, Set)} for the rules, which are the same.
     *
     * @throws ReceiptNotDurableException unless {@code receipt.index() < durableLedgerSize}
     * @throws TamperedRecordException when a field does not authenticate
     */
    public Disclosed open(Receipt receipt) {
      Objects.requireNonNull(receipt, "receipt");
      long durable = durableLedgerSize.getAsLong();
      if (receipt.index() >= durable) {
        throw new ReceiptNotDurableException(receipt.index(), durable);
      }
      TreeMap<Field, FieldValue> values = new TreeMap<>();
      for (Field f : fields) {
        StoredField stored = live.fields().get(f);
        if (stored != null) {
          values.put(f, unlocked.decrypt(stored));
        }
      }
      return new Disclosed(receipt, live.customer(), values);
    }

    @Override
    public String toString() {
      return "Vault.Prepared[" + live.customer() + ", " + fields.size() + " fields]";
    }
  }

  /**
   * The customers whose {@code key} field holds {@code value} after normalisation, in id order.
   * Exact match through the blind index only; erased customers are never found.
   *
   * @throws IllegalArgumentException when nothing of the value remains after normalisation
   */
  public List<CustomerId> find(SearchKey key, String value) {
    Objects.requireNonNull(key, "key");
    String n = key.normalise(value);
    if (n.isEmpty()) {
      throw new IllegalArgumentException("the " + key.wireName() + " to look up is empty once normalised");
    }
    return store.find(key, keys.blindIndex(key, n));
  }

  /** The customer's ledger commitment; empty when never stored or erased. */
  public Optional<Commitment> commitment(CustomerId customer) {
    return commitmentSalt(customer).map(salt -> Commitment.of(salt, customer));
  }

  /** The customer's commitment salt, to hand to the customer; empty when never stored or erased. */
  public Optional<CommitmentSalt> commitmentSalt(CustomerId customer) {
    Objects.requireNonNull(customer, "customer");
    if (store.read(customer, Set.of()).orElse(null) instanceof Live live) {
      return Optional.of(unlock(live).salt());
    }
    return Optional.empty();
  }

  /**
   * Crypto-shreds the customer: the wrapped data keyset and the commitment salt are destroyed and
   * the fields and blind index entries deleted, in one transaction. The customer stays erased: a
   * later {@link #put} is refused, {@link #open} says erased, {@link #find} does not find them.
   *
   * @return false when the customer was never stored or is erased already
   */
  public boolean erase(CustomerId customer) {
    Objects.requireNonNull(customer, "customer");
    try {
      return store.erase(customer, now());
    } finally {
      forget(customer);
    }
  }

  private Live live(CustomerId customer, Set<Field> fields) {
    return switch (store.read(customer, fields).orElseThrow(() -> new NoSuchCustomerException(customer, false))) {
      case Erased e -> throw new NoSuchCustomerException(customer, true);
      case Live l -> l;
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Rotation

  /**
   * One batch of a data-key rotation: for up to {@code batchSize} customers whose primary data key
   * was made before {@code keysMadeBefore} (or whose rotation was interrupted), adds a new primary
   * key, re-encrypts every field and the salt under it, then destroys the old key. Reads and writes
   * go on meanwhile: readers open either key, and each step is a compare-and-set on the customer's
   * or the field's version, so a concurrent put is never overwritten (see docs/design/vault.md).
   */
  public RotationReport rotateDataKeys(Instant keysMadeBefore, int batchSize) {
    Objects.requireNonNull(keysMadeBefore, "keysMadeBefore");
    requireBatch(batchSize);
    Instant cutoff = keysMadeBefore.truncatedTo(ChronoUnit.MICROS);
    Set<CustomerId> batch = new LinkedHashSet<>(store.rotating(batchSize));
    if (batch.size() < batchSize) {
      batch.addAll(store.keysMadeBefore(cutoff, batchSize - batch.size()));
    }
    int customers = 0;
    int fields = 0;
    int failed = 0;
    for (CustomerId customer : batch) {
      try {
        fields += rotateDataKeys(customer);
        customers++;
      } catch (VaultException e) {
        failed++;
      } finally {
        forget(customer);
      }
    }
    return new RotationReport(customers, fields, failed, batch.size() >= batchSize);
  }

  /** Rotates one customer's data keys to the end; returns the number of fields re-encrypted. */
  private int rotateDataKeys(CustomerId customer) {
    int reencrypted = 0;
    for (int attempt = 0; attempt < ATTEMPTS * 4; attempt++) {
      if (!(store.read(customer, catalogue.fields()).orElse(null) instanceof Live live)) {
        return reencrypted; // erased meanwhile: nothing left to rotate
      }
      Unlocked u = unlock(live);
      if (!live.keys().rotating()) {
        // Step 1: a new primary key; the salt is sealed again under it.
        Unlocked next = new Unlocked(customer, DataKeys.withNewPrimary(u.keyset), u.salt());
        store.replaceKeys(customer, live.version(), next.material(keys.primary(), true, now()), OptionalInt.empty());
        continue;
      }
      int primary = DataKeys.primaryId(u.keyset);
      List<Reencryption> work = new ArrayList<>();
      for (StoredField f : live.fields().values()) {
        if (f.keyId() != primary) {
          FieldWrite w = u.encrypt(f.field(), u.decryptEncoded(f));
          work.add(new Reencryption(f.field(), f.version(), w.ciphertext(), w.keyId()));
        }
      }
      if (!work.isEmpty()) {
        // Step 2: fields under the new key; a field a put rewrote meanwhile is skipped (it is under the new key).
        reencrypted += store.reencrypt(customer, live.version(), work).orElse(0);
        continue;
      }
      // Step 3: every field is under the primary: the old keys are destroyed.
      Unlocked only = new Unlocked(customer, DataKeys.onlyPrimary(u.keyset), u.salt());
      if (store.replaceKeys(customer, live.version(), only.material(keys.primary(), false, live.keys().keysMadeAt()),
          OptionalInt.of(primary))) {
        return reencrypted;
      }
    }
    throw new VaultException("the data-key rotation of customer " + customer + " kept losing races; it stays under way");
  }

  /**
   * One batch of a key-encryption-key rotation: rewraps the keysets of up to {@code batchSize}
   * customers whose keyset is wrapped by a KEK other than the primary. The older KEK MUST stay
   * configured until a batch reports nothing more.
   */
  public RotationReport rewrapKeys(int batchSize) {
    requireBatch(batchSize);
    int primary = keys.primary().id();
    List<CustomerId> batch = store.wrappedByOtherThan(primary, batchSize);
    int customers = 0;
    int failed = 0;
    for (CustomerId customer : batch) {
      try {
        rewrap(customer);
        customers++;
      } catch (VaultException e) {
        failed++;
      } finally {
        forget(customer);
      }
    }
    return new RotationReport(customers, 0, failed, batch.size() >= batchSize);
  }

  private void rewrap(CustomerId customer) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (!(store.read(customer, Set.of()).orElse(null) instanceof Live live) || live.keys().kekId() == keys.primary().id()) {
        return;
      }
      Unlocked u = unlock(live);
      KeyMaterial k = live.keys();
      KeyMaterial next = new KeyMaterial(keys.primary().id(), DataKeys.wrap(u.keyset, keys.primary(), customer),
          k.sealedSalt(), k.rotating(), k.keysMadeAt());
      if (store.replaceKeys(customer, live.version(), next, OptionalInt.empty())) {
        return;
      }
    }
    throw new VaultException("rewrapping the keyset of customer " + customer + " kept losing races");
  }

  /**
   * How the live customers' keys stand (see {@link VaultStore#census}), with
   * {@code keysMadeBefore} as the cutoff for old data keys.
   */
  public KeyCensus census(Instant keysMadeBefore) {
    return store.census(keysMadeBefore.truncatedTo(ChronoUnit.MICROS));
  }

  /** The ids of the KEKs this vault holds, the primary first. */
  public List<Integer> kekIds() {
    return keys.kekIds();
  }

  private static void requireBatch(int batchSize) {
    if (batchSize < 1 || batchSize > 100_000) {
      throw new IllegalArgumentException("batch size must be 1-100000, was " + batchSize);
    }
  }

  /** Now, to the microsecond the store keeps. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  // ---------------------------------------------------------------------------------------------
  // Keys of one customer

  private void requireCatalogued(Field field) {
    if (!catalogue.contains(field)) {
      throw new IllegalArgumentException("field " + field + " is not in the field catalogue");
    }
  }

  private Unlocked unlock(Live live) {
    CustomerId customer = live.customer();
    int kekId = live.keys().kekId();
    KeyEncryptionKey kek = keys.kek(kekId).orElseThrow(() -> new VaultException("the data keyset of customer "
        + customer + " is wrapped by key-encryption key " + kekId + ", which is not configured (keep it as an older KEK"
        + " until a KEK rotation has rewrapped every keyset)"));
    KeysetHandle keyset;
    try {
      keyset = DataKeys.unwrap(live.keys().wrappedKeyset(), kek, customer);
    } catch (GeneralSecurityException e) {
      throw new TamperedRecordException(customer, null, "the data keyset", e);
    }
    return new Unlocked(customer, keyset, live.keys().sealedSalt());
  }

  /**
   * One customer's open keyset: encrypts and decrypts their fields and salt, and keys the change
   * digests. Lives for one operation; never stored, never printed.
   */
  private static final class Unlocked {
    final CustomerId customer;
    final KeysetHandle keyset;
    final Aead aead;
    private final byte[] sealedSalt;
    private CommitmentSalt salt;
    private SecretKeySpec digestKey;
    /**
     * Each field's associated data, encoded once: this keyset is kept in the read cache and opens
     * the same customer's fields for many requests. Shared read-only (Tink only reads it).
     */
    private final ConcurrentHashMap<Field, byte[]> associatedData = new ConcurrentHashMap<>();

    Unlocked(CustomerId customer, KeysetHandle keyset, CommitmentSalt salt) {
      this(customer, keyset, (byte[]) null);
      this.salt = salt;
    }

    Unlocked(CustomerId customer, KeysetHandle keyset, byte[] sealedSalt) {
      this.customer = customer;
      this.keyset = keyset;
      this.aead = DataKeys.aead(keyset);
      this.sealedSalt = sealedSalt;
    }

    /** The commitment salt, opened on first use. */
    CommitmentSalt salt() {
      if (salt == null) {
        byte[] plain = null;
        try {
          plain = aead.decrypt(sealedSalt, saltAssociatedData(customer));
          salt = CommitmentSalt.fromBytes(plain);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
          throw new TamperedRecordException(customer, null, "the commitment salt", e);
        } finally {
          if (plain != null) {
            Arrays.fill(plain, (byte) 0);
          }
        }
      }
      return salt;
    }

    /** Key material for the store: this keyset wrapped by {@code kek}, the salt sealed under its primary. */
    KeyMaterial material(KeyEncryptionKey kek, boolean rotating, Instant keysMadeAt) {
      try {
        byte[] sealed = aead.encrypt(salt().bytes(), saltAssociatedData(customer));
        return new KeyMaterial(kek.id(), DataKeys.wrap(keyset, kek, customer), sealed, rotating, keysMadeAt);
      } catch (GeneralSecurityException e) {
        throw new VaultException("cannot seal the commitment salt of customer " + customer, e);
      }
    }

    FieldWrite encrypt(Plain p) {
      return encrypt(p.field(), p.encoded());
    }

    FieldWrite encrypt(Field field, byte[] encoded) {
      try {
        byte[] ct = aead.encrypt(encoded, associatedData(field));
        return new FieldWrite(field, ct, DataKeys.primaryId(keyset), digest(field, encoded));
      } catch (GeneralSecurityException e) {
        throw new VaultException("cannot encrypt field " + field + " of customer " + customer, e);
      }
    }

    byte[] decryptEncoded(StoredField f) {
      try {
        return aead.decrypt(f.ciphertext(), associatedData(f.field()));
      } catch (GeneralSecurityException e) {
        throw new TamperedRecordException(customer, f.field(), "the ciphertext", e);
      }
    }

    FieldValue decrypt(StoredField f) {
      byte[] plain = decryptEncoded(f);
      try {
        return FieldCodec.decode(plain);
      } catch (IllegalArgumentException e) {
        throw new TamperedRecordException(customer, f.field(), "the plaintext", e);
      } finally {
        Arrays.fill(plain, (byte) 0);
      }
    }

    /** {@link #fieldAssociatedData} of this customer and {@code field}. */
    private byte[] associatedData(Field field) {
      byte[] ad = associatedData.get(field);
      return ad != null ? ad : associatedData.computeIfAbsent(field, f -> fieldAssociatedData(customer, f));
    }

    /** HMAC-SHA256 under a key derived from the salt over {@code lp("custos.vault.digest/v1") || lp(field) || lp(encoding)}. */
    byte[] digest(Field field, byte[] encoded) {
      if (digestKey == null) {
        Mac derive = VaultKeys.mac(VaultKeys.hmacKey(salt().bytes()));
        digestKey = VaultKeys.hmacKey(derive.doFinal(Encoding.lengthPrefixed("custos.vault.digest-key/v1")));
      }
      Mac mac = VaultKeys.mac(digestKey);
      return mac.doFinal(Encoding.lengthPrefixed("custos.vault.digest/v1", field.name(), encoded));
    }

    @Override
    public String toString() {
      return "Unlocked[" + customer + ", ***]";
    }
  }

  /** {@code lp("custos.vault.field/v1") || lp(customer id) || lp(field name)}. */
  static byte[] fieldAssociatedData(CustomerId customer, Field field) {
    return Encoding.lengthPrefixed("custos.vault.field/v1", customer.value(), field.name());
  }

  /** {@code lp("custos.vault.salt/v1") || lp(customer id)}. */
  static byte[] saltAssociatedData(CustomerId customer) {
    return Encoding.lengthPrefixed("custos.vault.salt/v1", customer.value());
  }
}
