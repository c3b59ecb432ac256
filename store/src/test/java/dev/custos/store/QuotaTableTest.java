package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.QuotaStore;
import dev.custos.access.QuotaStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link QuotaTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class QuotaTableTest extends QuotaStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  @Override
  protected QuotaStore instance() {
    return new QuotaTable(db.dataSource());
  }

  @Test
  void unreachableDatabase_throws() {
    QuotaStore down = new QuotaTable(TestDatabases.unreachable());
    assertThatThrownBy(() -> down.checkAndRecord(new dev.custos.access.StaffId("agent-17"), java.util.List.of(dev.custos.access.QuotaUse.counting("reveals-per-hour", 20, java.time.Duration.ofHours(1))), java.time.Instant.EPOCH)).isInstanceOf(StoreException.class).hasMessageStartingWith("cannot ");
  }
}
