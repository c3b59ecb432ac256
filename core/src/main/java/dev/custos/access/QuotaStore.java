package dev.custos.access;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The guardrail counters, shared by every server instance (PostgreSQL in production).
 *
 * <p>Contract of {@link #checkAndRecord}: for one member of staff, checking every use and recording
 * them MUST be one atomic step with respect to every other call for the same staff member on any
 * instance: N concurrent calls against a limit L admit at most L (no read-modify-write race). It is
 * all or nothing: when any use would exceed its limit, nothing is recorded.
 *
 * <p>Counting, per use, over the events of the same staff member and quota younger than the window
 * ({@code at > now - window}):
 * <ul>
 *   <li>a counting use is admitted when fewer than {@code limit} events are in the window;</li>
 *   <li>a distinct use whose subject already has an event in the window is admitted whatever the
 *       limit (a customer counts once per window) and moves that event's time to {@code now};
 *       another subject is admitted when fewer than {@code limit} distinct subjects are in the window.</li>
 * </ul>
 */
public interface QuotaStore {
  /** Checks every use and, if all are admitted, records them at {@code now}. */
  Result checkAndRecord(StaffId staff, List<QuotaUse> uses, Instant now);

  /** The outcome of {@link #checkAndRecord}. */
  sealed interface Result permits Admitted, Refused {}

  /** Every use was admitted and recorded. */
  record Admitted() implements Result {}

  /**
   * The first use (in the order given) that would exceed its limit; nothing was recorded.
   *
   * @param use that use
   * @param used how many events (or distinct subjects) were in its window
   * @param oldest the oldest of them, if any: when it leaves the window a use becomes possible again
   */
  record Refused(QuotaUse use, long used, Optional<Instant> oldest) implements Result {
    public Refused {
      Objects.requireNonNull(use, "use");
      Objects.requireNonNull(oldest, "oldest");
    }
  }

  /** The single admitted result. */
  Admitted ADMITTED = new Admitted();
}
