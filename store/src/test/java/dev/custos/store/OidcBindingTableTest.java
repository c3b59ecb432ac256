package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.StaffId;
import dev.custos.identity.OidcBindingStore;
import dev.custos.identity.OidcBindingStoreContract;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link OidcBindingTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class OidcBindingTableTest extends OidcBindingStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  @Override
  protected OidcBindingStore instance() {
    return new OidcBindingTable(db.dataSource());
  }

  @Test
  void unreachableDatabase_throws_forEveryMethod() {
    OidcBindingStore down = new OidcBindingTable(TestDatabases.unreachable());
    List<ThrowingCallable> calls = List.of(
        () -> down.bind("https://idp.example", "00u1", new StaffId("agent-17"), Instant.EPOCH),
        () -> down.find("https://idp.example", "00u1"));

    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call).isInstanceOf(StoreException.class).hasMessageStartingWith("cannot ");
    }
  }
}
