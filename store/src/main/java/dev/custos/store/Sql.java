package dev.custos.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * How the table adapters talk to PostgreSQL, written once: a unit of work on one connection, in a
 * transaction when it needs one, every failure turned into a {@link StoreException}; and instants
 * as {@code timestamptz}, truncated to the microsecond that PostgreSQL keeps, so what is read back
 * equals what was written up to that truncation, never rounded into the future.
 */
final class Sql {
  /** Deadlock or serialization failure: the transaction did nothing and may simply run again. */
  private static final String DEADLOCK = "40P01";
  private static final String SERIALIZATION = "40001";
  private static final int ATTEMPTS = 3;

  private Sql() {}

  /** Work on one connection. */
  @FunctionalInterface
  interface Work<T> {
    T on(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction (READ COMMITTED) and commits; rolls back if it throws. A
   * deadlock or serialization failure runs it again, up to three times in all, so work MUST be
   * safe to repeat (it is: it only talks to the database and to pure functions).
   *
   * @param what for the error message, e.g. {@code "suspend staff agent-17"}
   * @throws StoreException when the database cannot be reached or refuses
   */
  static <T> T transaction(DataSource db, String what, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = db.getConnection()) {
        c.setAutoCommit(false);
        try {
          T result = work.on(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException | Error e) {
          rollback(c, e);
          throw e;
        }
      } catch (SQLException e) {
        if (attempt < ATTEMPTS && (DEADLOCK.equals(e.getSQLState()) || SERIALIZATION.equals(e.getSQLState()))) {
          continue;
        }
        throw failure(what, e);
      }
    }
  }

  /**
   * Runs read-only {@code work} of several statements in one REPEATABLE READ transaction, so that all
   * of them see the database as of one moment (a row and its child rows read by two statements
   * cannot straddle another transaction's commit). The pool resets the isolation and read-only flag
   * when the connection comes back.
   *
   * @throws StoreException when the database cannot be reached or refuses
   */
  static <T> T snapshot(DataSource db, String what, Work<T> work) {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try {
        T result = work.on(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollback(c, e);
        throw e;
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /**
   * Runs {@code work} on a connection in auto-commit mode: for work that is one statement, which
   * PostgreSQL makes atomic by itself.
   *
   * @throws StoreException when the database cannot be reached or refuses
   */
  static <T> T statement(DataSource db, String what, Work<T> work) {
    try (Connection c = db.getConnection()) {
      return work.on(c);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /** Binds the parameters of a statement. */
  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /**
   * Runs one data-changing statement in auto-commit mode.
   *
   * @return the number of rows it changed
   * @throws StoreException when the database cannot be reached or refuses
   */
  static int update(DataSource db, String what, String sql, Binder binder) {
    return statement(db, what, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        binder.bind(ps);
        return ps.executeUpdate();
      }
    });
  }

  /** The failure of {@code what}; the message is the driver's first line, which carries no row data (see {@link Database}). */
  static StoreException failure(String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : " (SQLState " + e.getSQLState() + ")";
    return new StoreException("cannot " + what + ": " + Database.rootMessage(e) + state, e);
  }

  private static void rollback(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** What PostgreSQL keeps of an instant: whole microseconds, finer parts truncated. */
  static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  /** Binds {@code t} (null for SQL NULL) as a {@code timestamptz}, truncated to the microsecond. */
  static void setInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
    ps.setObject(index, t == null ? null : OffsetDateTime.ofInstant(micros(t), ZoneOffset.UTC));
  }

  static void setInstant(PreparedStatement ps, int index, Optional<Instant> t) throws SQLException {
    setInstant(ps, index, t.orElse(null));
  }

  /** The {@code timestamptz} in {@code column}; empty when NULL. */
  static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
  }

  /** The {@code timestamptz} in a NOT NULL {@code column}. */
  static Instant requiredInstant(ResultSet rs, String column) throws SQLException {
    return instant(rs, column).orElseThrow(() -> new SQLException(column + " is NULL"));
  }
}
