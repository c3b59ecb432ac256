package dev.custos.store;

import dev.custos.access.StaffId;
import dev.custos.identity.Session;
import dev.custos.identity.SessionHandle;
import dev.custos.identity.SessionState;
import dev.custos.identity.SessionStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Staff sessions in PostgreSQL (table {@code staff_session}), keyed by
 * {@link dev.custos.identity.SessionSecret#storageKey()}, shared by every instance: a revocation
 * committed here refuses the session on every instance at its next request.
 *
 * <p>Every change to a session is one {@code UPDATE ... WHERE revoked_at IS NULL}, so a revoked
 * session is never touched, re-armed or revoked a second time, whatever races it; {@link #rotate}
 * is the one change that needs a transaction (revoke the old, insert the new, or neither).
 */
public final class SessionTable implements SessionStore {
  private static final String COLUMNS = "handle, staff, state, method, created_at, last_seen_at, expires_at, mfa_at, "
      + "address, user_agent, pending, revoked_at, revoked_reason";
  private static final String REVOKE = "UPDATE staff_session SET revoked_at = ?, revoked_reason = ? "
      + "WHERE revoked_at IS NULL AND ";

  private final DataSource db;

  public SessionTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public void insert(String key, Session session) {
    Sql.statement(db, "insert session " + session.handle(), c -> {
      insert(c, key, session);
      return null;
    });
  }

  @Override
  public Optional<Session> find(String key) {
    return Sql.statement(db, "read a session", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM staff_session WHERE key = ?")) {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(session(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public boolean rotate(String oldKey, String newKey, Session next, Instant at) {
    return Sql.transaction(db, "rotate a session into " + next.handle(), c -> {
      // The row lock taken here makes a concurrent rotation of the same session wait, then find it revoked.
      if (revoke(c, "key = ?", "rotated", at, oldKey) == 0) {
        return false;
      }
      insert(c, newKey, next);
      return true;
    });
  }

  @Override
  public boolean touch(String key, Instant lastSeenAt) {
    return Sql.update(db, "record activity on a session",
        "UPDATE staff_session SET last_seen_at = greatest(last_seen_at, ?) WHERE key = ? AND revoked_at IS NULL",
        ps -> {
          Sql.setInstant(ps, 1, lastSeenAt);
          ps.setString(2, key);
        }) == 1;
  }

  @Override
  public boolean setPending(String key, String pending) {
    Objects.requireNonNull(pending, "pending");
    return Sql.update(db, "set the next login step of a session",
        "UPDATE staff_session SET pending = ? WHERE key = ? AND revoked_at IS NULL",
        ps -> {
          ps.setString(1, pending);
          ps.setString(2, key);
        }) == 1;
  }

  @Override
  public boolean revoke(String key, String reason, Instant at) {
    return Sql.statement(db, "revoke a session", c -> revoke(c, "key = ?", reason, at, key)) == 1;
  }

  @Override
  public boolean revoke(StaffId staff, SessionHandle handle, String reason, Instant at) {
    return Sql.statement(db, "revoke session " + handle + " of " + staff,
        c -> revoke(c, "handle = ? AND staff = ?", reason, at, handle.value(), staff.value())) == 1;
  }

  @Override
  public int revokeAll(StaffId staff, String reason, Instant at) {
    return Sql.statement(db, "revoke the sessions of " + staff, c -> revokeAll(c, staff, reason, at));
  }

  /**
   * Revokes every live session of {@code staff} on {@code c}, inside the caller's transaction if
   * it has one ({@link StaffTable#suspend} does).
   */
  static int revokeAll(Connection c, StaffId staff, String reason, Instant at) throws SQLException {
    return revoke(c, "staff = ?", reason, at, staff.value());
  }

  @Override
  public List<Session> live(StaffId staff, Instant now) {
    return Sql.statement(db, "list the sessions of " + staff, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM staff_session "
          + "WHERE staff = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC, handle COLLATE \"C\"")) {
        ps.setString(1, staff.value());
        Sql.setInstant(ps, 2, now);
        try (ResultSet rs = ps.executeQuery()) {
          List<Session> live = new ArrayList<>();
          while (rs.next()) {
            live.add(session(rs));
          }
          return live;
        }
      }
    });
  }

  @Override
  public int purge(Instant before) {
    return Sql.update(db, "purge ended sessions", "DELETE FROM staff_session WHERE expires_at < ? OR revoked_at < ?", ps -> {
      Sql.setInstant(ps, 1, before);
      Sql.setInstant(ps, 2, before);
    });
  }

  /** Revokes the live sessions that {@code where} selects, its parameters being {@code values}. */
  private static int revoke(Connection c, String where, String reason, Instant at, String... values) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(REVOKE + where)) {
      Sql.setInstant(ps, 1, at);
      ps.setString(2, reason);
      for (int i = 0; i < values.length; i++) {
        ps.setString(3 + i, values[i]);
      }
      return ps.executeUpdate();
    }
  }

  private static void insert(Connection c, String key, Session s) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO staff_session (key, " + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
      ps.setString(1, key);
      ps.setString(2, s.handle().value());
      ps.setString(3, s.staff().value());
      ps.setString(4, s.state().name().toLowerCase(Locale.ROOT));
      ps.setString(5, s.method());
      Sql.setInstant(ps, 6, s.createdAt());
      Sql.setInstant(ps, 7, s.lastSeenAt());
      Sql.setInstant(ps, 8, s.expiresAt());
      Sql.setInstant(ps, 9, s.mfaAt());
      ps.setString(10, s.address());
      ps.setString(11, s.userAgent());
      ps.setString(12, s.pending());
      Sql.setInstant(ps, 13, s.revokedAt());
      ps.setString(14, s.revokedReason().orElse(null));
      ps.executeUpdate();
    }
  }

  private static Session session(ResultSet rs) throws SQLException {
    return new Session(new SessionHandle(rs.getString("handle")), new StaffId(rs.getString("staff")),
        SessionState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)), rs.getString("method"),
        Sql.requiredInstant(rs, "created_at"), Sql.requiredInstant(rs, "last_seen_at"),
        Sql.requiredInstant(rs, "expires_at"), Sql.instant(rs, "mfa_at"), rs.getString("address"),
        rs.getString("user_agent"), rs.getString("pending"), Sql.instant(rs, "revoked_at"),
        Optional.ofNullable(rs.getString("revoked_reason")));
  }

}
