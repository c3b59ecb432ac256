package dev.custos.approval;

import static dev.custos.approval.ApprovalFixtures.T;
import static dev.custos.approval.ApprovalFixtures.approver;
import static dev.custos.approval.ApprovalFixtures.pending;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.Races;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link ApprovalStore} must have; fresh ids, so a shared database needs no cleanup. */
public abstract class ApprovalStoreContract {
  /** A store; every call during one test MUST return an instance over the same state. */
  protected abstract ApprovalStore instance();

  private static ApprovalRequest approved(ApprovalRequest r, String who) {
    return ((ApprovalRules.Step.Changed) ApprovalRules.approve(r, approver(who), r.bindingHash(), T.plusSeconds(60))).next();
  }

  @Test
  public void createdRequest_isReadBackEqual_andItsIdIsTaken() {
    ApprovalRequest r = pending(2, Duration.ofHours(1));
    assertThat(instance().create(r)).isTrue();
    assertThat(instance().find(r.id())).contains(r);
    assertThat(instance().create(r)).isFalse();
    assertThat(instance().find(ApprovalFixtures.freshId())).isEmpty();
  }

  @Test
  public void replace_storesTheNextVersion_withItsApprovals_andRefusesAStaleVersion() {
    ApprovalRequest r = pending(2, Duration.ofHours(1));
    instance().create(r);
    ApprovalRequest once = approved(r, "approver-1");
    ApprovalRequest twice = approved(once, "approver-2");

    assertThat(instance().replace(r, once)).isTrue();
    assertThat(instance().replace(r, approved(r, "approver-3"))).isFalse();
    assertThat(instance().replace(once, twice)).isTrue();
    assertThat(instance().find(r.id())).contains(twice);
    assertThat(twice.state()).isEqualTo(ApprovalState.APPROVED);
  }

  @Test
  public void anEdit_isStored_andTheOldApprovalsAreNoLongerRead() {
    ApprovalRequest r = pending(2, Duration.ofHours(1));
    instance().create(r);
    ApprovalRequest once = approved(r, "approver-1");
    instance().replace(r, once);
    ActionSpec other = ActionSpec.of(SensitiveAction.TWO_FACTOR_RESET, Optional.of(ApprovalFixtures.CUSTOMER),
        java.util.Map.of("ticket", "t-2"));
    ApprovalRequest edited = ((ApprovalRules.Step.Changed) ApprovalRules.edit(once, ApprovalFixtures.agent(), other,
        "ffeeddccbbaa99887766554433221100", T.plusSeconds(90))).next();

    assertThat(instance().replace(once, edited)).isTrue();
    assertThat(instance().find(r.id()).orElseThrow().approvals()).isEmpty();
    assertThat(instance().find(r.id())).contains(edited);
  }

  @Test
  public void racingReplacementsOfOneVersion_exactlyOneSucceeds() throws Exception {
    ApprovalRequest r = pending(5, Duration.ZERO);
    instance().create(r);
    List<Callable<Boolean>> racers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ApprovalRequest next = approved(r, "approver-" + i);
      racers.add(() -> instance().replace(r, next));
    }
    assertThat(Races.race(racers)).containsOnlyOnce(true);
    assertThat(instance().find(r.id()).orElseThrow().approvals()).hasSize(1);
  }

  @Test
  public void list_filtersByStateAndRequester_newestFirst() {
    ApprovalRequest a = pending(2, Duration.ZERO);
    ApprovalRequest b = pending(1, Duration.ZERO);
    instance().create(a);
    instance().create(b);
    instance().replace(b, approved(b, "approver-1"));

    List<ApprovalRequest> approvedOnes = instance().list(Optional.of(ApprovalState.APPROVED), Optional.of(a.requester()), 1000);
    assertThat(approvedOnes).extracting(ApprovalRequest::id).contains(b.id()).doesNotContain(a.id());
    assertThat(instance().list(Optional.empty(), Optional.of(new dev.custos.access.StaffId("nobody-at-all")), 10)).isEmpty();
  }

  @Test
  public void due_listsExpiredPending_approved_andUnlockedTimeLocked() {
    ApprovalRequest expiring = pending(2, Duration.ZERO);
    ApprovalRequest locked = pending(1, Duration.ofHours(2));
    instance().create(expiring);
    instance().create(locked);
    ApprovalRequest approvedOne = approved(locked, "approver-1");
    instance().replace(locked, approvedOne);
    ApprovalRequest timeLocked = ((ApprovalRules.Step.Changed) ApprovalRules.lock(approvedOne)).next();
    instance().replace(approvedOne, timeLocked);

    assertThat(instance().due(T.plus(Duration.ofHours(1)), 100000)).extracting(ApprovalRequest::id)
        .doesNotContain(expiring.id(), locked.id());
    assertThat(instance().due(T.plus(Duration.ofHours(25)), 100000)).extracting(ApprovalRequest::id)
        .contains(expiring.id(), locked.id());
  }
}
