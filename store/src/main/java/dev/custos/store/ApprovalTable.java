package dev.custos.store;

import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.approval.ActionPolicy;
import dev.custos.approval.ActionSpec;
import dev.custos.approval.Approval;
import dev.custos.approval.ApprovalRequest;
import dev.custos.approval.ApprovalState;
import dev.custos.approval.ApprovalStore;
import dev.custos.approval.RequestId;
import dev.custos.approval.SensitiveAction;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Approval requests in PostgreSQL (tables {@code approval_request} and {@code approval_vote}, V12).
 * A replacement is one transaction: a guarded {@code UPDATE ... WHERE version = ?} and the insert of
 * the new approvals. PostgreSQL's row lock makes a concurrent second UPDATE of the same version wait
 * for the first and then find the version gone, so exactly one of racing replacements is stored.
 */
public final class ApprovalTable implements ApprovalStore {
  private static final String COLUMNS = "id, action, customer, param_names, param_values, salt, binding_hash, requester, "
      + "requester_person, requester_team, conflicted, required, approver_roles, approver_teams, distinct_team, "
      + "expiry_seconds, time_lock_seconds, notify_customer, state, created_at, expires_at, approved_at, unlocks_at, "
      + "closed_by, closed_at, note, version";

  private final DataSource db;

