package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.incident.IncidentStore;
import dev.custos.incident.IncidentStoreContract;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link IncidentTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class IncidentTableTest extends IncidentStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  @Override
  protected IncidentStore instance() {
    return new IncidentTable(db.dataSource());
  }

  @Test
  void unreachableDatabase_throws() {
    IncidentStore down = new IncidentTable(TestDatabases.unreachable());
    assertThatThrownBy(() -> down.list(Optional.empty(), 10)).isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot ");
  }
}
