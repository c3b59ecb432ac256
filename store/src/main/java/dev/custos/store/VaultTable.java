package dev.custos.store;

import dev.custos.access.CustomerId;
import dev.custos.vault.Field;
import dev.custos.vault.SearchKey;
import dev.custos.vault.VaultStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The vault's rows in PostgreSQL (tables {@code vault_customer}, {@code vault_field},
 * {@code vault_blind_index}; migration V7): ciphertexts, wrapped keysets, sealed salts and keyed
 * hashes only, never a key that opens them.
 *
 * <h2>How the contract of {@link VaultStore} is kept</h2>
 * <ul>
 *   <li>{@link #read} is one statement (customer rows joined with their fields), so one snapshot.</li>
 *   <li>{@link #write} is one transaction for the whole batch: creates are one multi-row
 *       {@code INSERT ... ON CONFLICT DO NOTHING RETURNING}, which says exactly which customers it
 *       created; updates lock their customer rows ({@code FOR UPDATE}, in id order) and compare the
 *       version; then fields and index entries of the applied writes go in as JDBC batches.</li>
 *   <li>Key replacement and re-encryption lock the customer row first, then check, so a concurrent
 *       put is either seen or waits.</li>
 * </ul>
 * A deadlock between two batches is retried by {@link Sql#transaction}; every failure of the
 * database is a {@link StoreException} naming the operation, never a value.
 */
public final class VaultTable implements VaultStore {
  /** Rows per multi-row INSERT (9 parameters each, far below PostgreSQL's 65,535). */
  private static final int CHUNK = 500;

  private final DataSource db;

  public VaultTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public Map<CustomerId, StoredCustomer> read(Collection<CustomerId> customers, Set<Field> fields) {
    if (customers.isEmpty()) {
      return Map.of();
    }
    return Sql.statement(db, "read " + describe(customers) + " from the vault", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT v.customer, v.version, v.kek_id, v.wrapped_keyset, "
          + "v.sealed_salt, v.rotating, v.keys_made_at, v.erased_at, f.field, f.ciphertext, f.key_id, f.digest, "
          + "f.version AS field_version FROM vault_customer v LEFT JOIN vault_field f "
          + "ON f.customer = v.customer AND f.field = ANY (?) WHERE v.customer = ANY (?)")) {
        ps.setArray(1, c.createArrayOf("text", fields.stream().map(Field::name).toArray()));
        ps.setArray(2, c.createArrayOf("text", customers.stream().map(CustomerId::value).toArray()));
        Map<CustomerId, StoredCustomer> customersRead = new HashMap<>();
        Map<CustomerId, Map<Field, StoredField>> fieldsRead = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            CustomerId id = new CustomerId(rs.getString("customer"));
            var erasedAt = Sql.instant(rs, "erased_at");
            if (erasedAt.isPresent()) {
              customersRead.put(id, new Erased(id, erasedAt.get()));
              continue;
            }
            Map<Field, StoredField> f = fieldsRead.computeIfAbsent(id, k -> new HashMap<>());
            if (!customersRead.containsKey(id)) {
              customersRead.put(id, new Live(id, rs.getLong("version"), new KeyMaterial(rs.getInt("kek_id"),
                  rs.getBytes("wrapped_keyset"), rs.getBytes("sealed_salt"), rs.getBoolean("rotating"),
                  Sql.requiredInstant(rs, "keys_made_at")), Map.of()));
            }
            String field = rs.getString("field");
            if (field != null) {
              Field name = new Field(field);
              f.put(name, new StoredField(name, rs.getBytes("ciphertext"), rs.getInt("key_id"), rs.getBytes("digest"),
                  rs.getLong("field_version")));
            }
          }
        }
        Map<CustomerId, StoredCustomer> out = new HashMap<>();
        customersRead.forEach((id, s) -> out.put(id, s instanceof Live l
            ? new Live(id, l.version(), l.keys(), fieldsRead.getOrDefault(id, Map.of())) : s));
        return out;
      }
    });
  }

  @Override
  public Set<CustomerId> write(List<CustomerWrite> writes) {
    if (writes.isEmpty()) {
      return Set.of();
    }
    Set<CustomerId> distinct = new HashSet<>();
    for (CustomerWrite w : writes) {
      if (!distinct.add(w.customer())) {
        throw new IllegalArgumentException("customer " + w.customer() + " is written twice in one batch");
      }
      Set<Field> fields = new HashSet<>();
      for (FieldWrite f : w.fields()) {
        if (!fields.add(f.field())) {
          throw new IllegalArgumentException("field " + f.field() + " of customer " + w.customer() + " is written twice");
        }
      }
    }
    return Sql.transaction(db, "write " + describe(distinct) + " to the vault", c -> {
      Set<CustomerId> failed = new LinkedHashSet<>();
      List<CustomerWrite> applied = new ArrayList<>();
      List<Update> updates = new ArrayList<>();
      List<Create> creates = new ArrayList<>();
      for (CustomerWrite w : writes) {
        switch (w) {
          case Create cr -> creates.add(cr);
          case Update u -> updates.add(u);
        }
      }
      if (!updates.isEmpty()) {
        Map<CustomerId, Long> versions = lockVersions(c, updates.stream().map(Update::customer).toList());
        List<String> bumped = new ArrayList<>();
        for (Update u : updates) {
          Long v = versions.get(u.customer());
          if (v == null || v != u.expectedVersion()) {
            failed.add(u.customer());
          } else {
            applied.add(u);
            bumped.add(u.customer().value());
          }
        }
        if (!bumped.isEmpty()) {
          try (PreparedStatement ps = c.prepareStatement(
              "UPDATE vault_customer SET version = version + 1 WHERE customer = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", bumped.toArray()));
            ps.executeUpdate();
          }
        }
      }
      Set<CustomerId> created = create(c, creates);
      for (Create cr : creates) {
        if (created.contains(cr.customer())) {
          applied.add(cr);
        } else {
          failed.add(cr.customer());
        }
      }
      writeFields(c, applied);
      writeIndex(c, applied);
      return failed;
    });
  }

  /** Locks the live rows of {@code customers} in id order and returns their versions. */
  private static Map<CustomerId, Long> lockVersions(Connection c, List<CustomerId> customers) throws SQLException {
    Map<CustomerId, Long> versions = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT customer, version FROM vault_customer "
        + "WHERE customer = ANY (?) AND erased_at IS NULL ORDER BY customer FOR UPDATE")) {
      ps.setArray(1, c.createArrayOf("text", customers.stream().map(CustomerId::value).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          versions.put(new CustomerId(rs.getString(1)), rs.getLong(2));
        }
      }
    }
    return versions;
  }

  /** Inserts the customers that do not exist yet; returns those it inserted. */
  private static Set<CustomerId> create(Connection c, List<Create> creates) throws SQLException {
    Set<CustomerId> created = new HashSet<>();
    for (int from = 0; from < creates.size(); from += CHUNK) {
      List<Create> chunk = creates.subList(from, Math.min(creates.size(), from + CHUNK));
      StringBuilder sql = new StringBuilder("INSERT INTO vault_customer (customer, version, kek_id, wrapped_keyset, "
          + "sealed_salt, rotating, keys_made_at, created_at) VALUES ");
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append("(?, 1, ?, ?, ?, ?, ?, ?)");
      }
      sql.append(" ON CONFLICT (customer) DO NOTHING RETURNING customer");
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        int p = 1;
        for (Create cr : chunk) {
          KeyMaterial k = cr.keys();
          ps.setString(p++, cr.customer().value());
          ps.setInt(p++, k.kekId());
          ps.setBytes(p++, k.wrappedKeyset());
          ps.setBytes(p++, k.sealedSalt());
          ps.setBoolean(p++, k.rotating());
          Sql.setInstant(ps, p++, k.keysMadeAt());
          Sql.setInstant(ps, p++, cr.createdAt());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            created.add(new CustomerId(rs.getString(1)));
          }
        }
      }
    }
    return created;
  }

  private static void writeFields(Connection c, List<CustomerWrite> applied) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO vault_field (customer, field, ciphertext, key_id, digest, "
        + "version) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (customer, field) DO UPDATE SET ciphertext = excluded.ciphertext, "
        + "key_id = excluded.key_id, digest = excluded.digest, version = vault_field.version + 1")) {
      int n = 0;
      for (CustomerWrite w : applied) {
        for (FieldWrite f : w.fields()) {
          ps.setString(1, w.customer().value());
          ps.setString(2, f.field().name());
          ps.setBytes(3, f.ciphertext());
          ps.setInt(4, f.keyId());
          ps.setBytes(5, f.digest());
          ps.addBatch();
          n++;
        }
      }
      if (n > 0) {
        ps.executeBatch();
      }
    }
  }

  private static void writeIndex(Connection c, List<CustomerWrite> applied) throws SQLException {
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM vault_blind_index WHERE customer = ? AND kind = ?");
        PreparedStatement insert = c.prepareStatement("INSERT INTO vault_blind_index (kind, hmac, customer) VALUES (?, ?, ?)")) {
      int deletes = 0;
      int inserts = 0;
      for (CustomerWrite w : applied) {
        for (var e : w.index().entrySet()) {
          if (w instanceof Update) {
            delete.setString(1, w.customer().value());
            delete.setString(2, e.getKey().wireName());
            delete.addBatch();
            deletes++;
          }
          for (byte[] hmac : e.getValue()) {
            insert.setString(1, e.getKey().wireName());
            insert.setBytes(2, hmac);
            insert.setString(3, w.customer().value());
            insert.addBatch();
            inserts++;
          }
        }
      }
      if (deletes > 0) {
        delete.executeBatch();
      }
      if (inserts > 0) {
        insert.executeBatch();
      }
    }
  }

  @Override
  public List<CustomerId> find(SearchKey key, byte[] hmac) {
    return Sql.statement(db, "look up a " + key.wireName() + " in the vault's blind index", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT b.customer FROM vault_blind_index b "
          + "JOIN vault_customer v ON v.customer = b.customer WHERE b.kind = ? AND b.hmac = ? AND v.erased_at IS NULL "
          + "ORDER BY b.customer")) {
        ps.setString(1, key.wireName());
        ps.setBytes(2, hmac);
        return customers(ps);
      }
    });
  }

  @Override
  public boolean erase(CustomerId customer, Instant at) {
    return Sql.transaction(db, "erase customer " + customer + " from the vault", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE vault_customer SET kek_id = NULL, wrapped_keyset = NULL, "
          + "sealed_salt = NULL, keys_made_at = NULL, rotating = false, erased_at = ?, version = version + 1 "
          + "WHERE customer = ? AND erased_at IS NULL")) {
        Sql.setInstant(ps, 1, at);
        ps.setString(2, customer.value());
        if (ps.executeUpdate() == 0) {
          return false;
        }
      }
      for (String table : List.of("vault_field", "vault_blind_index")) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE customer = ?")) {
          ps.setString(1, customer.value());
          ps.executeUpdate();
        }
      }
      return true;
    });
  }

  @Override
  public boolean replaceKeys(CustomerId customer, long expectedVersion, KeyMaterial next, OptionalInt onlyKeyId) {
    return Sql.transaction(db, "replace the keys of customer " + customer + " in the vault", c -> {
      Long version = lockVersions(c, List.of(customer)).get(customer);
      if (version == null || version != expectedVersion) {
        return false;
      }
      if (onlyKeyId.isPresent()) {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM vault_field WHERE customer = ? AND key_id <> ?)")) {
          ps.setString(1, customer.value());
          ps.setInt(2, onlyKeyId.getAsInt());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getBoolean(1)) {
              return false;
            }
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE vault_customer SET kek_id = ?, wrapped_keyset = ?, "
          + "sealed_salt = ?, rotating = ?, keys_made_at = ?, version = version + 1 WHERE customer = ?")) {
        ps.setInt(1, next.kekId());
        ps.setBytes(2, next.wrappedKeyset());
        ps.setBytes(3, next.sealedSalt());
        ps.setBoolean(4, next.rotating());
        Sql.setInstant(ps, 5, next.keysMadeAt());
        ps.setString(6, customer.value());
        ps.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public OptionalInt reencrypt(CustomerId customer, long expectedVersion, List<Reencryption> fields) {
    return Sql.transaction(db, "re-encrypt fields of customer " + customer + " in the vault", c -> {
      Long version = lockVersions(c, List.of(customer)).get(customer);
      if (version == null || version != expectedVersion) {
        return OptionalInt.empty();
      }
      if (fields.isEmpty()) {
        return OptionalInt.of(0);
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE vault_field SET ciphertext = ?, key_id = ?, "
          + "version = version + 1 WHERE customer = ? AND field = ? AND version = ?")) {
        for (Reencryption r : fields) {
          ps.setBytes(1, r.ciphertext());
          ps.setInt(2, r.keyId());
          ps.setString(3, customer.value());
          ps.setString(4, r.field().name());
          ps.setLong(5, r.expectedVersion());
          ps.addBatch();
        }
        int n = 0;
        for (int count : ps.executeBatch()) {
          n += Math.max(count, 0);
        }
        return OptionalInt.of(n);
      }
    });
  }

  @Override
  public List<CustomerId> rotating(int limit) {
    return list("list customers with a data-key rotation under way",
        "SELECT customer FROM vault_customer WHERE rotating ORDER BY customer LIMIT ?", ps -> ps.setInt(1, limit));
  }

  @Override
  public List<CustomerId> keysMadeBefore(Instant cutoff, int limit) {
    return list("list customers whose data keys were made before " + cutoff,
        "SELECT customer FROM vault_customer WHERE erased_at IS NULL AND NOT rotating AND keys_made_at < ? "
            + "ORDER BY keys_made_at, customer LIMIT ?", ps -> {
          Sql.setInstant(ps, 1, cutoff);
          ps.setInt(2, limit);
        });
  }

  @Override
  public List<CustomerId> wrappedByOtherThan(int kekId, int limit) {
    return list("list customers wrapped by a key-encryption key other than " + kekId,
        "SELECT customer FROM vault_customer WHERE erased_at IS NULL AND kek_id <> ? ORDER BY customer LIMIT ?", ps -> {
          ps.setInt(1, kekId);
          ps.setInt(2, limit);
        });
  }

  @Override
  public dev.custos.vault.KeyCensus census(Instant keysMadeBefore) {
    java.util.Objects.requireNonNull(keysMadeBefore, "keysMadeBefore");
    return Sql.statement(db, "count the vault's keys", c -> {
      java.util.Map<Integer, Long> byKek = new java.util.TreeMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT kek_id, count(*) FROM vault_customer WHERE erased_at IS NULL GROUP BY kek_id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byKek.put(rs.getInt(1), rs.getLong(2));
        }
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE rotating), "
          + "count(*) FILTER (WHERE NOT rotating AND keys_made_at < ?) FROM vault_customer WHERE erased_at IS NULL")) {
        Sql.setInstant(ps, 1, keysMadeBefore);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new dev.custos.vault.KeyCensus(byKek, rs.getLong(1), rs.getLong(2));
        }
      }
    });
  }

  private List<CustomerId> list(String what, String sql, Sql.Binder binder) {
    return Sql.statement(db, what, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        binder.bind(ps);
        return customers(ps);
      }
    });
  }

  private static List<CustomerId> customers(PreparedStatement ps) throws SQLException {
    List<CustomerId> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new CustomerId(rs.getString(1)));
      }
    }
    return out;
  }

  private static String describe(Collection<CustomerId> customers) {
    return customers.size() == 1 ? "customer " + customers.iterator().next() : customers.size() + " customers";
  }
}
