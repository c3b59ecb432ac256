package dev.custos.approval;

import static dev.custos.approval.ApprovalFixtures.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WithdrawalDeskTest {
  private final ApprovalFixtures.MemoryLedger ledger = new ApprovalFixtures.MemoryLedger();
  private final ApprovalFixtures.Clock clock = new ApprovalFixtures.Clock();
  private final InMemoryWithdrawalStore store = new InMemoryWithdrawalStore();
  private final ApprovalDesk approvals = new ApprovalDesk(ApprovalCatalogue.defaults(), new InMemoryApprovalStore(),
      ApprovalDispatch.NONE, c -> Optional.empty(), ledger, clock, new SplittableRandom(3));
  private final WithdrawalDesk desk = new WithdrawalDesk(WithdrawalRules.defaults(), store, approvals, IncidentScope.NONE,
      AccountStaff.NONE, c -> Optional.empty(), ledger, clock);

  private static Withdrawal btc(String amount) {
    return new Withdrawal(CUSTOMER, "BTC", new BigDecimal(amount), "bc1qfresh", Optional.empty(), Optional.of("wd-1"));
  }

  @Test
  void aWithdrawalToAnAddressWhitelistedThroughApproval_isHeldUntilTheAddressIsOldEnough() throws Exception {
    ApprovalRequest r = ((ApprovalDesk.Result.Done) approvals.request(ApprovalFixtures.agent(), ActionSpec.of(
        SensitiveAction.ADDRESS_WHITELIST, Optional.of(CUSTOMER), Map.of("asset", "BTC", "address", "bc1qfresh")),
        Set.of())).request();
    approvals.onExecuted(desk::recordExecuted);
    approvals.approve(ApprovalFixtures.approver("appr-1"), r.id(), r.bindingHash());
    approvals.approve(ApprovalFixtures.approver("appr-2"), r.id(), r.bindingHash());
    approvals.sweep(10);
    clock.advance(Duration.ofHours(48));
    approvals.sweep(10);

    WithdrawalDesk.Evaluation e = desk.evaluate(btc("0.1"), "wallet");
    assertThat(e.decision().effect()).isEqualTo(WithdrawalDecision.Effect.HOLD);
    assertThat(e.decision().holdUntil()).contains(clock.instant().plus(Duration.ofHours(48)));
    assertThat(ledger.texts().get((int) e.ledgerIndex())).contains("\"kind\":\"custos.withdrawal/v1\"",
        "\"effect\":\"hold\"", "destination-too-new").doesNotContain(CUSTOMER.value());
  }

  @Test
  void requireApproval_makesTheApprovalRequest_byTheService() throws Exception {
    store.whitelist(CUSTOMER, "BTC", "bc1qfresh", clock.instant().minus(Duration.ofDays(5)));
    WithdrawalDesk.Evaluation e = desk.evaluate(btc("1.5"), "wallet");
    assertThat(e.decision().effect()).isEqualTo(WithdrawalDecision.Effect.REQUIRE_APPROVAL);
    ApprovalRequest r = e.approval().orElseThrow();
    assertThat(r.spec().action()).isEqualTo(SensitiveAction.WITHDRAWAL);
    assertThat(r.requester().value()).isEqualTo("svc-wallet");
    assertThat(r.spec().parameters()).containsEntry("amount", "1.5").containsEntry("destination", "bc1qfresh");
  }

  @Test
  void aLedgerThatFails_leavesTheWithdrawalUndecided() {
    ledger.failing.set(true);
    assertThatThrownBy(() -> desk.evaluate(btc("0.1"), "wallet")).isInstanceOf(WithdrawalDesk.Undecided.class);
  }
}
