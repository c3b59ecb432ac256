package dev.custos.store;

import dev.custos.identity.AccountAttempts;
import dev.custos.identity.AddressBucket;
import dev.custos.identity.LoginAttemptStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Login-attempt state in PostgreSQL (tables {@code login_attempt_account} and
 * {@code login_attempt_address}), shared by every instance so that spreading guesses across them
 * gains nothing. Each update is one transaction: insert the row or lock the existing one and read
 * it ({@code INSERT ... ON CONFLICT DO UPDATE ... RETURNING}, one statement, so a concurrent purge
 * cannot delete it in between), apply the throttle's pure function, write the result; concurrent
 * updates of one key queue on the row lock, so none is lost.
 */
public final class LoginAttemptTable implements LoginAttemptStore {
  private final DataSource db;

  public LoginAttemptTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public AccountAttempts account(String accountKey) {
    return Sql.statement(db, "read login attempts", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT failures, last_attempt, locked_until FROM login_attempt_account WHERE key = ?")) {
        ps.setString(1, accountKey);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? attempts(rs) : AccountAttempts.NONE;
        }
      }
    });
  }

  @Override
  public AccountAttempts updateAccount(String accountKey, UnaryOperator<AccountAttempts> change) {
    return Sql.transaction(db, "update login attempts", c -> {
      // Inserts the row or locks the existing one, and reads it, in one statement: a purge deleting
      // the row in between cannot leave the update without one.
      AccountAttempts before;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO login_attempt_account (key, failures) VALUES (?, 0) "
          + "ON CONFLICT (key) DO UPDATE SET failures = login_attempt_account.failures "
          + "RETURNING failures, last_attempt, locked_until")) {
        ps.setString(1, accountKey);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          before = attempts(rs);
        }
      }
      AccountAttempts after = Objects.requireNonNull(change.apply(before), "the change returned null");
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE login_attempt_account SET failures = ?, last_attempt = ?, locked_until = ? WHERE key = ?")) {
        ps.setInt(1, after.failures());
        Sql.setInstant(ps, 2, after.lastAttempt());
        Sql.setInstant(ps, 3, after.lockedUntil());
        ps.setString(4, accountKey);
        ps.executeUpdate();
      }
      return before;
    });
  }

  @Override
  public AddressBucket updateAddress(String addressKey, UnaryOperator<AddressBucket> change) {
    return Sql.transaction(db, "update an address's login budget", c -> {
      AddressBucket before;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO login_attempt_address (key, refilled_at) VALUES (?, ?) "
          + "ON CONFLICT (key) DO UPDATE SET refilled_at = login_attempt_address.refilled_at RETURNING refilled_at")) {
        ps.setString(1, addressKey);
        Sql.setInstant(ps, 2, AddressBucket.FULL.refilledAt());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          before = new AddressBucket(Sql.requiredInstant(rs, "refilled_at"));
        }
      }
      AddressBucket after = Objects.requireNonNull(change.apply(before), "the change returned null");
      try (PreparedStatement ps = c.prepareStatement("UPDATE login_attempt_address SET refilled_at = ? WHERE key = ?")) {
        Sql.setInstant(ps, 1, after.refilledAt());
        ps.setString(2, addressKey);
        ps.executeUpdate();
      }
      return before;
    });
  }

  @Override
  public int purge(Instant before) {
    return Sql.transaction(db, "purge old login attempts", c -> {
      int n;
      // One statement per table: a row being updated is locked, and re-checked after the update.
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM login_attempt_account "
          + "WHERE (last_attempt IS NULL OR last_attempt < ?) AND (locked_until IS NULL OR locked_until < ?)")) {
        Sql.setInstant(ps, 1, before);
        Sql.setInstant(ps, 2, before);
        n = ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM login_attempt_address WHERE refilled_at < ?")) {
        Sql.setInstant(ps, 1, before);
        n += ps.executeUpdate();
      }
      return n;
    });
  }

  private static AccountAttempts attempts(ResultSet rs) throws SQLException {
    return new AccountAttempts(rs.getInt("failures"), Sql.instant(rs, "last_attempt"), Sql.instant(rs, "locked_until"));
  }
}
