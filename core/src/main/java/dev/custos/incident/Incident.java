package dev.custos.incident;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An incident: a suspected leak by named staff within a window, worked by security from open to
 * closed. The title and notes are free text that may name people; they are kept in the database
 * only, and the ledger carries their SHA-256.
 *
 * @param id the identifier
 * @param title one line, 1 to 200 characters
 * @param notes free text, at most 4000 characters (may be empty)
 * @param suspects the staff whose accesses the scope covers (1 to 100)
 * @param from the window's start (inclusive)
 * @param to the window's end (exclusive), after {@code from}
 * @param status where it stands
 * @param owner the security analyst who owns it, once assigned
 * @param openedBy who opened it
 * @param openedAt when
 * @param updatedAt the last change
 * @param version incremented by every change; a change names the version it was based on, so of
 *     two concurrent changes exactly one wins
 */
public record Incident(IncidentId id, String title, String notes, Set<StaffId> suspects, Instant from, Instant to,
    IncidentStatus status, Optional<StaffId> owner, StaffId openedBy, Instant openedAt, Instant updatedAt,
    long version) {
  /** Longest title. */
  public static final int MAX_TITLE = 200;
  /** Longest notes. */
  public static final int MAX_NOTES = 4000;
  /** Most suspects. */
  public static final int MAX_SUSPECTS = 100;

  public Incident {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(notes, "notes");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(openedBy, "openedBy");
    Objects.requireNonNull(openedAt, "openedAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (title.isBlank() || title.length() > MAX_TITLE || title.chars().anyMatch(c -> c < 0x20)) {
      throw new IllegalArgumentException("title: 1 to " + MAX_TITLE + " characters on one line");
    }
    if (notes.length() > MAX_NOTES) {
      throw new IllegalArgumentException("notes: at most " + MAX_NOTES + " characters");
    }
    if (suspects.isEmpty() || suspects.size() > MAX_SUSPECTS) {
      throw new IllegalArgumentException("suspects: 1 to " + MAX_SUSPECTS + " staff ids");
    }
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("to: the window must end after it starts");
    }
    if (version < 0) {
      throw new IllegalArgumentException("version is negative");
    }
    TreeSet<StaffId> sorted = new TreeSet<>((a, b) -> a.value().compareTo(b.value()));
    sorted.addAll(suspects);
    suspects = Collections.unmodifiableSet(sorted);
  }

  /** This incident moved to {@code next} at {@code at} (the version is the store's business). */
  public Incident withStatus(IncidentStatus next, Instant at) {
    return new Incident(id, title, notes, suspects, from, to, next, owner, openedBy, openedAt, at, version);
  }

  /** This incident owned by {@code newOwner} from {@code at}. */
  public Incident withOwner(StaffId newOwner, Instant at) {
    return new Incident(id, title, notes, suspects, from, to, status, Optional.of(newOwner), openedBy, openedAt, at,
        version);
  }

  /** Whether {@code staff} is a suspect and {@code at} within the window: an access the scope counts. */
  public boolean covers(StaffId staff, Instant at) {
    return suspects.contains(staff) && !at.isBefore(from) && at.isBefore(to);
  }
}
