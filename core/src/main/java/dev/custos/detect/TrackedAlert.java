package dev.custos.detect;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An alert as security works it: raised, acknowledged, assigned to an analyst, closed with a verdict.
 *
 * @param alert what was raised
 * @param status where it stands
 * @param acknowledgedBy who acknowledged it, once someone did
 * @param assignee the analyst working it, if any
 * @param verdict the verdict it was closed with (present exactly when {@code status} is closed)
 * @param closedBy who closed it
 * @param note the closing note (free text, may be empty)
 * @param updatedAt the last change
 */
public record TrackedAlert(Alert alert, Status status, Optional<StaffId> acknowledgedBy, Optional<StaffId> assignee,
    Optional<AlertVerdict> verdict, Optional<StaffId> closedBy, String note, Instant updatedAt) {

  /** Where an alert stands. */
  public enum Status {
    OPEN, ACKNOWLEDGED, CLOSED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Status parse(String text) {
      for (Status s : values()) {
        if (s.wireName().equals(text)) {
          return s;
        }
      }
      throw new IllegalArgumentException("must be one of open, acknowledged, closed");
    }
  }

  public TrackedAlert {
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(acknowledgedBy, "acknowledgedBy");
    Objects.requireNonNull(assignee, "assignee");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(closedBy, "closedBy");
    Objects.requireNonNull(note, "note");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if ((status == Status.CLOSED) != verdict.isPresent()) {
      throw new IllegalArgumentException("a closed alert has a verdict and only a closed one");
    }
  }

  /** A newly raised alert. */
  public static TrackedAlert raised(Alert alert) {
    return new TrackedAlert(alert, Status.OPEN, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        "", alert.raisedAt());
  }
}
