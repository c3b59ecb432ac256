package dev.custos.access;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A break-glass use in the review queue, with its review once security has looked at it.
 *
 * @param id the store's id, increasing in the order uses were recorded
 * @param use the use
 * @param verdict the reviewer's verdict, once reviewed
 */
public record BreakGlassReview(long id, BreakGlassUse use, Optional<Verdict> verdict) {
  public BreakGlassReview {
    if (id < 1) {
      throw new IllegalArgumentException("break-glass id must be positive");
    }
    Objects.requireNonNull(use, "use");
    Objects.requireNonNull(verdict, "verdict");
  }

  /** What a reviewer concluded. */
  public record Verdict(StaffId reviewer, boolean justified, String note, Instant at) {
    public Verdict {
      Objects.requireNonNull(reviewer, "reviewer");
      if (note == null || note.length() > 1000) {
        throw new IllegalArgumentException("review note must be at most 1000 characters");
      }
      Objects.requireNonNull(at, "at");
    }
  }

  /** Whether the use still awaits review. */
  public boolean pending() {
    return verdict.isEmpty();
  }
}
