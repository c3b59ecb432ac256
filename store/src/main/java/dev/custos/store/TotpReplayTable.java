package dev.custos.store;

import dev.custos.access.StaffId;
import dev.custos.identity.TotpReplayStore;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The highest TOTP step used per account, in PostgreSQL (table {@code totp_last_step}), so a code
 * is accepted once across every instance. One statement decides, atomically: concurrent calls with
 * one step serialise on the row, and only the first finds the stored step lower. The purge is one
 * statement too: a row that a concurrent use raised above the cut-off is re-checked and kept.
 */
public final class TotpReplayTable implements TotpReplayStore {
  private final DataSource db;

  public TotpReplayTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public boolean markUsed(StaffId account, long step) {
    return Sql.update(db, "record TOTP step use of " + account,
        "INSERT INTO totp_last_step (account, step) VALUES (?, ?) ON CONFLICT (account) DO UPDATE "
            + "SET step = EXCLUDED.step WHERE totp_last_step.step < EXCLUDED.step", ps -> {
          ps.setString(1, account.value());
          ps.setLong(2, step);
        }) == 1;
  }

  @Override
  public int purge(long belowStep) {
    return Sql.update(db, "purge spent TOTP steps", "DELETE FROM totp_last_step WHERE step < ?",
        ps -> ps.setLong(1, belowStep));
  }
}
