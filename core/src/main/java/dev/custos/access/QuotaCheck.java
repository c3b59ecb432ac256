package dev.custos.access;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What {@link Guardrails#checkAndRecord} answered. */
public sealed interface QuotaCheck permits QuotaCheck.Allowed, QuotaCheck.Exceeded {
  /** Within every quota; the use is recorded. */
  record Allowed() implements QuotaCheck {}

  /**
   * Over a quota; nothing was recorded. The integrator answers HTTP 429 and records the event.
   *
   * @param quota the quota's name, e.g. {@code reveals-per-hour}
   * @param limit its limit
   * @param window its window
   * @param retryAfter when a retry may succeed; empty when the limit is 0 and no wait helps
   */
  record Exceeded(String quota, long limit, Duration window, Optional<Duration> retryAfter) implements QuotaCheck {
    public Exceeded {
      Objects.requireNonNull(quota, "quota");
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /**
     * The deny the broker records and answers with. Its {@link Decision.Deny#retryAfter()} is
     * {@link #retryAfter} rounded up to whole seconds (at least one); when no wait frees a slot (a
     * limit of 0) it is the whole window, the earliest moment asking again can be worth it (after
     * the limit was raised).
     */
    public Decision.Deny toDeny() {
      Duration wait = ceilSeconds(retryAfter.orElse(window));
      return new Decision.Deny(DenyReason.QUOTA_EXCEEDED, "quota " + quota + " (" + limit + " per " + describe(window)
          + ") is used up" + retryAfter.map(d -> "; retry in " + wait.toSeconds() + " s").orElse(""),
          List.of("quota:" + quota), Optional.of(wait));
    }

    private static Duration ceilSeconds(Duration d) {
      long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
      return Duration.ofSeconds(Math.max(1, s));
    }

    private static String describe(Duration d) {
      return d.toHours() > 0 && d.toHoursPart() == 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0
          ? d.toHours() + " h" : d.toSeconds() + " s";
    }
  }

  /** The single allowed result. */
  Allowed ALLOWED = new Allowed();
}
