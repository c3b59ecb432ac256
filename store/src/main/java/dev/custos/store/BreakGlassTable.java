package dev.custos.store;

import dev.custos.access.BreakGlassReview;
import dev.custos.access.BreakGlassStore;
import dev.custos.access.BreakGlassUse;
import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The break-glass review queue in PostgreSQL (table {@code break_glass}, V8). A review is one
 * guarded UPDATE (still pending, reviewer not the user), so of two racing reviewers one wins.
 */
public final class BreakGlassTable implements BreakGlassStore {
  private static final String COLUMNS = "id, staff, customer, reason, at, reviewed_by, justified, review_note, reviewed_at";

  private final DataSource db;

  public BreakGlassTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public long record(BreakGlassUse use) {
    return Sql.statement(db, "record break-glass use of " + use.staff(), c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO break_glass (staff, customer, reason, at) VALUES (?, ?, ?, ?) RETURNING id")) {
        ps.setString(1, use.staff().value());
        ps.setString(2, use.customer().value());
        ps.setString(3, use.reason());
        Sql.setInstant(ps, 4, use.at());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public Optional<BreakGlassReview> find(long id) {
    return Sql.statement(db, "read break-glass use " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM break_glass WHERE id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(review(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<BreakGlassReview> pending(int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000");
    }
    return Sql.statement(db, "list pending break-glass uses", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM break_glass WHERE reviewed_by IS NULL "
          + "ORDER BY id LIMIT ?")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          List<BreakGlassReview> out = new ArrayList<>();
          while (rs.next()) {
            out.add(review(rs));
          }
          return out;
        }
      }
    });
  }

  @Override
  public boolean review(long id, BreakGlassReview.Verdict v) {
    return Sql.update(db, "review break-glass use " + id, "UPDATE break_glass SET reviewed_by = ?, justified = ?, "
        + "review_note = ?, reviewed_at = ? WHERE id = ? AND reviewed_by IS NULL AND staff <> ?", ps -> {
          ps.setString(1, v.reviewer().value());
          ps.setBoolean(2, v.justified());
          ps.setString(3, v.note());
          Sql.setInstant(ps, 4, v.at());
          ps.setLong(5, id);
          ps.setString(6, v.reviewer().value());
        }) == 1;
  }

  @Override
  public long countSince(StaffId staff, Instant since) {
    return Sql.statement(db, "count break-glass uses of " + staff, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM break_glass WHERE staff = ? AND at >= ?")) {
        ps.setString(1, staff.value());
        Sql.setInstant(ps, 2, since);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  private static BreakGlassReview review(ResultSet rs) throws SQLException {
    BreakGlassUse use = new BreakGlassUse(new StaffId(rs.getString("staff")), new CustomerId(rs.getString("customer")),
        rs.getString("reason"), Sql.requiredInstant(rs, "at"));
    String reviewer = rs.getString("reviewed_by");
    Optional<BreakGlassReview.Verdict> verdict = reviewer == null ? Optional.empty()
        : Optional.of(new BreakGlassReview.Verdict(new StaffId(reviewer), rs.getBoolean("justified"),
            rs.getString("review_note"), Sql.requiredInstant(rs, "reviewed_at")));
    return new BreakGlassReview(rs.getLong("id"), use, verdict);
  }
}
