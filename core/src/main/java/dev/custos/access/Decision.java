package dev.custos.access;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link AccessPolicy#decide} answered: data, not an exception, so the ledger records every
 * decision with the rules that made it (after Cedar's {@code Decision}).
 */
public sealed interface Decision permits Decision.Permit, Decision.Deny {
  /** The ids of the rules that decided, in order of evaluation. */
  List<String> rules();

  /** Whether this is a permit. */
  default boolean permitted() {
    return this instanceof Permit;
  }

  /**
   * Access granted: exactly the fields of {@code plan} may be shown, each with its mask, once every
   * obligation is met and the decision is in the ledger.
   *
   * @param plan the fields that appear and how each is masked (never empty)
   * @param obligations what the broker MUST do besides showing the plan
   * @param rules the rules that decided
   */
  record Permit(MaskPlan plan, List<Obligation> obligations, List<String> rules) implements Decision {
    public Permit {
      Objects.requireNonNull(plan, "plan");
      obligations = List.copyOf(obligations);
      rules = List.copyOf(rules);
      if (plan.isEmpty()) {
        throw new IllegalArgumentException("a permit must show at least one field");
      }
    }

    /** Whether the broker must perform {@code o}. */
    public boolean requires(Obligation o) {
      return obligations.contains(o);
    }
  }

  /**
   * Access refused; no field leaves.
   *
   * @param reason the stable reason code
   * @param explanation for the staff member and the security team; names fields, never values
   * @param rules the rules that decided
   * @param retryAfter for a {@link DenyReason#QUOTA_EXCEEDED} deny, how long until the quota's
   *     window frees a slot (at least one second); empty for every other deny
   */
  record Deny(DenyReason reason, String explanation, List<String> rules, Optional<Duration> retryAfter)
      implements Decision {
    public Deny {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(explanation, "explanation");
      rules = List.copyOf(rules);
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (retryAfter.isPresent() && retryAfter.get().compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("retryAfter must be at least one second");
      }
    }

    /** A deny after which waiting does not help. */
    public Deny(DenyReason reason, String explanation, List<String> rules) {
      this(reason, explanation, rules, Optional.empty());
    }
  }
}
