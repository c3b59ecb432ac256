package dev.custos.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The break-glass review queue (PostgreSQL in production): every break-glass access is recorded
 * before its data leaves, and stays pending until someone other than its user reviews it.
 */
public interface BreakGlassStore {
  /** Records {@code use} as pending review; returns its id (increasing). */
  long record(BreakGlassUse use);

  /** The use with {@code id}, if recorded. */
  Optional<BreakGlassReview> find(long id);

  /** Pending uses, oldest first, at most {@code limit} (1-1000). */
  List<BreakGlassReview> pending(int limit);

  /**
   * Records {@code verdict} if, atomically, the use is pending and the reviewer is not its user.
   *
   * @return whether it was recorded
   */
  boolean review(long id, BreakGlassReview.Verdict verdict);

  /** How many times {@code staff} broke the glass at or after {@code since}. */
  long countSince(StaffId staff, Instant since);
}
