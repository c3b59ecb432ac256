package dev.custos.identity;

import static dev.custos.access.Races.race;
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

  // purge: in its own era (2001), so it never forgets the state of another test's key

  @Test
  public void purge_forgetsAccountsWhoseLastAttemptAndLockEndedBeforeTheCutOff_only() {
    Instant era = Instant.parse("2001-03-01T00:00:00Z");
    Instant cutOff = era.plusSeconds(86_400);
    String old = freshKey();
    String lockedPastTheCutOff = freshKey();
    String attemptAtTheCutOff = freshKey();
    instance().updateAccount(old, a -> new AccountAttempts(3, Optional.of(era), Optional.of(era.plusSeconds(1800))));
    instance().updateAccount(lockedPastTheCutOff,
        a -> new AccountAttempts(10, Optional.of(era), Optional.of(cutOff.plusSeconds(1))));
    instance().updateAccount(attemptAtTheCutOff, a -> new AccountAttempts(1, Optional.of(cutOff), Optional.empty()));

    assertThat(instance().purge(cutOff)).isGreaterThanOrEqualTo(1);

    assertThat(instance().account(old)).isEqualTo(AccountAttempts.NONE);
    assertThat(instance().account(lockedPastTheCutOff).failures()).isEqualTo(10);
    assertThat(instance().account(attemptAtTheCutOff).failures()).isEqualTo(1);
  }

  @Test
  public void purge_forgetsAddressesFullAgainBeforeTheCutOff_only() {
    Instant era = Instant.parse("2001-03-01T00:00:00Z");
    Instant cutOff = era.plusSeconds(86_400);
    String full = "ip4:" + UUID.randomUUID();
    String refillingPastTheCutOff = "ip4:" + UUID.randomUUID();
    instance().updateAddress(full, b -> new AddressBucket(era.plusSeconds(60)));
    instance().updateAddress(refillingPastTheCutOff, b -> new AddressBucket(cutOff.plusSeconds(60)));

    assertThat(instance().purge(cutOff)).isGreaterThanOrEqualTo(1);

    assertThat(instance().updateAddress(full, b -> b)).isEqualTo(AddressBucket.FULL);
    assertThat(instance().updateAddress(refillingPastTheCutOff, b -> b)).isEqualTo(new AddressBucket(cutOff.plusSeconds(60)));
  }
}
