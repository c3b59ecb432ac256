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
 * The behaviour every {@link TotpReplayStore} must have. Extend it with the implementation under
 * test (the in-memory fake here, PostgreSQL in {@code store}). Tests use fresh account names, so a
 * shared database needs no cleanup.
 */
public abstract class TotpReplayStoreContract {
  /**
   * A store instance. Every call during one test MUST return an instance backed by the same state,
   * the way two Custos instances share one database; returning the same object is fine for a fake.
   */
  protected abstract TotpReplayStore instance();

  @Test
  public void firstUseOfAStep_isRecorded() {
    assertThat(instance().markUsed(freshAccount(), 1000)).isTrue();
  }

  @Test
  public void sameStepAgain_isRefused() {
    StaffId account = freshAccount();
    instance().markUsed(account, 1000);

    assertThat(instance().markUsed(account, 1000)).isFalse();
  }

  @Test
  public void earlierStepAfterALaterOne_isRefused() {
    StaffId account = freshAccount();
    instance().markUsed(account, 1001);

    assertThat(instance().markUsed(account, 1000)).isFalse();
  }

  @Test
  public void laterStep_isRecorded() {
    StaffId account = freshAccount();
    instance().markUsed(account, 1000);

    assertThat(instance().markUsed(account, 1001)).isTrue();
    assertThat(instance().markUsed(account, 1001)).isFalse();
  }

  @Test
  public void accounts_areIndependent() {
    StaffId alice = freshAccount();
    StaffId bob = freshAccount();
    instance().markUsed(alice, 1000);

    assertThat(instance().markUsed(bob, 1000)).isTrue();
  }

  @Test
  public void useOnOneInstance_isSeenByAnother() {
    StaffId account = freshAccount();
    TotpReplayStore first = instance();
    TotpReplayStore second = instance();

    assertThat(first.markUsed(account, 55_555_555L)).isTrue();
    assertThat(second.markUsed(account, 55_555_555L)).isFalse();
  }

  @Test
  public void manyInstancesRacingOneStep_exactlyOneWins() throws Exception {
    StaffId account = freshAccount();
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      TotpReplayStore store = instance();
      tasks.add(() -> store.markUsed(account, 2000));
    }

    List<Boolean> results = race(tasks);

    assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
  }

  @Test
  public void racingDifferentSteps_leavesTheHighestRecorded() throws Exception {
    StaffId account = freshAccount();
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      long step = 3000 + i % 4;
      TotpReplayStore store = instance();
      tasks.add(() -> store.markUsed(account, step));
    }

    List<Boolean> results = race(tasks);

    assertThat(results).filteredOn(Boolean::booleanValue).hasSizeBetween(1, 4);
    for (long step = 3000; step <= 3003; step++) {
      assertThat(instance().markUsed(account, step)).as("step %d after the race", step).isFalse();
    }
    assertThat(instance().markUsed(account, 3004)).isTrue();
  }

  // purge: other tests use steps of 1000 and more; these use steps below 100

  @Test
  public void purge_forgetsAccountsWhoseLastStepIsBelowTheCutOff_only() {
    StaffId old = freshAccount();
    StaffId current = freshAccount();
    instance().markUsed(old, 40);
    instance().markUsed(current, 50);

    assertThat(instance().purge(50)).isGreaterThanOrEqualTo(1);

    assertThat(instance().markUsed(old, 40)).as("forgotten: the step counts as new again").isTrue();
    assertThat(instance().markUsed(current, 50)).as("kept: still a replay").isFalse();
  }

  @Test
  public void purge_keepsAHigherStepRecordedSinceTheOldOne() {
    StaffId account = freshAccount();
    instance().markUsed(account, 30);
    instance().markUsed(account, 60);

    instance().purge(50);

    assertThat(instance().markUsed(account, 60)).isFalse();
  }
}
