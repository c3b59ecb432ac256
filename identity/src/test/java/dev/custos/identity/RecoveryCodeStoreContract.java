package dev.custos.identity;

import static dev.custos.identity.StoreContracts.freshAccount;
import static dev.custos.access.Races.race;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.StaffId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RecoveryCodeStore} must have. Extend it with the implementation under
 * test. Tests use fresh account names, so a shared database needs no cleanup.
 */
public abstract class RecoveryCodeStoreContract {
  /** A store instance; every call during one test MUST return an instance backed by the same state. */
  protected abstract RecoveryCodeStore instance();

  private static List<RecoveryCodeHash> hashes(StaffId account, String... codes) {
    List<RecoveryCodeHash> list = new ArrayList<>();
    for (String code : codes) {
      list.add(RecoveryCodes.hash(account, code));
    }
    return list;
  }

  @Test
  public void unknownAccount_hasNoCodes() {
    assertThat(instance().unused(freshAccount())).isEmpty();
  }

  @Test
  public void replacedCodes_areAllUnused() {
    StaffId account = freshAccount();
    List<RecoveryCodeHash> set = hashes(account, "AAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBB", "CCCCCCCCCCCCCCCC");

    instance().replaceAll(account, set);

    assertThat(instance().unused(account)).containsExactlyInAnyOrderElementsOf(set);
  }

  @Test
  public void consume_removesExactlyThatCode() {
    StaffId account = freshAccount();
    List<RecoveryCodeHash> set = hashes(account, "AAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBB");
    instance().replaceAll(account, set);

    assertThat(instance().consume(account, set.get(0))).isTrue();

    assertThat(instance().unused(account)).containsExactly(set.get(1));
  }

  @Test
  public void consumingTwice_succeedsOnce() {
    StaffId account = freshAccount();
    List<RecoveryCodeHash> set = hashes(account, "AAAAAAAAAAAAAAAA");
    instance().replaceAll(account, set);
    instance().consume(account, set.get(0));

    assertThat(instance().consume(account, set.get(0))).isFalse();
  }

  @Test
  public void anotherAccountsCode_cannotBeConsumed() {
    StaffId alice = freshAccount();
    StaffId bob = freshAccount();
    List<RecoveryCodeHash> set = hashes(alice, "AAAAAAAAAAAAAAAA");
    instance().replaceAll(alice, set);

    assertThat(instance().consume(bob, set.get(0))).isFalse();
    assertThat(instance().unused(alice)).hasSize(1);
  }

  @Test
  public void replaceAll_voidsTheEarlierSet() {
    StaffId account = freshAccount();
    List<RecoveryCodeHash> old = hashes(account, "AAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBB");
    List<RecoveryCodeHash> fresh = hashes(account, "CCCCCCCCCCCCCCCC");
    instance().replaceAll(account, old);

    instance().replaceAll(account, fresh);

    assertThat(instance().unused(account)).containsExactlyElementsOf(fresh);
    assertThat(instance().consume(account, old.get(0))).isFalse();
  }

  @Test
  public void consumptionOnOneInstance_isSeenByAnother() {
    StaffId account = freshAccount();
    List<RecoveryCodeHash> set = hashes(account, "AAAAAAAAAAAAAAAA");
    RecoveryCodeStore first = instance();
    RecoveryCodeStore second = instance();
    first.replaceAll(account, set);

    assertThat(first.consume(account, set.get(0))).isTrue();
    assertThat(second.consume(account, set.get(0))).isFalse();
    assertThat(second.unused(account)).isEmpty();
  }

  @Test
  public void manyInstancesRacingOneCode_exactlyOneWins() throws Exception {
    StaffId account = freshAccount();
    List<RecoveryCodeHash> set = hashes(account, "AAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBB");
    instance().replaceAll(account, set);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      RecoveryCodeStore store = instance();
      tasks.add(() -> store.consume(account, set.get(0)));
    }

    List<Boolean> results = race(tasks);

    assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
    assertThat(instance().unused(account)).containsExactly(set.get(1));
  }

  @Test
  public void concurrentReplacements_leaveExactlyOneWholeSet() throws Exception {
    for (int round = 0; round < 5; round++) {
      StaffId account = freshAccount();
      instance().replaceAll(account, hashes(account, "0000000000000000", "1111111111111111"));
      List<List<RecoveryCodeHash>> sets = new ArrayList<>();
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        List<RecoveryCodeHash> set = hashes(account, "A".repeat(15) + i, "B".repeat(15) + i, "C".repeat(15) + i);
        sets.add(set);
        RecoveryCodeStore store = instance();
        tasks.add(() -> {
          store.replaceAll(account, set);
          return true;
        });
      }

      race(tasks);

      List<RecoveryCodeHash> left = instance().unused(account);
      assertThat(sets).as("round %d", round).anySatisfy(set -> assertThat(left).containsExactlyInAnyOrderElementsOf(set));
    }
  }
}
