package dev.custos.store;

import dev.custos.access.CustomerId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What detection keeps in PostgreSQL besides alerts (V11): each customer's non-PII high-value flag,
 * computed at ingest, and the sealed list of decoy ids.
 */
public final class DetectionFacts {
  private final DataSource db;

  public DetectionFacts(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** Records whether {@code customer} is high-value (VIP or a high balance). */
  public void setHighValue(CustomerId customer, boolean highValue, Instant at) {
    Sql.update(db, "set the high-value flag of a customer", "INSERT INTO customer_flag (customer, high_value, updated_at) "
        + "VALUES (?, ?, ?) ON CONFLICT (customer) DO UPDATE SET high_value = EXCLUDED.high_value, "
        + "updated_at = EXCLUDED.updated_at", ps -> {
          ps.setString(1, customer.value());
          ps.setBoolean(2, highValue);
          Sql.setInstant(ps, 3, at);
        });
  }

  /** Whether {@code customer} is flagged high-value (false when never flagged). */
  public boolean highValue(CustomerId customer) {
    return Sql.statement(db, "read the high-value flag of a customer", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT high_value FROM customer_flag WHERE customer = ?")) {
        ps.setString(1, customer.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() && rs.getBoolean(1);
        }
      }
    });
  }

  /** Those of {@code customers} flagged high-value (one query per 1,000). */
  public java.util.Set<CustomerId> highValueOf(java.util.Collection<CustomerId> customers) {
    java.util.Set<CustomerId> out = new java.util.HashSet<>();
    java.util.List<CustomerId> all = new java.util.ArrayList<>(customers);
    for (int start = 0; start < all.size(); start += 1000) {
      java.util.List<CustomerId> part = all.subList(start, Math.min(all.size(), start + 1000));
      Sql.statement(db, "read the high-value flags of customers", c -> {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT customer FROM customer_flag WHERE high_value AND customer = ANY (?)")) {
          ps.setArray(1, c.createArrayOf("text", part.stream().map(CustomerId::value).toArray()));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(new CustomerId(rs.getString(1)));
            }
          }
        }
        return null;
      });
    }
    return out;
  }

  /** The sealed decoy list, if one was stored. */
  public Optional<byte[]> sealedDecoys() {
    return Sql.statement(db, "read the sealed decoy list", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT sealed FROM decoy_list WHERE id = 1")) {
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
        }
      }
    });
  }

  /** Stores the sealed decoy list unless one exists; true when this call stored it. */
  public boolean storeSealedDecoys(byte[] sealed, Instant at) {
    return Sql.update(db, "store the sealed decoy list", "INSERT INTO decoy_list (id, sealed, created_at) VALUES (1, ?, ?) "
        + "ON CONFLICT (id) DO NOTHING", ps -> {
          ps.setBytes(1, sealed);
          Sql.setInstant(ps, 2, at);
        }) == 1;
  }
}
