package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.identity.AccountAttempts;
import dev.custos.identity.AddressBucket;
import dev.custos.identity.LoginAttemptStore;
import dev.custos.identity.LoginAttemptStoreContract;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LoginAttemptTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class LoginAttemptTableTest extends LoginAttemptStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  @Override
  protected LoginAttemptStore instance() {
    return new LoginAttemptTable(db.dataSource());
  }

  @Test
  void instants_areKeptToTheMicrosecond_truncated() {
    String key = "user:" + UUID.randomUUID();
    Instant t = Instant.parse("2026-11-21T10:00:00.123456789Z");

    instance().updateAccount(key, a -> new AccountAttempts(1, Optional.of(t), Optional.of(t)));

    Instant micros = Instant.parse("2026-11-21T10:00:00.123456Z");
    assertThat(instance().account(key)).isEqualTo(new AccountAttempts(1, Optional.of(micros), Optional.of(micros)));
  }

  @Test
  void failedChange_writesNothing() {
    String key = "user:" + UUID.randomUUID();
    instance().updateAccount(key, a -> new AccountAttempts(3, Optional.empty(), Optional.empty()));

    assertThatThrownBy(() -> instance().updateAccount(key, a -> {
      throw new IllegalStateException("policy bug");
    })).isInstanceOf(IllegalStateException.class);

    assertThat(instance().account(key).failures()).isEqualTo(3);
  }

  @Test
  void unreachableDatabase_throws() {
    LoginAttemptStore down = new LoginAttemptTable(TestDatabases.unreachable());

    assertThatThrownBy(() -> down.account("user:agent-17")).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> down.updateAccount("user:agent-17", a -> a)).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> down.updateAddress("ip4:192.0.2.1", b -> AddressBucket.FULL))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> down.purge(Instant.EPOCH)).isInstanceOf(StoreException.class);
  }
}
