package dev.custos.identity;

import static dev.custos.identity.StoreContracts.race;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LoginAttemptStore} must have. Extend it with the implementation under
 * test. Tests use fresh keys, so a shared database needs no cleanup. Instants are whole
 * milliseconds, which PostgreSQL's microsecond timestamps hold exactly.
 */
public abstract class LoginAttemptStoreContract {
  private static final Instant T = Instant.parse("2026-11-21T10:00:00.123Z");

  /** A store instance; every call during one test MUST return an instance backed by the same state. */
  protected abstract LoginAttemptStore instance();

  private static String freshKey() {
    return "user:contract-" + UUID.randomUUID();
  }

  @Test
  public void unknownAccount_isNone() {
    assertThat(instance().account(freshKey())).isEqualTo(AccountAttempts.NONE);
  }

  @Test
  public void firstAccountUpdate_startsFromNoneAndIsKept() {
    String key = freshKey();
    AccountAttempts next = new AccountAttempts(3, Optional.of(T), Optional.of(T.plusSeconds(1800)));

    AccountAttempts before = instance().updateAccount(key, a -> next);

    assertThat(before).isEqualTo(AccountAttempts.NONE);
    assertThat(instance().account(key)).isEqualTo(next);
  }

  @Test
  public void accountUpdate_seesAndReturnsThePreviousState() {
    String key = freshKey();
    AccountAttempts first = new AccountAttempts(1, Optional.of(T), Optional.empty());
    instance().updateAccount(key, a -> first);

    AccountAttempts before = instance().updateAccount(key,
        a -> new AccountAttempts(a.failures() + 1, Optional.of(T.plusSeconds(5)), Optional.empty()));

    assertThat(before).isEqualTo(first);
    assertThat(instance().account(key)).isEqualTo(new AccountAttempts(2, Optional.of(T.plusSeconds(5)), Optional.empty()));
  }

  @Test
  public void firstAddressUpdate_startsFromAFullBucketAndIsKept() {
    String key = "ip4:" + UUID.randomUUID();

    AddressBucket before = instance().updateAddress(key, b -> new AddressBucket(T));
    AddressBucket after = instance().updateAddress(key, b -> b);

    assertThat(before).isEqualTo(AddressBucket.FULL);
    assertThat(after).isEqualTo(new AddressBucket(T));
  }

  @Test
  public void updateOnOneInstance_isSeenByAnother() {
    String key = freshKey();
    AccountAttempts next = new AccountAttempts(7, Optional.of(T), Optional.empty());
    instance().updateAccount(key, a -> next);

    assertThat(instance().account(key)).isEqualTo(next);
  }

  @Test
  public void concurrentAccountUpdates_areNeverLost() throws Exception {
    String key = freshKey();
    List<Callable<AccountAttempts>> tasks = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      LoginAttemptStore store = instance();
      tasks.add(() -> store.updateAccount(key, a -> new AccountAttempts(a.failures() + 1, Optional.of(T), Optional.empty())));
    }

    List<AccountAttempts> before = race(tasks);

    assertThat(instance().account(key).failures()).isEqualTo(32);
    assertThat(before).extracting(AccountAttempts::failures).doesNotHaveDuplicates();
  }

  @Test
  public void concurrentAddressUpdates_areNeverLost() throws Exception {
    String key = "ip4:" + UUID.randomUUID();
    List<Callable<AddressBucket>> tasks = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      LoginAttemptStore store = instance();
      tasks.add(() -> store.updateAddress(key, b -> new AddressBucket((b.refilledAt().isBefore(T) ? T : b.refilledAt()).plusSeconds(1))));
    }

    race(tasks);

    assertThat(instance().updateAddress(key, b -> b)).isEqualTo(new AddressBucket(T.plusSeconds(32)));
  }
}
