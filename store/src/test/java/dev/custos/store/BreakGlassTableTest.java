package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.BreakGlassStore;
import dev.custos.access.BreakGlassStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BreakGlassTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class BreakGlassTableTest extends BreakGlassStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  @Override
  protected BreakGlassStore instance() {
    return new BreakGlassTable(db.dataSource());
  }

  @Test
  void unreachableDatabase_throws() {
    BreakGlassStore down = new BreakGlassTable(TestDatabases.unreachable());
    assertThatThrownBy(() -> down.pending(10)).isInstanceOf(StoreException.class).hasMessageStartingWith("cannot ");
  }
}
