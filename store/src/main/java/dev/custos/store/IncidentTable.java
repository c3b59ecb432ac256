package dev.custos.store;

import dev.custos.access.StaffId;
import dev.custos.incident.Incident;
import dev.custos.incident.IncidentId;
import dev.custos.incident.IncidentStatus;
import dev.custos.incident.IncidentStep;
import dev.custos.incident.IncidentStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Incidents and their timelines in PostgreSQL (tables {@code incident} and {@code incident_step}, V14).
 * A change is one transaction: an UPDATE guarded by the version it read, then the step, so of two
 * analysts racing on one version exactly one changes it.
 */
public final class IncidentTable implements IncidentStore {
  private static final String COLUMNS = "id, title, notes, suspects, window_from, window_to, status, owner, opened_by, "
      + "opened_at, updated_at, version";

  private final DataSource db;

  public IncidentTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public boolean create(Incident i, IncidentStep first) {
    return Sql.transaction(db, "open incident " + i.id(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO incident (" + COLUMNS + ") VALUES "
          + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
        ps.setString(1, i.id().value());
        ps.setString(2, i.title());
        ps.setString(3, i.notes());
        ps.setString(4, String.join(",", i.suspects().stream().map(StaffId::value).toList()));
        Sql.setInstant(ps, 5, i.from());
        Sql.setInstant(ps, 6, i.to());
        ps.setString(7, i.status().wireName());
        ps.setString(8, i.owner().map(StaffId::value).orElse(null));
        ps.setString(9, i.openedBy().value());
        Sql.setInstant(ps, 10, i.openedAt());
        Sql.setInstant(ps, 11, i.updatedAt());
        ps.setLong(12, i.version());
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      insertStep(c, i.id(), first);
      return true;
    });
  }

  @Override
  public Optional<Incident> find(IncidentId id) {
    return Sql.statement(db, "read incident " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM incident WHERE id = ?")) {
        ps.setString(1, id.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(incident(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<Incident> list(Optional<IncidentStatus> status, int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000");
    }
    return query("list incidents", "SELECT " + COLUMNS + " FROM incident"
        + (status.isPresent() ? " WHERE status = ?" : "") + " ORDER BY opened_at DESC, id LIMIT ?", ps -> {
          int i = 1;
          if (status.isPresent()) {
            ps.setString(i++, status.get().wireName());
          }
          ps.setInt(i, limit);
        });
  }

  @Override
  public List<Incident> active() {
    return query("list active incidents", "SELECT " + COLUMNS + " FROM incident WHERE status <> 'closed'", ps -> { });
  }

  private List<Incident> query(String what, String sql, Sql.Binder binder) {
    return Sql.statement(db, what, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        binder.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          List<Incident> out = new ArrayList<>();
          while (rs.next()) {
            out.add(incident(rs));
          }
          return out;
        }
      }
    });
  }

  @Override
  public boolean change(Incident next, long expectedVersion, IncidentStep step) {
    return Sql.transaction(db, "change incident " + next.id(), c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE incident SET status = ?, owner = ?, updated_at = ?, "
          + "version = version + 1 WHERE id = ? AND version = ?")) {
        ps.setString(1, next.status().wireName());
        ps.setString(2, next.owner().map(StaffId::value).orElse(null));
        Sql.setInstant(ps, 3, next.updatedAt());
        ps.setString(4, next.id().value());
        ps.setLong(5, expectedVersion);
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      insertStep(c, next.id(), step);
      return true;
    });
  }

  @Override
  public boolean addStep(IncidentId id, IncidentStep step) {
    return Sql.transaction(db, "add a step to incident " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM incident WHERE id = ?")) {
        ps.setString(1, id.value());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
        }
      }
      insertStep(c, id, step);
      return true;
    });
  }

  @Override
  public List<IncidentStep> timeline(IncidentId id) {
    return Sql.statement(db, "read the timeline of incident " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT at, by_actor, event, detail, text, ledger_index "
          + "FROM incident_step WHERE incident = ? ORDER BY seq")) {
        ps.setString(1, id.value());
        try (ResultSet rs = ps.executeQuery()) {
          List<IncidentStep> out = new ArrayList<>();
          while (rs.next()) {
            out.add(new IncidentStep(Sql.requiredInstant(rs, "at"), rs.getString("by_actor"), rs.getString("event"),
                detail(rs.getString("detail")), Optional.ofNullable(rs.getString("text")), rs.getLong("ledger_index")));
          }
          return out;
        }
      }
    });
  }

  private static void insertStep(Connection c, IncidentId id, IncidentStep s) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO incident_step (incident, at, by_actor, event, detail, "
        + "text, ledger_index) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, id.value());
      Sql.setInstant(ps, 2, s.at());
      ps.setString(3, s.by());
      ps.setString(4, s.event());
      ps.setString(5, detail(s.detail()));
      ps.setString(6, s.text().orElse(null));
      ps.setLong(7, s.ledgerIndex());
      ps.executeUpdate();
    }
  }

  /** "key=value" lines in key order; keys and values hold no line breaks (they are wire names and counts). */
  static String detail(Map<String, String> detail) {
    StringBuilder s = new StringBuilder();
    new java.util.TreeMap<>(detail).forEach((k, v) -> {
      if (k.contains("=") || k.contains("\n") || v.contains("\n")) {
        throw new IllegalArgumentException("a step's detail is one line per key=value");
      }
      s.append(k).append('=').append(v).append('\n');
    });
    return s.toString();
  }

  static Map<String, String> detail(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        out.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return out;
  }

  private static Incident incident(ResultSet rs) throws SQLException {
    Set<StaffId> suspects = new LinkedHashSet<>();
    for (String s : rs.getString("suspects").split(",")) {
      suspects.add(new StaffId(s));
    }
    String owner = rs.getString("owner");
    return new Incident(new IncidentId(rs.getString("id")), rs.getString("title"), rs.getString("notes"), suspects,
        Sql.requiredInstant(rs, "window_from"), Sql.requiredInstant(rs, "window_to"),
        IncidentStatus.parse(rs.getString("status")), owner == null ? Optional.empty() : Optional.of(new StaffId(owner)),
        new StaffId(rs.getString("opened_by")), Sql.requiredInstant(rs, "opened_at"),
        Sql.requiredInstant(rs, "updated_at"), rs.getLong("version"));
  }
}
