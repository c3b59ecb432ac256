package dev.custos.store;

import dev.custos.identity.AccountAttempts;
import dev.custos.identity.AddressBucket;
import dev.custos.identity.LoginAttemptStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Login-attempt state in PostgreSQL (tables {@code login_attempt_account} and
 * {@code login_attempt_address}), shared by every instance so that spreading guesses across them
 * gains nothing. Each update is one transaction: make sure the row exists, lock it
 * ({@code SELECT ... FOR UPDATE}), apply the throttle's pure function, write the result; concurrent
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
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO login_attempt_account (key, failures) VALUES (?, 0) ON CONFLICT DO NOTHING")) {
        ps.setString(1, accountKey);
        ps.executeUpdate();
      }
      AccountAttempts before;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT failures, last_attempt, locked_until FROM login_attempt_account WHERE key = ? FOR UPDATE")) {
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
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO login_attempt_address (key, refilled_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
        ps.setString(1, addressKey);
        Sql.setInstant(ps, 2, AddressBucket.FULL.refilledAt());
        ps.executeUpdate();
      }
      AddressBucket before;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT refilled_at FROM login_attempt_address WHERE key = ? FOR UPDATE")) {
        ps.setString(1, addressKey);
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

  private static AccountAttempts attempts(ResultSet rs) throws SQLException {
    return new AccountAttempts(rs.getInt("failures"), Sql.instant(rs, "last_attempt"), Sql.instant(rs, "locked_until"));
  }
}
