package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.incident.NotificationStore;
import dev.custos.incident.NotificationStoreContract;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link NotificationTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class NotificationTableTest extends NotificationStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  @Override
  protected NotificationStore instance() {
    return new NotificationTable(db.dataSource());
  }

  @Test
  void unreachableDatabase_throws() {
    NotificationStore down = new NotificationTable(TestDatabases.unreachable());
    assertThatThrownBy(() -> down.claim(Instant.EPOCH, 1)).isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot ");
  }
}
