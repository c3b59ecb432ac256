package dev.custos.access;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * When a member of staff works: on some days of the week, from a local start time to a local end
 * time, in a time zone. A shift whose end is not after its start runs overnight: it starts on one of
 * its days and ends the next morning ({@code mon-fri 22:00-06:00} covers Friday 23:00 and Saturday
 * 05:00, not Monday 05:00). Detection uses it to tell off-shift activity; access does not depend on it.
 *
 * <p>Local times follow the zone's rules: on a day when clocks go forward, a time that does not
 * exist is never on shift, and the shift is as much shorter; when they go back, the repeated hour
 * is on shift both times.
 *
 * <p>Text form ({@link #parse}, {@link #toString}): {@code <days> <HH:mm>-<HH:mm> <zone>}, days as
 * a range {@code mon-fri} (wrapping: {@code fri-mon}), a list {@code mon,wed,sat} or {@code daily};
 * e.g. {@code mon-fri 09:00-17:30 Europe/Berlin}.
 *
 * @param days the days a shift starts on (at least one)
 * @param start when it starts, local time
 * @param end when it ends, local time; not after {@code start} for an overnight shift, never equal to it
 * @param zone the time zone of the times
 */
public record Shift(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {
  private static final Pattern TEXT = Pattern.compile("(\\S+)\\s+(\\d{2}:\\d{2})-(\\d{2}:\\d{2})\\s+(\\S+)");
  private static final String[] NAMES = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

  public Shift {
    Objects.requireNonNull(days, "days");
    if (days.isEmpty()) {
      throw new IllegalArgumentException("shift days must name at least one day");
    }
    days = Collections.unmodifiableSet(EnumSet.copyOf(days));
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(zone, "zone");
    if (start.equals(end)) {
      throw new IllegalArgumentException("shift start and end must differ (a shift is shorter than a day)");
    }
    if (start.getSecond() != 0 || start.getNano() != 0 || end.getSecond() != 0 || end.getNano() != 0) {
      throw new IllegalArgumentException("shift times are whole minutes");
    }
  }

  /** Whether the shift runs past midnight into the next day. */
  public boolean overnight() {
    return !end.isAfter(start);
  }

  /** Whether {@code at} falls within this shift. */
  public boolean onShift(Instant at) {
    ZonedDateTime local = at.atZone(zone);
    LocalTime t = local.toLocalTime();
    DayOfWeek day = local.getDayOfWeek();
    if (!overnight()) {
      return days.contains(day) && !t.isBefore(start) && t.isBefore(end);
    }
    return (days.contains(day) && !t.isBefore(start)) || (days.contains(day.minus(1)) && t.isBefore(end));
  }

  /**
   * Parses the text form.
   *
   * @throws IllegalArgumentException saying which part is wrong (days, a time, the zone)
   */
  public static Shift parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("shift is required, e.g. 'mon-fri 09:00-17:00 Europe/Berlin'");
    }
    Matcher m = TEXT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("shift must be '<days> <HH:mm>-<HH:mm> <zone>', e.g. 'mon-fri 09:00-17:00 Europe/Berlin'");
    }
    Set<DayOfWeek> days = days(m.group(1).toLowerCase(Locale.ROOT));
    LocalTime start = time(m.group(2));
    LocalTime end = time(m.group(3));
    ZoneId zone;
    try {
      zone = ZoneId.of(m.group(4));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("shift zone '" + m.group(4) + "' is not a time zone id such as Europe/Berlin or UTC");
    }
    return new Shift(days, start, end, zone);
  }

  private static Set<DayOfWeek> days(String text) {
    if (text.equals("daily")) {
      return EnumSet.allOf(DayOfWeek.class);
    }
    Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    for (String part : text.split(",", -1)) {
      String[] range = part.split("-", -1);
      if (range.length == 1) {
        out.add(day(range[0]));
      } else if (range.length == 2) {
        DayOfWeek from = day(range[0]);
        DayOfWeek to = day(range[1]);
        for (DayOfWeek d = from; ; d = d.plus(1)) {
          out.add(d);
          if (d == to) {
            break;
          }
        }
      } else {
        throw new IllegalArgumentException("shift days: '" + part + "' is not a day or a range of days");
      }
    }
    return out;
  }

  private static DayOfWeek day(String name) {
    for (int i = 0; i < NAMES.length; i++) {
      if (NAMES[i].equals(name)) {
        return DayOfWeek.of(i + 1);
      }
    }
    throw new IllegalArgumentException("shift days: '" + name + "' is not one of mon, tue, wed, thu, fri, sat, sun");
  }

  private static LocalTime time(String text) {
    try {
      return LocalTime.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("shift time '" + text + "' is not a time from 00:00 to 23:59");
    }
  }

  /** The text form, days as a comma-separated list (or {@code daily}); {@link #parse} reads it back. */
  @Override
  public String toString() {
    String d = days.size() == 7 ? "daily"
        : days.stream().map(x -> NAMES[x.getValue() - 1]).collect(Collectors.joining(","));
    return d + " " + start + "-" + end + " " + zone.getId();
  }
}
