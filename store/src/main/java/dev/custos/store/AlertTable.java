package dev.custos.store;

import dev.custos.access.StaffId;
import dev.custos.detect.Alert;
import dev.custos.detect.AlertStore;
import dev.custos.detect.AlertVerdict;
import dev.custos.detect.Assessment;
import dev.custos.detect.Measure;
import dev.custos.detect.Reading;
import dev.custos.detect.Signal;
import dev.custos.detect.TrackedAlert;
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
 * Alerts in PostgreSQL (table {@code alert}, V11). Each change is one UPDATE guarded by the status
 * it requires, so of two analysts racing on an alert one wins.
 */
public final class AlertTable implements AlertStore {
  private static final String COLUMNS = "id, staff, raised_at, measure, risk, readings, ledger_index, status, "
      + "acknowledged_by, assignee, verdict, closed_by, note, updated_at";

  private final DataSource db;

  public AlertTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public void add(Alert alert) {
    Sql.update(db, "add alert " + alert.id(), "INSERT INTO alert (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, 'open', "
        + "NULL, NULL, NULL, NULL, '', ?) ON CONFLICT (id) DO NOTHING", ps -> {
          ps.setString(1, alert.id());
          ps.setString(2, alert.staff().value());
          Sql.setInstant(ps, 3, alert.raisedAt());
          ps.setString(4, alert.measure().wireName());
          ps.setDouble(5, alert.assessment().risk());
          ps.setString(6, readings(alert.assessment().readings()));
          ps.setLong(7, alert.ledgerIndex());
          Sql.setInstant(ps, 8, alert.raisedAt());
        });
  }

  @Override
  public Optional<TrackedAlert> find(String id) {
    return Sql.statement(db, "read alert " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alert WHERE id = ?")) {
        ps.setString(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(tracked(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<TrackedAlert> list(Optional<TrackedAlert.Status> status, int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000");
    }
    return Sql.statement(db, "list alerts", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alert"
          + (status.isPresent() ? " WHERE status = ?" : "") + " ORDER BY raised_at DESC, ledger_index DESC LIMIT ?")) {
        int i = 1;
        if (status.isPresent()) {
          ps.setString(i++, status.get().wireName());
        }
        ps.setInt(i, limit);
        try (ResultSet rs = ps.executeQuery()) {
          List<TrackedAlert> out = new ArrayList<>();
          while (rs.next()) {
            out.add(tracked(rs));
          }
          return out;
        }
      }
    });
  }

  @Override
  public boolean acknowledge(String id, StaffId by, Instant at) {
    return Sql.update(db, "acknowledge alert " + id, "UPDATE alert SET status = 'acknowledged', acknowledged_by = ?, "
        + "updated_at = ? WHERE id = ? AND status = 'open'", ps -> {
          ps.setString(1, by.value());
          Sql.setInstant(ps, 2, at);
          ps.setString(3, id);
        }) == 1;
  }

  @Override
  public boolean assign(String id, StaffId to, Instant at) {
    return Sql.update(db, "assign alert " + id, "UPDATE alert SET assignee = ?, updated_at = ? "
        + "WHERE id = ? AND status <> 'closed'", ps -> {
          ps.setString(1, to.value());
          Sql.setInstant(ps, 2, at);
          ps.setString(3, id);
        }) == 1;
  }

  @Override
  public boolean close(String id, AlertVerdict verdict, String note, StaffId by, Instant at) {
    return Sql.update(db, "close alert " + id, "UPDATE alert SET status = 'closed', verdict = ?, closed_by = ?, note = ?, "
        + "updated_at = ? WHERE id = ? AND status <> 'closed'", ps -> {
          ps.setString(1, verdict.wireName());
          ps.setString(2, by.value());
          ps.setString(3, note);
          Sql.setInstant(ps, 4, at);
          ps.setString(5, id);
        }) == 1;
  }

  /** One line per reading: signal, value, own baseline, peer baseline, surprise (exact decimal round trip). */
  static String readings(List<Reading> readings) {
    StringBuilder s = new StringBuilder();
    for (Reading r : readings) {
      if (!s.isEmpty()) {
        s.append('\n');
      }
      s.append(r.signal().name()).append(' ').append(r.value()).append(' ').append(r.ownBaseline()).append(' ')
          .append(r.peerBaseline()).append(' ').append(r.surprise());
    }
    return s.toString();
  }

  static List<Reading> readings(String text) {
    List<Reading> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] p = line.split(" ");
      out.add(new Reading(Signal.valueOf(p[0]), Double.parseDouble(p[1]), Double.parseDouble(p[2]),
          Double.parseDouble(p[3]), Double.parseDouble(p[4])));
    }
    return out;
  }

  private static TrackedAlert tracked(ResultSet rs) throws SQLException {
    Measure measure = null;
    for (Measure m : Measure.values()) {
      if (m.wireName().equals(rs.getString("measure"))) {
        measure = m;
      }
    }
    Assessment a = new Assessment(new StaffId(rs.getString("staff")), Sql.requiredInstant(rs, "raised_at"),
        Objects.requireNonNull(measure, "measure"), rs.getDouble("risk"), readings(rs.getString("readings")));
    Alert alert = new Alert(rs.getString("id"), a, rs.getLong("ledger_index"));
    String verdict = rs.getString("verdict");
    return new TrackedAlert(alert, TrackedAlert.Status.parse(rs.getString("status")), staff(rs, "acknowledged_by"),
        staff(rs, "assignee"), verdict == null ? Optional.empty() : Optional.of(AlertVerdict.parse(verdict)),
        staff(rs, "closed_by"), rs.getString("note"), Sql.requiredInstant(rs, "updated_at"));
  }

  private static Optional<StaffId> staff(ResultSet rs, String column) throws SQLException {
    String v = rs.getString(column);
    return v == null ? Optional.empty() : Optional.of(new StaffId(v));
  }
}