  public ApprovalTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public boolean create(ApprovalRequest r) {
    return Sql.transaction(db, "create approval request " + r.id(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO approval_request (" + COLUMNS + ") VALUES ("
          + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
        ActionPolicy p = r.policy();
        ps.setString(1, r.id().value());
        ps.setString(2, r.spec().action().wireName());
        ps.setString(3, r.spec().customer().map(CustomerId::value).orElse(null));
        ps.setArray(4, c.createArrayOf("text", r.spec().parameters().keySet().toArray()));
        ps.setArray(5, c.createArrayOf("text", r.spec().parameters().values().toArray()));
        ps.setString(6, r.salt());
        ps.setString(7, r.bindingHash());
        ps.setString(8, r.requester().value());
        ps.setString(9, r.requesterPerson());
        ps.setString(10, r.requesterTeam().orElse(null));
        ps.setArray(11, c.createArrayOf("text", r.conflicted().stream().sorted().toArray()));
        ps.setInt(12, p.required());
        ps.setArray(13, c.createArrayOf("text", p.approverRoles().stream().map(Role::wireName).sorted().toArray()));
        ps.setArray(14, c.createArrayOf("text", p.approverTeams().stream().sorted().toArray()));
        ps.setBoolean(15, p.distinctTeam());
        ps.setLong(16, p.expiry().toSeconds());
        ps.setLong(17, p.timeLock().toSeconds());
        ps.setBoolean(18, p.notifyCustomer());
        ps.setString(19, r.state().wireName());
        Sql.setInstant(ps, 20, r.createdAt());
        Sql.setInstant(ps, 21, r.expiresAt());
        Sql.setInstant(ps, 22, r.approvedAt());
        Sql.setInstant(ps, 23, r.unlocksAt());
        ps.setString(24, r.closedBy().orElse(null));
        Sql.setInstant(ps, 25, r.closedAt());
        ps.setString(26, r.note().orElse(null));
        ps.setLong(27, r.version());
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      insertVotes(c, r, r.approvals());
      return true;
    });
  }

  @Override
  public Optional<ApprovalRequest> find(RequestId id) {
    return Sql.snapshot(db, "read approval request " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM approval_request WHERE id = ?")) {
        ps.setString(1, id.value());
        List<ApprovalRequest> found = read(c, ps);
        return found.stream().findFirst();
      }
    });
  }

  @Override
  public boolean replace(ApprovalRequest current, ApprovalRequest next) {
    if (next.version() != current.version() + 1 || !next.id().equals(current.id())) {
      throw new IllegalArgumentException("next must be the following version of the same request");
    }
    return Sql.transaction(db, "change approval request " + current.id(), c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE approval_request SET param_names = ?, param_values = ?, "
          + "salt = ?, binding_hash = ?, state = ?, approved_at = ?, unlocks_at = ?, closed_by = ?, closed_at = ?, "
          + "note = ?, version = ? WHERE id = ? AND version = ?")) {
        ps.setArray(1, c.createArrayOf("text", next.spec().parameters().keySet().toArray()));
        ps.setArray(2, c.createArrayOf("text", next.spec().parameters().values().toArray()));
        ps.setString(3, next.salt());
        ps.setString(4, next.bindingHash());
        ps.setString(5, next.state().wireName());
        Sql.setInstant(ps, 6, next.approvedAt());
        Sql.setInstant(ps, 7, next.unlocksAt());
        ps.setString(8, next.closedBy().orElse(null));
        Sql.setInstant(ps, 9, next.closedAt());
        ps.setString(10, next.note().orElse(null));
        ps.setLong(11, next.version());
        ps.setString(12, current.id().value());
        ps.setLong(13, current.version());
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      Set<String> had = new HashSet<>();
      if (next.bindingHash().equals(current.bindingHash())) {
        current.approvals().forEach(a -> had.add(a.person()));
      }
      insertVotes(c, next, next.approvals().stream().filter(a -> !had.contains(a.person())).toList());
      return true;
    });
  }

  private static void insertVotes(Connection c, ApprovalRequest r, List<Approval> votes) throws SQLException {
    if (votes.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO approval_vote (request, binding_hash, person, staff, "
        + "roles, at, position) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (Approval a : votes) {
        ps.setString(1, r.id().value());
        ps.setString(2, a.bindingHash());
        ps.setString(3, a.person());
        ps.setString(4, a.staff().value());
        ps.setArray(5, c.createArrayOf("text", a.roles().stream().map(Role::wireName).sorted().toArray()));
        Sql.setInstant(ps, 6, a.at());
        ps.setInt(7, r.approvals().indexOf(a));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @Override
  public List<ApprovalRequest> list(Optional<ApprovalState> state, Optional<StaffId> requester, int limit) {
    return Sql.snapshot(db, "list approval requests", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM approval_request "
          + "WHERE (?::text IS NULL OR state = ?) AND (?::text IS NULL OR requester = ?) "
          + "ORDER BY created_at DESC, id LIMIT ?")) {
        String s = state.map(ApprovalState::wireName).orElse(null);
        String q = requester.map(StaffId::value).orElse(null);
        ps.setString(1, s);
        ps.setString(2, s);
        ps.setString(3, q);
        ps.setString(4, q);
        ps.setInt(5, limit);
        return read(c, ps);
      }
    });
  }

  @Override
  public List<ApprovalRequest> due(Instant now, int limit) {
    return Sql.snapshot(db, "list due approval requests", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM approval_request "
          + "WHERE (state = 'pending' AND expires_at <= ?) OR state = 'approved' "
          + "OR (state = 'time-locked' AND unlocks_at <= ?) ORDER BY created_at, id LIMIT ?")) {
        Sql.setInstant(ps, 1, now);
        Sql.setInstant(ps, 2, now);
        ps.setInt(3, limit);
        return read(c, ps);
      }
    });
  }

  private static List<ApprovalRequest> read(Connection c, PreparedStatement ps) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(row(rs));
      }
    }
    List<ApprovalRequest> out = new ArrayList<>();
    for (Row row : rows) {
      out.add(row.with(votes(c, row.id, row.bindingHash)));
    }
    return out;
  }

  private static List<Approval> votes(Connection c, String id, String hash) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT person, staff, roles, at FROM approval_vote "
        + "WHERE request = ? AND binding_hash = ? ORDER BY position, at")) {
      ps.setString(1, id);
      ps.setString(2, hash);
      List<Approval> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Approval(new StaffId(rs.getString("staff")), rs.getString("person"), roles(rs.getArray("roles")),
              Sql.requiredInstant(rs, "at"), hash));
        }
      }
      return out;
    }
  }

  private static Set<Role> roles(Array a) throws SQLException {
    Set<Role> out = EnumSet.noneOf(Role.class);
    for (String s : texts(a)) {
      out.add(Role.parse(s));
    }
    return out;
  }

  private static List<String> texts(Array a) throws SQLException {
    List<String> out = new ArrayList<>();
    for (Object o : (Object[]) a.getArray()) {
      out.add((String) o);
    }
    return out;
  }

  /** A request row before its approvals are read. */
  private record Row(String id, String bindingHash, ActionSpec spec, String salt, StaffId requester, String person,
      Optional<String> team, Collection<String> conflicted, ActionPolicy policy, ApprovalState state, Instant createdAt,
      Instant expiresAt, Optional<Instant> approvedAt, Optional<Instant> unlocksAt, Optional<String> closedBy,
      Optional<Instant> closedAt, Optional<String> note, long version) {
    ApprovalRequest with(List<Approval> approvals) {
      return new ApprovalRequest(new RequestId(id), spec, salt, requester, person, team, Set.copyOf(conflicted), policy,
          state, createdAt, expiresAt, approvals, approvedAt, unlocksAt, closedBy, closedAt, note, version);
    }
  }

  private static Row row(ResultSet rs) throws SQLException {
    SensitiveAction action = SensitiveAction.parse(rs.getString("action"));
    TreeMap<String, String> params = new TreeMap<>();
    List<String> names = texts(rs.getArray("param_names"));
    List<String> values = texts(rs.getArray("param_values"));
    for (int i = 0; i < names.size(); i++) {
      params.put(names.get(i), values.get(i));
    }
    ActionSpec spec = new ActionSpec(action, Optional.ofNullable(rs.getString("customer")).map(CustomerId::new), params);
    ActionPolicy policy = new ActionPolicy(action, rs.getInt("required"), roles(rs.getArray("approver_roles")),
        Set.copyOf(texts(rs.getArray("approver_teams"))), rs.getBoolean("distinct_team"),
        Duration.ofSeconds(rs.getLong("expiry_seconds")), Duration.ofSeconds(rs.getLong("time_lock_seconds")),
        rs.getBoolean("notify_customer"));
    return new Row(rs.getString("id"), rs.getString("binding_hash"), spec, rs.getString("salt"),
        new StaffId(rs.getString("requester")), rs.getString("requester_person"),
        Optional.ofNullable(rs.getString("requester_team")), texts(rs.getArray("conflicted")), policy,
        ApprovalState.parse(rs.getString("state")), Sql.requiredInstant(rs, "created_at"),
        Sql.requiredInstant(rs, "expires_at"), Sql.instant(rs, "approved_at"), Sql.instant(rs, "unlocks_at"),
        Optional.ofNullable(rs.getString("closed_by")), Sql.instant(rs, "closed_at"),
        Optional.ofNullable(rs.getString("note")), rs.getLong("version"));
  }
}
