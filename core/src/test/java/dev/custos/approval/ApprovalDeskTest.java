package dev.custos.approval;

import static dev.custos.approval.ApprovalFixtures.CUSTOMER;
import static dev.custos.approval.ApprovalFixtures.agent;
import static dev.custos.approval.ApprovalFixtures.approver;
import static dev.custos.approval.ApprovalFixtures.reset2fa;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.Races;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ApprovalDeskTest {
  private final ApprovalFixtures.MemoryLedger ledger = new ApprovalFixtures.MemoryLedger();
  private final ApprovalFixtures.Clock clock = new ApprovalFixtures.Clock();
  private final InMemoryApprovalStore store = new InMemoryApprovalStore();
  private final List<String> dispatched = new CopyOnWriteArrayList<>();
  private final ApprovalDispatch dispatch = new ApprovalDispatch() {
    @Override
    public void requested(ApprovalRequest r) {
      dispatched.add("requested " + r.id());
    }

    @Override
    public boolean noticeToCustomer(ApprovalRequest r) {
      dispatched.add("notice " + r.id());
      return true;
    }

    @Override
    public Handoff execute(ApprovalRequest r) {
      dispatched.add("execute " + r.id());
      return new Handoff.Accepted();
    }
  };
  private final ApprovalDesk desk = new ApprovalDesk(ApprovalCatalogue.defaults(), store, dispatch, c -> Optional.empty(),
      ledger, clock, new SplittableRandom(7));

  private ApprovalRequest open() {
    return ((ApprovalDesk.Result.Done) desk.request(agent(), reset2fa(CUSTOMER), Set.of())).request();
  }

  @Test
  void everyStep_doneOrRefused_isALedgerEntry_withoutTheCustomerInClear() {
    ApprovalRequest r = open();
    desk.approve(agent(), r.id(), r.bindingHash());
    desk.approve(approver("appr-1"), r.id(), r.bindingHash());

    assertThat(ledger.texts()).hasSize(3);
    assertThat(ledger.texts().get(0)).contains("\"kind\":\"custos.approval/v1\"", "\"event\":\"request\"",
        "\"bindingHash\":\"" + r.bindingHash() + "\"");
    assertThat(ledger.texts().get(1)).contains("\"outcome\":\"refused\"", "own request");
    assertThat(ledger.texts().get(2)).contains("\"event\":\"approve\"", "\"approvals\":1");
    assertThat(String.join("", ledger.texts())).doesNotContain(CUSTOMER.value(), "zendesk-777");
  }

  @Test
  void aBribedAgentsTwoFactorReset_waitsForTwoOthers_andTheTimeLock_thenIsExecutedOnce() {
    ApprovalRequest r = open();
    desk.approve(approver("appr-1"), r.id(), r.bindingHash());
    ApprovalDesk.Result quorum = desk.approve(approver("appr-2"), r.id(), r.bindingHash());
    assertThat(((ApprovalDesk.Result.Done) quorum).request().state()).isEqualTo(ApprovalState.APPROVED);

    assertThat(desk.sweep(100)).isEqualTo(new ApprovalDesk.Sweep(0, 1, 0, 0));
    assertThat(desk.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.TIME_LOCKED);
    clock.advance(Duration.ofHours(23));
    assertThat(desk.sweep(100).executed()).isZero();
    clock.advance(Duration.ofHours(1));
    assertThat(desk.sweep(100).executed()).isEqualTo(1);
    assertThat(desk.sweep(100).executed()).isZero();
    assertThat(desk.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.EXECUTED);
    assertThat(dispatched).containsExactly("requested " + r.id(), "notice " + r.id(), "execute " + r.id());
  }

  @Test
  void aPendingRequest_expires() {
    ApprovalRequest r = open();
    clock.advance(Duration.ofDays(1));
    assertThat(desk.sweep(100).expired()).isEqualTo(1);
    assertThat(desk.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.EXPIRED);
  }

  @Test
  void manyApproversRacing_countEachPersonOnce_andReachQuorumExactlyOnce() throws Exception {
    ApprovalRequest r = open();
    List<Callable<ApprovalDesk.Result>> racers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Participant p = approver("appr-" + i);
      racers.add(() -> desk.approve(p, r.id(), r.bindingHash()));
    }
    List<ApprovalDesk.Result> results = Races.race(racers);
    assertThat(results).filteredOn(x -> x instanceof ApprovalDesk.Result.Done d && d.event().equals("approved")).hasSize(1);
    assertThat(results).filteredOn(x -> x instanceof ApprovalDesk.Result.Done).hasSize(2);
    assertThat(desk.find(r.id()).orElseThrow().approvals()).hasSize(2);
  }

  @Test
  void aLedgerThatFails_afterTheChange_saysTheChangeStands() {
    ApprovalRequest r = open();
    ledger.failing.set(true);
    assertThat(desk.approve(approver("appr-1"), r.id(), r.bindingHash()))
        .isEqualTo(new ApprovalDesk.Result.Unrecorded(true, "the disk is full"));
  }

  @Test
  void toApprove_listsOnlyRequestsTheApproverMayStillApprove() {
    ApprovalRequest r = open();
    assertThat(desk.toApprove(approver("appr-1"), 100)).extracting(ApprovalRequest::id).containsExactly(r.id());
    desk.approve(approver("appr-1"), r.id(), r.bindingHash());
    assertThat(desk.toApprove(approver("appr-1"), 100)).isEmpty();
    assertThat(desk.toApprove(agent(), 100)).isEmpty();
  }
}
