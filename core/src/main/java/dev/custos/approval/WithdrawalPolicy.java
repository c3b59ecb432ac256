package dev.custos.approval;

import dev.custos.approval.WithdrawalDecision.Effect;
import dev.custos.approval.WithdrawalDecision.Hit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The withdrawal-policy engine: a pure function from a withdrawal, the facts about its account and
 * the time to a {@link WithdrawalDecision}. Rules, each named in the decision when it fires:
 * <ul>
 *   <li>{@code asset-unknown} — an asset without configured limits: block (fail closed);</li>
 *   <li>{@code amount-block} — above the asset's block-above: block;</li>
 *   <li>{@code destination-not-whitelisted}: block;</li>
 *   <li>{@code destination-too-new} — whitelisted less than the minimum age ago: hold until it is old enough;</li>
 *   <li>{@code security-change} — a 2FA reset, e-mail or phone change or new device within the hold: hold;</li>
 *   <li>{@code staff-contained} — the last staff member who touched the account is contained: hold;</li>
 *   <li>{@code amount-approval} — above the asset's approval-above: require approval;</li>
 *   <li>{@code velocity} — the window's sum with this one above the velocity limit: require approval;</li>
 *   <li>{@code incident-scope} — the customer is in an open incident's scope: require one more approval.</li>
 * </ul>
 */
public final class WithdrawalPolicy {
  private final WithdrawalRules rules;
  private final int baseApprovals;

  /** @param baseApprovals the m of the {@link SensitiveAction#WITHDRAWAL} policy */
  public WithdrawalPolicy(WithdrawalRules rules, int baseApprovals) {
    this.rules = Objects.requireNonNull(rules, "rules");
    if (baseApprovals < 1 || baseApprovals >= ActionPolicy.MAX_REQUIRED) {
      throw new IllegalArgumentException("base approvals must be 1 to " + (ActionPolicy.MAX_REQUIRED - 1));
    }
    this.baseApprovals = baseApprovals;
  }

  public WithdrawalRules rules() {
    return rules;
  }

  /** Decides {@code w} given {@code facts} at {@code now}. */
  public WithdrawalDecision evaluate(Withdrawal w, WithdrawalFacts facts, Instant now) {
    List<Hit> hits = new ArrayList<>();
    Optional<WithdrawalRules.AssetLimits> limits = rules.limits(w.asset());
    if (limits.isEmpty()) {
      hits.add(new Hit("asset-unknown", Effect.BLOCK, "no limits are configured for " + w.asset(), Optional.empty()));
      return decide(hits, 0);
    }
    WithdrawalRules.AssetLimits l = limits.get();
    if (w.amount().compareTo(l.blockAbove()) > 0) {
      hits.add(new Hit("amount-block", Effect.BLOCK, "amount above " + l.blockAbove().toPlainString(), Optional.empty()));
    }
    if (facts.whitelistedAt().isEmpty()) {
      hits.add(new Hit("destination-not-whitelisted", Effect.BLOCK, "the destination is not whitelisted for "
          + w.asset(), Optional.empty()));
    } else {
      Instant usable = facts.whitelistedAt().get().plus(rules.whitelistMinAge());
      if (now.isBefore(usable)) {
        hits.add(new Hit("destination-too-new", Effect.HOLD, "whitelisted less than "
            + rules.whitelistMinAge().toHours() + " h ago", Optional.of(usable)));
      }
    }
    List<WithdrawalFacts.SecurityChange> changes = new ArrayList<>(facts.securityChanges());
    w.newDeviceAt().ifPresent(t -> changes.add(new WithdrawalFacts.SecurityChange("new-device", t)));
    Instant latestUntil = null;
    List<String> kinds = new ArrayList<>();
    for (WithdrawalFacts.SecurityChange c : changes) {
      Instant until = c.at().plus(rules.securityChangeHold());
      if (now.isBefore(until)) {
        kinds.add(c.kind());
        latestUntil = latestUntil == null || until.isAfter(latestUntil) ? until : latestUntil;
      }
    }
    if (latestUntil != null) {
      hits.add(new Hit("security-change", Effect.HOLD, "recent " + String.join(", ", kinds.stream().distinct().sorted()
          .toList()), Optional.of(latestUntil)));
    }
    if (facts.lastStaffContained()) {
      hits.add(new Hit("staff-contained", Effect.HOLD, "the staff member who last touched the account is contained",
          Optional.of(now.plus(rules.containmentHold()))));
    }
    if (w.amount().compareTo(l.approvalAbove()) > 0) {
      hits.add(new Hit("amount-approval", Effect.REQUIRE_APPROVAL, "amount above " + l.approvalAbove().toPlainString(),
          Optional.empty()));
    }
    BigDecimal total = facts.spentInWindow().add(w.amount());
    if (total.compareTo(l.velocityLimit()) > 0) {
      hits.add(new Hit("velocity", Effect.REQUIRE_APPROVAL, total.toPlainString() + " " + w.asset() + " within "
          + rules.velocityWindow().toHours() + " h, above " + l.velocityLimit().toPlainString(), Optional.empty()));
    }
    int extra = 0;
    if (facts.inOpenIncident()) {
      hits.add(new Hit("incident-scope", Effect.REQUIRE_APPROVAL, "the customer is in an open incident's scope",
          Optional.empty()));
      extra = 1;
    }
    return decide(hits, extra);
  }

  private WithdrawalDecision decide(List<Hit> hits, int extra) {
    Effect effect = Effect.ALLOW;
    Instant until = null;
    for (Hit h : hits) {
      if (h.effect().compareTo(effect) > 0) {
        effect = h.effect();
      }
    }
    for (Hit h : hits) {
      if (h.effect() == Effect.HOLD && h.until().isPresent() && (until == null || h.until().get().isAfter(until))) {
        until = h.until().get();
      }
    }
    int required = effect == Effect.REQUIRE_APPROVAL ? baseApprovals + extra : 0;
    return new WithdrawalDecision(effect, effect == Effect.HOLD ? Optional.ofNullable(until) : Optional.empty(),
        required, hits);
  }
}
