package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.TicketStore;
import dev.custos.access.TicketStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TicketTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class TicketTableTest extends TicketStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  @Override
  protected TicketStore instance() {
    return new TicketTable(db.dataSource());
  }

  @Test
  void unreachableDatabase_throws() {
    TicketStore down = new TicketTable(TestDatabases.unreachable());
    assertThatThrownBy(() -> down.find(new dev.custos.access.TicketId("zd-1"))).isInstanceOf(StoreException.class).hasMessageStartingWith("cannot ");
  }
}
