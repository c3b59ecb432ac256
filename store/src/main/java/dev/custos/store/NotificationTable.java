package dev.custos.store;

import dev.custos.access.CustomerId;
import dev.custos.incident.IncidentId;
import dev.custos.incident.Notification;
import dev.custos.incident.NotificationState;
import dev.custos.incident.NotificationStore;
import dev.custos.vault.Commitment;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Customer notifications in PostgreSQL (table {@code incident_notification}, V14): its primary key
 * (incident, customer) makes a second notification of one customer for one incident impossible, and
 * a claim is one UPDATE over rows locked with {@code SKIP LOCKED}, so concurrent senders (in any
 * number of processes) never claim one row twice.
 */
public final class NotificationTable implements NotificationStore {
  private static final String COLUMNS = "incident, customer, customer_id, state, attempts, next_at, error, updated_at";

  private final DataSource db;

  public NotificationTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public int enqueue(IncidentId incident, Map<Commitment, CustomerId> customers, Instant at) {
    if (customers.isEmpty()) {
      return 0;
    }
    return Sql.transaction(db, "queue notifications of incident " + incident, c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO incident_notification (incident, customer, "
          + "customer_id, state, attempts, next_at, claimed_at, error, updated_at) VALUES (?, ?, ?, 'pending', 0, ?, "
          + "NULL, NULL, ?) ON CONFLICT (incident, customer) DO NOTHING")) {
        for (var e : customers.entrySet()) {
          ps.setString(1, incident.value());
          ps.setString(2, e.getKey().hex());
          ps.setString(3, e.getValue().value());
          Sql.setInstant(ps, 4, at);
          Sql.setInstant(ps, 5, at);
          ps.addBatch();
        }
        int added = 0;
        for (int n : ps.executeBatch()) {
          added += Math.max(0, n);
        }
        return added;
      }
    });
  }

  @Override
  public List<Notification> claim(Instant now, int limit) {
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit must be between 1 and 10000");
    }
    return Sql.transaction(db, "claim notifications", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE incident_notification n SET state = 'sending', "
          + "attempts = n.attempts + 1, claimed_at = ?, updated_at = ? FROM (SELECT incident, customer FROM "
          + "incident_notification WHERE state IN ('pending', 'retry') AND next_at <= ? ORDER BY next_at, seq LIMIT ? "
          + "FOR UPDATE SKIP LOCKED) due WHERE n.incident = due.incident AND n.customer = due.customer RETURNING "
          + "n.incident, n.customer, n.customer_id, n.state, n.attempts, n.next_at, n.error, n.updated_at")) {
        Sql.setInstant(ps, 1, now);
        Sql.setInstant(ps, 2, now);
        Sql.setInstant(ps, 3, now);
        ps.setInt(4, limit);
        try (ResultSet rs = ps.executeQuery()) {
          List<Notification> out = new ArrayList<>();
          while (rs.next()) {
            out.add(notification(rs));
          }
          return out;
        }
      }
    });
  }

  @Override
  public boolean markSent(IncidentId incident, Commitment customer, Instant at) {
    return mark(incident, customer, NotificationState.SENT, null, null, at);
  }

  @Override
  public boolean markRetry(IncidentId incident, Commitment customer, Instant nextAt, String error, Instant at) {
    return mark(incident, customer, NotificationState.RETRY, nextAt, error, at);
  }

  @Override
  public boolean markEnded(IncidentId incident, Commitment customer, NotificationState terminal, String error,
      Instant at) {
    if (terminal != NotificationState.FAILED && terminal != NotificationState.UNREACHABLE) {
      throw new IllegalArgumentException("a notification ends failed or unreachable");
    }
    return mark(incident, customer, terminal, null, error, at);
  }

  private boolean mark(IncidentId incident, Commitment customer, NotificationState to, Instant nextAt, String error,
      Instant at) {
    return Sql.update(db, "mark a notification of incident " + incident + " " + to.wireName(),
        "UPDATE incident_notification SET state = ?, next_at = COALESCE(?, next_at), error = COALESCE(?, error), "
            + "claimed_at = NULL, updated_at = ? WHERE incident = ? AND customer = ? AND state = 'sending'", ps -> {
          ps.setString(1, to.wireName());
          Sql.setInstant(ps, 2, nextAt);
          ps.setString(3, error);
          Sql.setInstant(ps, 4, at);
          ps.setString(5, incident.value());
          ps.setString(6, customer.hex());
        }) == 1;
  }

  @Override
  public int expireClaims(Instant claimedBefore, Instant at) {
    return Sql.update(db, "expire notification claims", "UPDATE incident_notification SET state = 'uncertain', "
        + "error = 'claim-expired', claimed_at = NULL, updated_at = ? WHERE state = 'sending' AND claimed_at < ?", ps -> {
          Sql.setInstant(ps, 1, at);
          Sql.setInstant(ps, 2, claimedBefore);
        });
  }

  @Override
  public Map<NotificationState, Integer> counts(IncidentId incident) {
    return Sql.statement(db, "count notifications of incident " + incident, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT state, count(*) FROM incident_notification "
          + "WHERE incident = ? GROUP BY state")) {
        ps.setString(1, incident.value());
        try (ResultSet rs = ps.executeQuery()) {
          Map<NotificationState, Integer> out = new EnumMap<>(NotificationState.class);
          while (rs.next()) {
            out.put(NotificationState.parse(rs.getString(1)), rs.getInt(2));
          }
          return out;
        }
      }
    });
  }

  @Override
  public List<Notification> list(IncidentId incident) {
    return Sql.statement(db, "list notifications of incident " + incident, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM incident_notification "
          + "WHERE incident = ? ORDER BY seq")) {
        ps.setString(1, incident.value());
        try (ResultSet rs = ps.executeQuery()) {
          List<Notification> out = new ArrayList<>();
          while (rs.next()) {
            out.add(notification(rs));
          }
          return out;
        }
      }
    });
  }

  private static Notification notification(ResultSet rs) throws SQLException {
    return new Notification(new IncidentId(rs.getString("incident")), Commitment.parse(rs.getString("customer")),
        new CustomerId(rs.getString("customer_id")), NotificationState.parse(rs.getString("state")),
        rs.getInt("attempts"), Sql.requiredInstant(rs, "next_at"), Optional.ofNullable(rs.getString("error")),
        Sql.requiredInstant(rs, "updated_at"));
  }
}
