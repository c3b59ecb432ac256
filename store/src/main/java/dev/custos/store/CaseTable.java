package dev.custos.store;

import dev.custos.access.Case;
import dev.custos.access.CaseApproval;
import dev.custos.access.CaseId;
import dev.custos.access.CaseStore;
import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Investigation cases in PostgreSQL (table {@code access_case}, V8). Approval and closing are one
 * guarded UPDATE each, so of two racing approvers exactly one is recorded; the table itself refuses
 * an approval by the case's own lead.
 */
public final class CaseTable implements CaseStore {
  private static final String COLUMNS = "id, lead, title, customers, members, opened_at, expires_at, approved_by, "
      + "approver_roles, approved_at, closed_at";

  private final DataSource db;

  public CaseTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public boolean create(Case k) {
    return Sql.statement(db, "create case " + k.id(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO access_case (" + COLUMNS + ") "
          + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
        ps.setString(1, k.id().value());
        ps.setString(2, k.lead().value());
        ps.setString(3, k.title());
        ps.setArray(4, texts(c, k.customers(), CustomerId::value));
        ps.setArray(5, texts(c, k.members(), StaffId::value));
        Sql.setInstant(ps, 6, k.openedAt());
        Sql.setInstant(ps, 7, k.expiresAt());
        ps.setString(8, k.approval().map(a -> a.by().value()).orElse(null));
        ps.setArray(9, k.approval().isPresent() ? texts(c, k.approval().get().roles(), Role::wireName) : null);
        Sql.setInstant(ps, 10, k.approval().map(CaseApproval::at));
        Sql.setInstant(ps, 11, k.closedAt());
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<Case> find(CaseId id) {
    return Sql.statement(db, "read case " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM access_case WHERE id = ?")) {
        ps.setString(1, id.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(kase(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public boolean approve(CaseId id, CaseApproval a) {
    return Sql.statement(db, "approve case " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE access_case SET approved_by = ?, approver_roles = ?, "
          + "approved_at = ? WHERE id = ? AND approved_by IS NULL AND closed_at IS NULL")) {
        ps.setString(1, a.by().value());
        ps.setArray(2, texts(c, a.roles(), Role::wireName));
        Sql.setInstant(ps, 3, a.at());
        ps.setString(4, id.value());
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean close(CaseId id, Instant at) {
    return Sql.update(db, "close case " + id, "UPDATE access_case SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
        ps -> {
          Sql.setInstant(ps, 1, at);
          ps.setString(2, id.value());
        }) == 1;
  }

  @Override
  public List<Case> runningCasesOf(StaffId member, Instant now) {
    return Sql.statement(db, "list cases of " + member, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM access_case "
          + "WHERE members @> ARRAY[?]::text[] AND closed_at IS NULL AND expires_at > ? ORDER BY opened_at DESC, id")) {
        ps.setString(1, member.value());
        Sql.setInstant(ps, 2, now);
        try (ResultSet rs = ps.executeQuery()) {
          List<Case> out = new ArrayList<>();
          while (rs.next()) {
            out.add(kase(rs));
          }
          return out;
        }
      }
    });
  }

  private static <T> Array texts(Connection c, Collection<T> values, Function<T, String> name) throws SQLException {
    return c.createArrayOf("text", values.stream().map(name).sorted().toArray());
  }

  private static <T> Set<T> set(ResultSet rs, String column, Function<String, T> parse) throws SQLException {
    Array a = rs.getArray(column);
    if (a == null) {
      return null;
    }
    Set<T> out = new HashSet<>();
    for (Object o : (Object[]) a.getArray()) {
      out.add(parse.apply((String) o));
    }
    return out;
  }

  private static Case kase(ResultSet rs) throws SQLException {
    String approvedBy = rs.getString("approved_by");
    Optional<CaseApproval> approval = approvedBy == null ? Optional.empty()
        : Optional.of(new CaseApproval(new StaffId(approvedBy), set(rs, "approver_roles", Role::parse),
            Sql.requiredInstant(rs, "approved_at")));
    return new Case(new CaseId(rs.getString("id")), new StaffId(rs.getString("lead")), rs.getString("title"),
        set(rs, "customers", CustomerId::new), set(rs, "members", StaffId::new), Sql.requiredInstant(rs, "opened_at"),
        Sql.requiredInstant(rs, "expires_at"), approval, Sql.instant(rs, "closed_at"));
  }
}
