package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.StaffId;
import dev.custos.identity.RecoveryCodeStore;
import dev.custos.identity.RecoveryCodeStoreContract;
import dev.custos.identity.RecoveryCodeHash;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RecoveryCodeTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class RecoveryCodeTableTest extends RecoveryCodeStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  @Override
  protected RecoveryCodeStore instance() {
    return new RecoveryCodeTable(db.dataSource());
  }

  @Test
  void unreachableDatabase_throws() {
    RecoveryCodeStore down = new RecoveryCodeTable(TestDatabases.unreachable());
    StaffId account = new StaffId("agent-17");
    RecoveryCodeHash hash = new RecoveryCodeHash(new byte[32]);

    assertThatThrownBy(() -> down.replaceAll(account, List.of(hash))).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> down.unused(account)).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> down.consume(account, hash)).isInstanceOf(StoreException.class);
  }
}
