package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.StaffId;
import dev.custos.identity.TotpReplayStore;
import dev.custos.identity.TotpReplayStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TotpReplayTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class TotpReplayTableTest extends TotpReplayStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  @Override
  protected TotpReplayStore instance() {
    return new TotpReplayTable(db.dataSource());
  }

  @Test
  void unreachableDatabase_throws_ratherThanCallingItAReplay() {
    TotpReplayStore down = new TotpReplayTable(TestDatabases.unreachable());

    assertThatThrownBy(() -> down.markUsed(new StaffId("agent-17"), 1000)).isInstanceOf(StoreException.class)
        .hasMessageContaining("agent-17");
  }

  @Test
  void unreachableDatabase_throwsOnPurge() {
    assertThatThrownBy(() -> new TotpReplayTable(TestDatabases.unreachable()).purge(1000)).isInstanceOf(StoreException.class);
  }
}
