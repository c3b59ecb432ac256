package dev.custos.server;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a scope is asked for, from untrusted text (the HTTP query, the command line): staff as a
 * comma-separated list of ids (1 to {@value #MAX_STAFF}), a window {@code [from, to)} of ISO-8601
 * instants or dates (a date is its midnight UTC).
 *
 * @param staff the staff, in the order given
 * @param from the window's start, inclusive
 * @param to the window's end, exclusive
 */
public record ScopeQuery(Set<StaffId> staff, Instant from, Instant to) {
  /** The most staff one scope names. */
  public static final int MAX_STAFF = 1000;

  /** Thrown for bad input; {@link #field()} names the parameter. */
  public static final class Invalid extends IllegalArgumentException {
    private final String field;

    Invalid(String field, String message) {
      super(field + ": " + message);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  public ScopeQuery {
    staff = Set.copyOf(staff);
  }

  /** Parses the three parameters; a missing one is {@code null}. */
  public static ScopeQuery parse(String staff, String from, String to) {
    if (staff == null || staff.isBlank()) {
      throw new Invalid("staff", "at least one staff id is required (comma-separated)");
    }
    Set<StaffId> ids = new LinkedHashSet<>();
    for (String s : staff.split(",", -1)) {
      try {
        ids.add(StaffId.parse(s.strip()));
      } catch (IllegalArgumentException e) {
        throw new Invalid("staff", "'" + shorten(s) + "' is not a staff id");
      }
    }
    if (ids.size() > MAX_STAFF) {
      throw new Invalid("staff", "at most " + MAX_STAFF + " staff ids");
    }
    Instant f = instant("from", from);
    Instant t = instant("to", to);
    if (!f.isBefore(t)) {
      throw new Invalid("to", "the window must end after it starts");
    }
    return new ScopeQuery(ids, f, t);
  }

  private static Instant instant(String field, String text) {
    if (text == null || text.isBlank()) {
      throw new Invalid(field, "required: an ISO-8601 instant (2026-11-21T08:00:00Z) or date (2026-11-21)");
    }
    try {
      return Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        throw new Invalid(field, "'" + shorten(text) + "' is not an ISO-8601 instant or date");
      }
    }
  }

  private static String shorten(String s) {
    String clean = s.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
  }
}
