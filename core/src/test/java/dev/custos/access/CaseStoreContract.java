package dev.custos.access;

import static dev.custos.access.AccessFixtures.CUSTOMER;
import static dev.custos.access.AccessFixtures.OTHER_CUSTOMER;
import static dev.custos.access.AccessFixtures.T;
import static dev.custos.access.AccessFixtures.freshCase;
import static dev.custos.access.AccessFixtures.freshStaff;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link CaseStore} must have; fresh ids, so a shared database needs no cleanup. */
public abstract class CaseStoreContract {
  /** A store; every call during one test MUST return an instance over the same state. */
  protected abstract CaseStore instance();

  private static Case kase(StaffId lead, StaffId member, Duration runs) {
    return new Case(freshCase(), lead, "mule accounts, wave 3", Set.of(CUSTOMER, OTHER_CUSTOMER), Set.of(lead, member), T,
        T.plus(runs), Optional.empty(), Optional.empty());
  }

  private static CaseApproval approval(StaffId by) {
    return new CaseApproval(by, Set.of(Role.SUPPORT_L2, Role.APPROVER), T.plusSeconds(5));
  }

  @Test
  public void createdCase_isReadBackEqual_andItsIdIsTaken() {
    Case c = kase(freshStaff(), freshStaff(), Duration.ofDays(3));
    assertThat(instance().create(c)).isTrue();
    assertThat(instance().find(c.id())).contains(c);
    assertThat(instance().create(c)).isFalse();
    assertThat(instance().find(freshCase())).isEmpty();
  }

  @Test
  public void approve_recordsTheApprovalOnce() {
    Case c = kase(freshStaff(), freshStaff(), Duration.ofDays(3));
    instance().create(c);
    CaseApproval a = approval(freshStaff());

    assertThat(instance().approve(c.id(), a)).isTrue();
    assertThat(instance().approve(c.id(), approval(freshStaff()))).isFalse();
    assertThat(instance().find(c.id())).contains(c.withApproval(a));
    assertThat(instance().approve(freshCase(), a)).isFalse();
  }

  @Test
  public void close_closesOnce_andAClosedCaseIsNotApproved() {
    Case c = kase(freshStaff(), freshStaff(), Duration.ofDays(3));
    instance().create(c);

    assertThat(instance().close(c.id(), T.plusSeconds(60))).isTrue();
    assertThat(instance().close(c.id(), T.plusSeconds(90))).isFalse();
    assertThat(instance().approve(c.id(), approval(freshStaff()))).isFalse();
    assertThat(instance().find(c.id())).contains(c.closed(T.plusSeconds(60)));
  }

  @Test
  public void runningCasesOf_listsOnlyRunningCasesOfWhichTheStaffIsMember() {
    StaffId me = freshStaff();
    Case running = kase(freshStaff(), me, Duration.ofDays(3));
    Case expired = kase(freshStaff(), me, Duration.ofHours(1));
    Case closed = kase(freshStaff(), me, Duration.ofDays(3));
    Case notMine = kase(freshStaff(), freshStaff(), Duration.ofDays(3));
    for (Case c : List.of(running, expired, closed, notMine)) {
      instance().create(c);
    }
    instance().close(closed.id(), T.plusSeconds(1));

    assertThat(instance().runningCasesOf(me, T.plus(Duration.ofHours(2)))).containsExactly(running);
  }

  @Test
  public void racingApprovers_exactlyOneIsRecorded() throws Exception {
    Case c = kase(freshStaff(), freshStaff(), Duration.ofDays(3));
    instance().create(c);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      CaseStore store = instance();
      CaseApproval a = approval(freshStaff());
      tasks.add(() -> store.approve(c.id(), a));
    }
    assertThat(Races.race(tasks)).filteredOn(Boolean::booleanValue).hasSize(1);
  }
}
