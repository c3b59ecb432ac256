package dev.custos.store;

import dev.custos.access.CustomerId;
import dev.custos.approval.WithdrawalFacts;
import dev.custos.approval.WithdrawalStore;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The facts of the withdrawal policy in PostgreSQL (V12): {@code withdrawal_whitelist},
 * {@code withdrawal_spend} (exact {@code numeric}) and {@code account_security_change}.
 */
public final class WithdrawalTable implements WithdrawalStore {
  private final DataSource db;

  public WithdrawalTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public Optional<Instant> whitelistedAt(CustomerId account, String asset, String destination) {
    return Sql.statement(db, "read whitelist of " + account, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT whitelisted_at FROM withdrawal_whitelist "
          + "WHERE customer = ? AND asset = ? AND destination = ?")) {
        ps.setString(1, account.value());
        ps.setString(2, asset);
        ps.setString(3, destination);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Sql.instant(rs, "whitelisted_at") : Optional.empty();
        }
      }
    });
  }

  @Override
  public void whitelist(CustomerId account, String asset, String destination, Instant at) {
    Sql.update(db, "whitelist an address of " + account, "INSERT INTO withdrawal_whitelist (customer, asset, destination, "
        + "whitelisted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", ps -> {
          ps.setString(1, account.value());
          ps.setString(2, asset);
          ps.setString(3, destination);
          Sql.setInstant(ps, 4, at);
        });
  }

  @Override
  public BigDecimal spentSince(CustomerId account, String asset, Instant since) {
    return Sql.statement(db, "sum withdrawals of " + account, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(amount), 0) AS total FROM withdrawal_spend "
          + "WHERE customer = ? AND asset = ? AND at >= ?")) {
        ps.setString(1, account.value());
        ps.setString(2, asset);
        Sql.setInstant(ps, 3, since);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getBigDecimal("total");
        }
      }
    });
  }

  @Override
  public void recordSpend(CustomerId account, String asset, BigDecimal amount, Instant at) {
    Sql.update(db, "record a withdrawal of " + account, "INSERT INTO withdrawal_spend (customer, asset, amount, at) "
        + "VALUES (?, ?, ?, ?)", ps -> {
          ps.setString(1, account.value());
          ps.setString(2, asset);
          ps.setBigDecimal(3, amount);
          Sql.setInstant(ps, 4, at);
        });
  }

  @Override
  public List<WithdrawalFacts.SecurityChange> changesSince(CustomerId account, Instant since) {
    return Sql.statement(db, "read security changes of " + account, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT kind, at FROM account_security_change "
          + "WHERE customer = ? AND at >= ? ORDER BY at")) {
        ps.setString(1, account.value());
        Sql.setInstant(ps, 2, since);
        List<WithdrawalFacts.SecurityChange> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new WithdrawalFacts.SecurityChange(rs.getString("kind"), Sql.requiredInstant(rs, "at")));
          }
        }
        return out;
      }
    });
  }

  @Override
  public void recordChange(CustomerId account, String kind, Instant at) {
    Sql.update(db, "record a security change of " + account, "INSERT INTO account_security_change (customer, kind, at) "
        + "VALUES (?, ?, ?)", ps -> {
          ps.setString(1, account.value());
          ps.setString(2, kind);
          Sql.setInstant(ps, 3, at);
        });
  }
}
