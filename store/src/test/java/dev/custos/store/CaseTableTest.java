package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.CaseStore;
import dev.custos.access.CaseStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link CaseTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class CaseTableTest extends CaseStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  @Override
  protected CaseStore instance() {
    return new CaseTable(db.dataSource());
  }

  @Test
  void unreachableDatabase_throws() {
    CaseStore down = new CaseTable(TestDatabases.unreachable());
    assertThatThrownBy(() -> down.find(new dev.custos.access.CaseId("case-1"))).isInstanceOf(StoreException.class).hasMessageStartingWith("cannot ");
  }
}
