package dev.custos.store;

import dev.custos.access.QuotaStore;
import dev.custos.access.QuotaUse;
import dev.custos.access.StaffId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The guardrail counters in PostgreSQL (table {@code quota_event}, V8), shared by every instance.
 *
 * <p>One transaction per check: it first takes a transaction-scoped advisory lock on the staff
 * member ({@code pg_advisory_xact_lock(}{@value #LOCK_CLASS}{@code , hashtext(staff))}; the
 * two-key form, whose key space does not overlap the one-key form other components use), so every
 * check of one staff member on any instance runs strictly after the previous one committed; under
 * READ COMMITTED each following statement then sees every earlier commit. Inside the lock it
 * prunes events older than each window, counts, and records only if every use is admitted. No
 * read-modify-write race: the read and the write are inside the same lock. Two staff members whose
 * ids hash alike merely wait for each other.
 */
public final class QuotaTable implements QuotaStore {
  /** The first key of the advisory lock: "CUST" in ASCII, the namespace of Custos' quota locks. */
  static final int LOCK_CLASS = 0x43555354;

  private final DataSource db;

  public QuotaTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public Result checkAndRecord(StaffId staff, List<QuotaUse> uses, Instant now) {
    Objects.requireNonNull(staff, "staff");
    List<QuotaUse> all = List.copyOf(uses);
    Objects.requireNonNull(now, "now");
    return Sql.transaction(db, "check quotas of " + staff, c -> {
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
        lock.setInt(1, LOCK_CLASS);
        lock.setString(2, staff.value());
        lock.execute();
      }
      for (QuotaUse u : all) {
        Instant from = now.minus(u.window());
        prune(c, staff, u, from);
        if (u.distinct().isPresent() && seen(c, staff, u, from)) {
          continue;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + (u.distinct().isPresent() ? "count(DISTINCT subject)"
            : "count(*)") + ", min(at) FROM quota_event WHERE staff = ? AND quota = ? AND at > ?")) {
          ps.setString(1, staff.value());
          ps.setString(2, u.quota());
          Sql.setInstant(ps, 3, from);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            long used = rs.getLong(1);
            if (used >= u.limit()) {
              Optional<Instant> oldest = Sql.instant(rs, "min");
              return new Refused(u, used, oldest);
            }
          }
        }
      }
      for (QuotaUse u : all) {
        record(c, staff, u, now);
      }
      return ADMITTED;
    });
  }

  private static void prune(Connection c, StaffId staff, QuotaUse u, Instant from) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM quota_event WHERE staff = ? AND quota = ? AND at <= ?")) {
      ps.setString(1, staff.value());
      ps.setString(2, u.quota());
      Sql.setInstant(ps, 3, from);
      ps.executeUpdate();
    }
  }

  private static boolean seen(Connection c, StaffId staff, QuotaUse u, Instant from) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM quota_event WHERE staff = ? AND quota = ? AND subject = ? AND at > ?")) {
      ps.setString(1, staff.value());
      ps.setString(2, u.quota());
      ps.setString(3, u.distinct().get());
      Sql.setInstant(ps, 4, from);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void record(Connection c, StaffId staff, QuotaUse u, Instant now) throws SQLException {
    String sql = u.distinct().isPresent()
        ? "INSERT INTO quota_event (staff, quota, subject, at) VALUES (?, ?, ?, ?) "
            + "ON CONFLICT (staff, quota, subject) WHERE subject IS NOT NULL "
            + "DO UPDATE SET at = GREATEST(quota_event.at, EXCLUDED.at)"
        : "INSERT INTO quota_event (staff, quota, subject, at) VALUES (?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, staff.value());
      ps.setString(2, u.quota());
      ps.setString(3, u.distinct().orElse(null));
      Sql.setInstant(ps, 4, now);
      ps.executeUpdate();
    }
  }
}
