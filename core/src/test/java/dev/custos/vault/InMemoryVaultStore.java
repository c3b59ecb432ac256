package dev.custos.vault;

import dev.custos.access.CustomerId;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link VaultStore} in memory for tests: one lock around everything, so every operation is one
 * atomic snapshot. Passes {@link VaultStoreContract}.
 */
public final class InMemoryVaultStore implements VaultStore {
  private static final Comparator<CustomerId> BY_ID = Comparator.comparing(CustomerId::value);

  private static final class Row {
    long version;
    KeyMaterial keys;
    Instant erasedAt;
    final Map<Field, StoredField> fields = new TreeMap<>();
    final Map<SearchKey, Set<ByteBuffer>> index = new EnumMap<>(SearchKey.class);
  }

  private final Map<CustomerId, Row> rows = new HashMap<>();

  @Override
  public synchronized Map<CustomerId, StoredCustomer> read(Collection<CustomerId> customers, Set<Field> fields) {
    Map<CustomerId, StoredCustomer> out = new HashMap<>();
    for (CustomerId c : customers) {
      Row r = rows.get(c);
      if (r == null) {
        continue;
      }
      if (r.erasedAt != null) {
        out.put(c, new Erased(c, r.erasedAt));
      } else {
        Map<Field, StoredField> f = new HashMap<>();
        for (Field field : fields) {
          StoredField s = r.fields.get(field);
          if (s != null) {
            f.put(field, copy(s));
          }
        }
        out.put(c, new Live(c, r.version, copy(r.keys), f));
      }
    }
    return out;
  }

  @Override
  public synchronized Set<CustomerId> write(List<CustomerWrite> writes) {
    Set<CustomerId> seen = new HashSet<>();
    for (CustomerWrite w : writes) {
      if (!seen.add(w.customer())) {
        throw new IllegalArgumentException("customer " + w.customer() + " is written twice in one batch");
      }
    }
    Set<CustomerId> failed = new LinkedHashSet<>();
    for (CustomerWrite w : writes) {
      Row r = rows.get(w.customer());
      switch (w) {
        case Create c -> {
          if (r != null) {
            failed.add(c.customer());
            continue;
          }
          r = new Row();
          r.version = 1;
          r.keys = copy(c.keys());
          rows.put(c.customer(), r);
        }
        case Update u -> {
          if (r == null || r.erasedAt != null || r.version != u.expectedVersion()) {
            failed.add(u.customer());
            continue;
          }
          r.version++;
        }
      }
      for (FieldWrite f : w.fields()) {
        StoredField old = r.fields.get(f.field());
        r.fields.put(f.field(), new StoredField(f.field(), f.ciphertext().clone(), f.keyId(), f.digest().clone(),
            old == null ? 1 : old.version() + 1));
      }
      for (var e : w.index().entrySet()) {
        Set<ByteBuffer> entries = new HashSet<>();
        for (byte[] h : e.getValue()) {
          if (h.length != 32 || !entries.add(ByteBuffer.wrap(h.clone()))) {
            throw new IllegalArgumentException("blind index entries must be distinct 32-byte HMACs");
          }
        }
        r.index.put(e.getKey(), entries);
      }
    }
    return failed;
  }

  @Override
  public synchronized List<CustomerId> find(SearchKey key, byte[] hmac) {
    ByteBuffer wanted = ByteBuffer.wrap(hmac);
    TreeSet<CustomerId> out = new TreeSet<>(BY_ID);
    rows.forEach((c, r) -> {
      if (r.erasedAt == null && r.index.getOrDefault(key, Set.of()).contains(wanted)) {
        out.add(c);
      }
    });
    return List.copyOf(out);
  }

  @Override
  public synchronized boolean erase(CustomerId customer, Instant at) {
    Row r = rows.get(customer);
    if (r == null || r.erasedAt != null) {
      return false;
    }
    r.keys = null;
    r.erasedAt = at;
    r.fields.clear();
    r.index.clear();
    return true;
  }

  @Override
  public synchronized boolean replaceKeys(CustomerId customer, long expectedVersion, KeyMaterial next, OptionalInt onlyKeyId) {
    Row r = rows.get(customer);
    if (r == null || r.erasedAt != null || r.version != expectedVersion) {
      return false;
    }
    if (onlyKeyId.isPresent() && r.fields.values().stream().anyMatch(f -> f.keyId() != onlyKeyId.getAsInt())) {
      return false;
    }
    r.keys = copy(next);
    r.version++;
    return true;
  }

  @Override
  public synchronized OptionalInt reencrypt(CustomerId customer, long expectedVersion, List<Reencryption> fields) {
    Row r = rows.get(customer);
    if (r == null || r.erasedAt != null || r.version != expectedVersion) {
      return OptionalInt.empty();
    }
    int n = 0;
    for (Reencryption e : fields) {
      StoredField old = r.fields.get(e.field());
      if (old != null && old.version() == e.expectedVersion()) {
        r.fields.put(e.field(), new StoredField(e.field(), e.ciphertext().clone(), e.keyId(), old.digest(), old.version() + 1));
        n++;
      }
    }
    return OptionalInt.of(n);
  }

  @Override
  public synchronized List<CustomerId> rotating(int limit) {
    return live().filter(e -> e.getValue().keys.rotating()).map(Map.Entry::getKey).sorted(BY_ID).limit(limit).toList();
  }

  @Override
  public synchronized List<CustomerId> keysMadeBefore(Instant cutoff, int limit) {
    return live().filter(e -> !e.getValue().keys.rotating() && e.getValue().keys.keysMadeAt().isBefore(cutoff))
        .sorted(Comparator.comparing((Map.Entry<CustomerId, Row> e) -> e.getValue().keys.keysMadeAt())
            .thenComparing(e -> e.getKey().value()))
        .map(Map.Entry::getKey).limit(limit).toList();
  }

  @Override
  public synchronized List<CustomerId> wrappedByOtherThan(int kekId, int limit) {
    return live().filter(e -> e.getValue().keys.kekId() != kekId).map(Map.Entry::getKey).sorted(BY_ID).limit(limit).toList();
  }

  @Override
  public synchronized KeyCensus census(Instant keysMadeBefore) {
    Map<Integer, Long> byKek = new java.util.TreeMap<>();
    long rotating = 0;
    long older = 0;
    for (Map.Entry<CustomerId, Row> e : live().toList()) {
      KeyMaterial k = e.getValue().keys;
      byKek.merge(k.kekId(), 1L, Long::sum);
      if (k.rotating()) {
        rotating++;
      } else if (k.keysMadeAt().isBefore(keysMadeBefore)) {
        older++;
      }
    }
    return new KeyCensus(byKek, rotating, older);
  }

  private java.util.stream.Stream<Map.Entry<CustomerId, Row>> live() {
    return new ArrayList<>(rows.entrySet()).stream().filter(e -> e.getValue().erasedAt == null);
  }

  private static KeyMaterial copy(KeyMaterial k) {
    return new KeyMaterial(k.kekId(), k.wrappedKeyset().clone(), k.sealedSalt().clone(), k.rotating(), k.keysMadeAt());
  }

  private static StoredField copy(StoredField f) {
    return new StoredField(f.field(), f.ciphertext().clone(), f.keyId(), f.digest().clone(), f.version());
  }
}
