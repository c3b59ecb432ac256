package dev.custos.access;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The break-glass review queue as security works it: pending uses, oldest first, and a verdict
 * (justified or not, with a note) on each, recorded as one {@value #KIND} ledger entry.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Only an active security analyst reviews.</li>
 *   <li>The reviewer is never the person who broke the glass (checked here for a clear answer, and
 *       again atomically by the {@link BreakGlassStore}).</li>
 *   <li>A use is reviewed once.</li>
 *   <li>A note of 10-1000 characters says what was checked.</li>
 * </ul>
 */
public final class BreakGlassReviews {
  /** The ledger entry kind of a review. */
  public static final String KIND = "custos.break-glass-review/v1";

  /** What came of a review. */
  public sealed interface Result {
    record Done(BreakGlassReview review, long ledgerIndex) implements Result {}

    /** Refused by a rule; {@code field} names the input at fault. Nothing recorded. */
    record Refused(String field, String why) implements Result {}

    record NotFound(long id) implements Result {}

    /** Reviewed, but the ledger did not record it in time. */
    record Unrecorded(String why) implements Result {}
  }

  private final BreakGlassStore store;
  private final AccessLedger ledger;
  private final InstantSource clock;

  public BreakGlassReviews(BreakGlassStore store, AccessLedger ledger, InstantSource clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Pending uses, oldest first, at most {@code limit} (1-1000). */
  public List<BreakGlassReview> pending(int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be 1-1000, not " + limit);
    }
    return store.pending(limit);
  }

  /** The use with {@code id}, if recorded. */
  public Optional<BreakGlassReview> find(long id) {
    return store.find(id);
  }

  /** Records {@code reviewer}'s verdict on use {@code id}. */
  public Result review(StaffSubject reviewer, long id, boolean justified, String note) {
    if (!reviewer.active() || !reviewer.has(Role.SECURITY_ANALYST)) {
      return new Result.Refused("reviewer", reviewer.id() + " is not an active security analyst");
    }
    String n = note == null ? "" : note.strip();
    if (n.length() < 10 || n.length() > 1000 || n.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
      return new Result.Refused("note", "note must be 10-1000 characters saying what was checked, without control characters");
    }
    Optional<BreakGlassReview> found = id < 1 ? Optional.empty() : store.find(id);
    if (found.isEmpty()) {
      return new Result.NotFound(id);
    }
    BreakGlassUse use = found.get().use();
    if (use.staff().equals(reviewer.id())) {
      return new Result.Refused("reviewer", "nobody reviews their own break-glass use");
    }
    if (!found.get().pending()) {
      return new Result.Refused("id", "break-glass use " + id + " is already reviewed");
    }
    Instant now = clock.instant();
    BreakGlassReview.Verdict verdict = new BreakGlassReview.Verdict(reviewer.id(), justified, n, now);
    if (!store.review(id, verdict)) {
      return new Result.Refused("id", "break-glass use " + id + " was reviewed meanwhile");
    }
    Map<String, Object> e = new TreeMap<>();
    e.put("kind", KIND);
    e.put("at", now.toString());
    e.put("use", id);
    e.put("user", use.staff().value());
    e.put("usedAt", use.at().toString());
    e.put("reviewer", reviewer.id().value());
    e.put("verdict", justified ? "justified" : "unjustified");
    e.put("note_sha256", AccessBroker.sha256(n));
    BreakGlassReview reviewed = new BreakGlassReview(id, use, Optional.of(verdict));
    try {
      return new Result.Done(reviewed, ledger.append(CanonicalJson.encode(e)).index());
    } catch (AccessLedger.Unavailable ex) {
      return new Result.Unrecorded(ex.getMessage());
    }
  }
}
