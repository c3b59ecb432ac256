package dev.custos.store;

import dev.custos.access.StaffId;
import dev.custos.identity.RecoveryCodeHash;
import dev.custos.identity.RecoveryCodeStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The hashes of unused recovery codes, in PostgreSQL (table {@code recovery_code}). Consuming a
 * code deletes its row, so of any number of instances racing with one code exactly one sees the
 * row go.
 *
 * <p>Replacing a set takes a transaction-scoped advisory lock on the account first: under READ
 * COMMITTED, two replacements that only deleted and inserted could each miss the other's new rows
 * and leave a mix of two sets; with the lock the second waits, then deletes what the first wrote.
 */
public final class RecoveryCodeTable implements RecoveryCodeStore {
  private final DataSource db;

  public RecoveryCodeTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public void replaceAll(StaffId account, List<RecoveryCodeHash> hashes) {
    List<RecoveryCodeHash> copy = List.copyOf(hashes);
    Sql.transaction(db, "replace the recovery codes of " + account, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('recovery_code'), hashtext(?))")) {
        ps.setString(1, account.value());
        ps.executeQuery().close();
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM recovery_code WHERE account = ?")) {
        ps.setString(1, account.value());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO recovery_code (account, hash) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
        for (RecoveryCodeHash hash : copy) {
          ps.setString(1, account.value());
          ps.setBytes(2, hash.value());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public List<RecoveryCodeHash> unused(StaffId account) {
    return Sql.statement(db, "read the recovery codes of " + account, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM recovery_code WHERE account = ?")) {
        ps.setString(1, account.value());
        try (ResultSet rs = ps.executeQuery()) {
          List<RecoveryCodeHash> unused = new ArrayList<>();
          while (rs.next()) {
            unused.add(new RecoveryCodeHash(rs.getBytes(1)));
          }
          return unused;
        }
      }
    });
  }

  @Override
  public boolean consume(StaffId account, RecoveryCodeHash hash) {
    return Sql.update(db, "consume a recovery code of " + account,
        "DELETE FROM recovery_code WHERE account = ? AND hash = ?", ps -> {
          ps.setString(1, account.value());
          ps.setBytes(2, hash.value());
        }) == 1;
  }
}
