package dev.custos.store;

import dev.custos.access.ReasonStore;
import dev.custos.access.StaffId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link ReasonStore} in PostgreSQL (table {@code access_reason}). */
public final class ReasonTable implements ReasonStore {
  private final DataSource db;

  public ReasonTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public void record(long ledgerIndex, StaffId staff, String reason, Instant at) {
    int inserted = Sql.update(db, "record the reason of ledger entry " + ledgerIndex,
        "INSERT INTO access_reason (ledger_index, staff, reason, recorded_at) VALUES (?, ?, ?, ?) "
            + "ON CONFLICT (ledger_index) DO NOTHING", ps -> {
          ps.setLong(1, ledgerIndex);
          ps.setString(2, staff.value());
          ps.setString(3, reason);
          Sql.setInstant(ps, 4, at);
        });
    if (inserted == 0 && !reason(ledgerIndex).map(reason::equals).orElse(false)) {
      throw new IllegalStateException("ledger entry " + ledgerIndex + " already has another reason");
    }
  }

  @Override
  public Optional<String> reason(long ledgerIndex) {
    return Sql.statement(db, "read the reason of ledger entry " + ledgerIndex, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT reason FROM access_reason WHERE ledger_index = ?")) {
        ps.setLong(1, ledgerIndex);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }
}
