package dev.custos.approval;

import dev.custos.access.Role;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The approval policy of every {@link SensitiveAction}. Complete by construction: building one
 * that leaves an action without a policy fails (an action without a policy would otherwise be
 * either impossible or unguarded). Frozen once built.
 */
public final class ApprovalCatalogue {
  private final Map<SensitiveAction, ActionPolicy> policies;

  private ApprovalCatalogue(Map<SensitiveAction, ActionPolicy> policies) {
    this.policies = policies;
  }

  /**
   * A catalogue of exactly {@code policies}, one per action.
   *
   * @throws IllegalArgumentException naming the action that is missing or given twice
   */
  public static ApprovalCatalogue of(Collection<ActionPolicy> policies) {
    Map<SensitiveAction, ActionPolicy> m = new EnumMap<>(SensitiveAction.class);
    for (ActionPolicy p : policies) {
      if (m.put(p.action(), p) != null) {
        throw new IllegalArgumentException("approvals." + p.action().wireName() + " is configured twice");
      }
    }
    for (SensitiveAction a : SensitiveAction.values()) {
      if (!m.containsKey(a)) {
        throw new IllegalArgumentException("approvals." + a.wireName() + " has no policy");
      }
    }
    return new ApprovalCatalogue(m);
  }

  /**
   * The defaults: two people for everything that changes who controls an account or its money, a
   * day's time-lock with customer notice on account recovery (48 hours on new withdrawal
   * addresses, as BitGo locks whitelists), and an approver outside the requester's team.
   */
  public static ApprovalCatalogue defaults() {
    Set<Role> desk = Set.of(Role.APPROVER, Role.SECURITY_ANALYST);
    Set<Role> funds = Set.of(Role.APPROVER, Role.FRAUD_ANALYST, Role.SECURITY_ANALYST);
    Set<Role> security = Set.of(Role.SECURITY_ANALYST);
    Duration day = Duration.ofDays(1);
    return of(List.of(
        new ActionPolicy(SensitiveAction.TWO_FACTOR_RESET, 2, desk, Set.of(), true, day, day, true),
        new ActionPolicy(SensitiveAction.EMAIL_CHANGE, 2, desk, Set.of(), true, day, day, true),
        new ActionPolicy(SensitiveAction.PHONE_CHANGE, 2, desk, Set.of(), true, day, day, true),
        new ActionPolicy(SensitiveAction.ADDRESS_WHITELIST, 2, funds, Set.of(), true, day, Duration.ofHours(48), true),
        new ActionPolicy(SensitiveAction.LIMIT_RAISE, 2, funds, Set.of(), true, day, day, true),
        new ActionPolicy(SensitiveAction.SECURITY_HOLD_UNLOCK, 2, Set.of(Role.SECURITY_ANALYST, Role.FRAUD_ANALYST),
            Set.of(), true, day, Duration.ofHours(12), true),
        new ActionPolicy(SensitiveAction.ROLE_GRANT, 2, Set.of(Role.ADMINISTRATOR, Role.SECURITY_ANALYST), Set.of(), false,
            day, Duration.ZERO, false),
        new ActionPolicy(SensitiveAction.BREAK_GLASS_REVIEW, 1, security, Set.of(), false, Duration.ofDays(7),
            Duration.ZERO, false),
        new ActionPolicy(SensitiveAction.BULK_EXPORT, 2, Set.of(Role.SECURITY_ANALYST, Role.ADMINISTRATOR), Set.of(),
            true, day, Duration.ofHours(1), false),
        new ActionPolicy(SensitiveAction.CONTAINMENT_LIFT, 2, security, Set.of(), false, day, Duration.ZERO, false),
        new ActionPolicy(SensitiveAction.DECOY_LIST_READ, 2, security, Set.of(), false, Duration.ofHours(1),
            Duration.ZERO, false),
        new ActionPolicy(SensitiveAction.WITHDRAWAL, 2, funds, Set.of(), true, Duration.ofHours(4), Duration.ZERO,
            false)));
  }

  /** The policy of {@code action}. */
  public ActionPolicy policy(SensitiveAction action) {
    return policies.get(action);
  }

  /** This catalogue with {@code replacement} instead of its action's policy. */
  public ApprovalCatalogue with(ActionPolicy replacement) {
    Map<SensitiveAction, ActionPolicy> m = new EnumMap<>(policies);
    m.put(replacement.action(), replacement);
    return new ApprovalCatalogue(m);
  }

  /** Every policy, in the order of {@link SensitiveAction}. */
  public Collection<ActionPolicy> all() {
    return List.copyOf(policies.values());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApprovalCatalogue c && c.policies.equals(policies);
  }

  @Override
  public int hashCode() {
    return policies.hashCode();
  }
}
