package dev.custos.approval;

import static dev.custos.approval.ApprovalFixtures.CUSTOMER;
import static dev.custos.approval.ApprovalFixtures.T;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.approval.WithdrawalDecision.Effect;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The withdrawal rules, one by one, then how they combine. */
class WithdrawalPolicyTest {
  private final WithdrawalPolicy policy = new WithdrawalPolicy(WithdrawalRules.defaults(), 2);
  private static final Instant OLD = T.minus(Duration.ofDays(10));

  private static Withdrawal btc(String amount) {
    return new Withdrawal(CUSTOMER, "BTC", new BigDecimal(amount), "bc1qdestination", Optional.empty(), Optional.empty());
  }

  private static WithdrawalFacts facts(Optional<Instant> whitelistedAt, String spent) {
    return new WithdrawalFacts(whitelistedAt, new BigDecimal(spent), List.of(), false, false);
  }

  private static List<String> rules(WithdrawalDecision d) {
    return d.rules().stream().map(WithdrawalDecision.Hit::rule).toList();
  }

  @Test
  void aSmallWithdrawalToAnOldWhitelistedAddress_isAllowed() {
    WithdrawalDecision d = policy.evaluate(btc("0.5"), facts(Optional.of(OLD), "0"), T);
    assertThat(d.effect()).isEqualTo(Effect.ALLOW);
    assertThat(d.rules()).isEmpty();
  }

  @Test
  void anUnknownAsset_isBlocked() {
    Withdrawal doge = new Withdrawal(CUSTOMER, "DOGE", BigDecimal.ONE, "D123", Optional.empty(), Optional.empty());
    assertThat(rules(policy.evaluate(doge, facts(Optional.of(OLD), "0"), T))).containsExactly("asset-unknown");
  }

  @Test
  void anAmountAboveBlockAbove_isBlocked() {
    WithdrawalDecision d = policy.evaluate(btc("50.00000001"), facts(Optional.of(OLD), "0"), T);
    assertThat(d.effect()).isEqualTo(Effect.BLOCK);
    assertThat(rules(d)).contains("amount-block");
  }

  @Test
  void aDestinationNotWhitelisted_isBlocked() {
    WithdrawalDecision d = policy.evaluate(btc("0.1"), facts(Optional.empty(), "0"), T);
    assertThat(d.effect()).isEqualTo(Effect.BLOCK);
    assertThat(rules(d)).containsExactly("destination-not-whitelisted");
  }

  @Test
  void aFreshlyWhitelistedDestination_isHeldUntilOldEnough() {
    WithdrawalDecision d = policy.evaluate(btc("0.1"), facts(Optional.of(T.minus(Duration.ofHours(1))), "0"), T);
    assertThat(d.effect()).isEqualTo(Effect.HOLD);
    assertThat(d.holdUntil()).contains(T.plus(Duration.ofHours(47)));
    assertThat(rules(d)).containsExactly("destination-too-new");
  }

  @Test
  void aRecentSecurityChangeOrNewDevice_holds() {
    WithdrawalFacts changed = new WithdrawalFacts(Optional.of(OLD), BigDecimal.ZERO,
        List.of(new WithdrawalFacts.SecurityChange("2fa-reset", T.minus(Duration.ofHours(2)))), false, false);
    WithdrawalDecision d = policy.evaluate(btc("0.1"), changed, T);
    assertThat(d.effect()).isEqualTo(Effect.HOLD);
    assertThat(d.holdUntil()).contains(T.plus(Duration.ofHours(22)));

    Withdrawal fromNewDevice = new Withdrawal(CUSTOMER, "BTC", new BigDecimal("0.1"), "bc1qdestination",
        Optional.of(T.minus(Duration.ofHours(1))), Optional.empty());
    assertThat(rules(policy.evaluate(fromNewDevice, facts(Optional.of(OLD), "0"), T))).containsExactly("security-change");
    assertThat(policy.evaluate(btc("0.1"), new WithdrawalFacts(Optional.of(OLD), BigDecimal.ZERO,
        List.of(new WithdrawalFacts.SecurityChange("email-change", T.minus(Duration.ofHours(25)))), false, false), T)
        .effect()).isEqualTo(Effect.ALLOW);
  }

  @Test
  void aContainedLastToucher_holds() {
    WithdrawalFacts f = new WithdrawalFacts(Optional.of(OLD), BigDecimal.ZERO, List.of(), false, true);
    assertThat(rules(policy.evaluate(btc("0.1"), f, T))).containsExactly("staff-contained");
  }

  @Test
  void anAmountAboveApprovalAbove_requiresTheCataloguesApprovals() {
    WithdrawalDecision d = policy.evaluate(btc("1.5"), facts(Optional.of(OLD), "0"), T);
    assertThat(d.effect()).isEqualTo(Effect.REQUIRE_APPROVAL);
    assertThat(d.required()).isEqualTo(2);
    assertThat(rules(d)).containsExactly("amount-approval");
  }

  @Test
  void velocityOverTheWindow_requiresApproval_exactlyAtTheDecimal() {
    assertThat(policy.evaluate(btc("0.5"), facts(Optional.of(OLD), "1.5"), T).effect()).isEqualTo(Effect.ALLOW);
    WithdrawalDecision d = policy.evaluate(btc("0.5"), facts(Optional.of(OLD), "1.50000001"), T);
    assertThat(rules(d)).containsExactly("velocity");
  }

  @Test
  void aCustomerInAnOpenIncident_needsOneMoreApproval() {
    WithdrawalFacts f = new WithdrawalFacts(Optional.of(OLD), BigDecimal.ZERO, List.of(), true, false);
    WithdrawalDecision d = policy.evaluate(btc("0.1"), f, T);
    assertThat(d.effect()).isEqualTo(Effect.REQUIRE_APPROVAL);
    assertThat(d.required()).isEqualTo(3);
  }

  @Test
  void theMostSevereEffectWins_andEveryRuleThatFiredIsNamed() {
    WithdrawalDecision d = policy.evaluate(btc("60"), facts(Optional.of(T.minusSeconds(5)), "0"), T);
    assertThat(d.effect()).isEqualTo(Effect.BLOCK);
    assertThat(rules(d)).containsExactly("amount-block", "destination-too-new", "amount-approval", "velocity");
  }
}
