package dev.custos.incident;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One step of an incident's timeline: what was done, by whom, when, and the ledger entry that
 * records it. Every change and every read of an incident's scope, notifications and report is one.
 *
 * @param at when
 * @param by who (a staff id, or {@code custos.notifier} for the sender)
 * @param event what, e.g. {@code opened}, {@code status}, {@code assigned}, {@code scope.read}
 * @param detail short facts without personal data (new status, owner, counts)
 * @param text the free text of the step, if any (kept in the database; the ledger has its SHA-256)
 * @param ledgerIndex the {@code custos.incident/v1} entry that records the step
 */
public record IncidentStep(Instant at, String by, String event, Map<String, String> detail, Optional<String> text,
    long ledgerIndex) {
  private static final Pattern EVENT = Pattern.compile("[a-z][a-z.\\-]{0,39}");
  /** Longest text of a step. */
  public static final int MAX_TEXT = 4000;

  public IncidentStep {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(text, "text");
    if (!EVENT.matcher(event).matches()) {
      throw new IllegalArgumentException("event: lower-case letters, dots and dashes");
    }
    if (text.isPresent() && text.get().length() > MAX_TEXT) {
      throw new IllegalArgumentException("text: at most " + MAX_TEXT + " characters");
    }
    if (ledgerIndex < 0) {
      throw new IllegalArgumentException("ledger index is negative");
    }
    detail = Map.copyOf(detail);
  }
}
