package dev.custos.store;

import dev.custos.approval.WithdrawalStore;
import dev.custos.approval.WithdrawalStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link WithdrawalTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class WithdrawalTableTest extends WithdrawalStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  @Override
  protected WithdrawalStore instance() {
    return new WithdrawalTable(db.dataSource());
  }
}
