package dev.custos.detect;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where alerts are kept and worked. Each change is one guarded write, so of two analysts racing on
 * the same alert one wins and the other is told no.
 *
 * <ul>
 *   <li>{@link #add} MUST be idempotent on the alert's id (a retried add changes nothing).</li>
 *   <li>{@link #acknowledge} succeeds only on an open alert; {@link #assign} on one not closed;
 *       {@link #close} on one not closed. A closed alert never changes again.</li>
 * </ul>
 */
public interface AlertStore {
  /** Keeps a newly raised alert (open); a second add of the same id changes nothing. */
  void add(Alert alert);

  Optional<TrackedAlert> find(String id);

  /** Alerts newest first, all of them or those with {@code status}; at most {@code limit} (1 to 1000). */
  List<TrackedAlert> list(Optional<TrackedAlert.Status> status, int limit);

  /** Open → acknowledged by {@code by}; false if not open or unknown. */
  boolean acknowledge(String id, StaffId by, Instant at);

  /** Sets the analyst working it; false if closed or unknown. */
  boolean assign(String id, StaffId to, Instant at);

  /** Closes it with {@code verdict}; false if already closed or unknown. */
  boolean close(String id, AlertVerdict verdict, String note, StaffId by, Instant at);
}
