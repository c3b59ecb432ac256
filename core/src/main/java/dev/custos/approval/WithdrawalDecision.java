package dev.custos.approval;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to a withdrawal, with the rules that decided it. The most severe effect of any rule
 * that fired wins: block, then hold, then require approval, then allow.
 *
 * @param effect what the wallet service must do
 * @param holdUntil for a hold, until when
 * @param required for require-approval, how many approvals (m)
 * @param rules every rule that fired, in evaluation order (empty for a plain allow)
 */
public record WithdrawalDecision(Effect effect, Optional<Instant> holdUntil, int required, List<Hit> rules) {
  /** What the wallet service does, most severe last. */
  public enum Effect {
    ALLOW("allow"), REQUIRE_APPROVAL("require-approval"), HOLD("hold"), BLOCK("block");

    private final String wireName;

    Effect(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** One rule that fired. */
  public record Hit(String rule, Effect effect, String detail, Optional<Instant> until) {
    public Hit {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(effect, "effect");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(until, "until");
    }
  }

  public WithdrawalDecision {
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(holdUntil, "holdUntil");
    rules = List.copyOf(rules);
  }
}
