package dev.custos.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The delivery record of alerts to each destination ({@code alert_delivery}): what is still waiting,
 * how many attempts each had, and who is delivering it. A row is pending until its destination took
 * the alert (delivered) or it was given up on (failed); while pending it belongs to one running
 * process, which renews it, and a row whose owner stopped renewing is taken over by another.
 */
public final class AlertDeliveryTable {
  /** A pending delivery: the alert and the attempts made so far. */
  public record Waiting(String alertId, int attempts) {}

  private static final int ERROR_LENGTH = 500;
  private final DataSource db;

  public AlertDeliveryTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  /** Records that {@code alertId} waits for {@code sink}, owned by {@code owner}; nothing if already recorded. */
  public void enqueue(String alertId, String sink, String owner, Instant at) {
    Sql.update(db, "record the delivery of alert " + alertId + " to " + sink, "INSERT INTO alert_delivery (alert_id, "
        + "sink, state, attempts, owner, created_at, updated_at) VALUES (?, ?, 'pending', 0, ?, ?, ?) "
        + "ON CONFLICT (alert_id, sink) DO NOTHING", ps -> {
          ps.setString(1, alertId);
          ps.setString(2, sink);
          ps.setString(3, owner);
          Sql.setInstant(ps, 4, at);
          Sql.setInstant(ps, 5, at);
        });
  }

  /** A failed attempt that will be retried. */
  public void attempted(String alertId, String sink, int attempts, String error, Instant at) {
    finish(alertId, sink, "pending", attempts, error, at);
  }

  /** The destination took the alert. */
  public void delivered(String alertId, String sink, int attempts, Instant at) {
    finish(alertId, sink, "delivered", attempts, null, at);
  }

  /** Given up: refused by the destination, or out of attempts. */
  public void failed(String alertId, String sink, int attempts, String error, Instant at) {
    finish(alertId, sink, "failed", attempts, error, at);
  }

  private void finish(String alertId, String sink, String state, int attempts, String error, Instant at) {
    Sql.update(db, "record an attempt to deliver alert " + alertId + " to " + sink, "UPDATE alert_delivery SET state = ?, "
        + "attempts = ?, last_error = ?, updated_at = ? WHERE alert_id = ? AND sink = ? AND state = 'pending'", ps -> {
          ps.setString(1, state);
          ps.setInt(2, attempts);
          ps.setString(3, error == null ? null : error.length() <= ERROR_LENGTH ? error : error.substring(0, ERROR_LENGTH));
          Sql.setInstant(ps, 4, at);
          ps.setString(5, alertId);
          ps.setString(6, sink);
        });
  }

  /**
   * Takes over, for {@code owner}, the pending deliveries to {@code sink} that nobody renewed since
   * {@code staleBefore} or that nobody owns, and returns them in the order their alerts were handed over.
   * One statement: two processes never take the same row.
   */
  public List<Waiting> takeOver(String sink, String owner, Instant staleBefore, Instant at) {
    return Sql.statement(db, "take over waiting alert deliveries to " + sink, c -> {
      try (PreparedStatement ps = c.prepareStatement("WITH taken AS (UPDATE alert_delivery SET owner = ?, updated_at = ? "
          + "WHERE sink = ? AND state = 'pending' AND (owner IS NULL OR updated_at < ?) AND owner IS DISTINCT FROM ? "
          + "RETURNING alert_id, attempts, seq) SELECT alert_id, attempts FROM taken ORDER BY seq")) {
        ps.setString(1, owner);
        Sql.setInstant(ps, 2, at);
        ps.setString(3, sink);
        Sql.setInstant(ps, 4, staleBefore);
        ps.setString(5, owner);
        List<Waiting> taken = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            taken.add(new Waiting(rs.getString("alert_id"), rs.getInt("attempts")));
          }
        }
        return taken;
      }
    });
  }

  /** Keeps {@code owner}'s pending deliveries to {@code sink} from looking abandoned. */
  public void renew(String sink, String owner, Instant at) {
    Sql.update(db, "renew waiting alert deliveries to " + sink, "UPDATE alert_delivery SET updated_at = ? "
        + "WHERE sink = ? AND owner = ? AND state = 'pending'", ps -> {
          Sql.setInstant(ps, 1, at);
          ps.setString(2, sink);
          ps.setString(3, owner);
        });
  }

  /** Gives {@code owner}'s pending deliveries to {@code sink} up to the next process (at a clean stop). */
  public void release(String sink, String owner) {
    Sql.update(db, "release waiting alert deliveries to " + sink, "UPDATE alert_delivery SET owner = NULL "
        + "WHERE sink = ? AND owner = ? AND state = 'pending'", ps -> {
          ps.setString(1, sink);
          ps.setString(2, owner);
        });
  }

  /** The state and attempts of one delivery ({@code state/attempts}), for tests and the record. */
  public java.util.Optional<String> state(String alertId, String sink) {
    return Sql.statement(db, "read the delivery of alert " + alertId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT state, attempts FROM alert_delivery WHERE alert_id = ? AND sink = ?")) {
        ps.setString(1, alertId);
        ps.setString(2, sink);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? java.util.Optional.of(rs.getString("state") + "/" + rs.getInt("attempts"))
              : java.util.Optional.empty();
        }
      }
    });
  }
}
