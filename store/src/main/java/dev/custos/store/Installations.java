package dev.custos.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.InstantSource;
import java.util.UUID;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;

/** Records server starts and hands out the installation's identity. */
public final class Installations {
  private final DataSource db;
  private final InstantSource clock;
  private final RandomGenerator random;

  public Installations(DataSource db, InstantSource clock, RandomGenerator random) {
    this.db = db;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Records one start of {@code version} and returns the installation, creating it on the first
   * start. Runs in one transaction: either both rows exist afterwards or neither changed.
   */
  public Installation recordStart(String version) throws SQLException {
    return inTransaction(version);
  }

  /**
   * The installation, created if this is its first use, without recording a server start (for
   * administrative commands run while no server is up).
   */
  public Installation current() throws SQLException {
    return inTransaction(null);
  }

  private Installation inTransaction(String startedVersion) throws SQLException {
    Timestamp now = Timestamp.from(clock.instant());
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        UUID fresh = new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x4000L,
            random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L);
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO installation (id, created_at) VALUES (?, ?) ON CONFLICT (singleton) DO NOTHING")) {
          ps.setObject(1, fresh);
          ps.setTimestamp(2, now);
          ps.executeUpdate();
        }
        if (startedVersion != null) {
          try (PreparedStatement ps = c.prepareStatement(
              "INSERT INTO server_start (started_at, version) VALUES (?, ?)")) {
            ps.setTimestamp(1, now);
            ps.setString(2, startedVersion);
            ps.executeUpdate();
          }
        }
        Installation result;
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT i.id, i.created_at, (SELECT count(*) FROM server_start) FROM installation i");
            ResultSet rs = ps.executeQuery()) {
          rs.next();
          result = new Installation(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), rs.getLong(3));
        }
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }
}
