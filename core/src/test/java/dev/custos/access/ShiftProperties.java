package dev.custos.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** {@link Shift#onShift}: day shifts, overnight shifts, time zones with DST, and the text form. */
class ShiftProperties {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Provide
  Arbitrary<Shift> shifts() {
    Arbitrary<Set<DayOfWeek>> days = Arbitraries.of(DayOfWeek.class).set().ofMinSize(1).ofMaxSize(7)
        .map(s -> EnumSet.copyOf(s));
    Arbitrary<LocalTime> times = Arbitraries.integers().between(0, 24 * 60 - 1).map(m -> LocalTime.of(m / 60, m % 60));
    Arbitrary<ZoneId> zones = Arbitraries.of(ZoneId.of("UTC"), BERLIN, NEW_YORK, ZoneId.of("Asia/Kolkata"),
        ZoneId.of("Australia/Lord_Howe"));
    return Combinators.combine(days, times, times, zones).filter((d, s, e, z) -> !s.equals(e)).as(Shift::new);
  }

  @Provide
  Arbitrary<Instant> instants() {
    // 2020-2030, which holds many DST changes in every zone above.
    return Arbitraries.longs().between(1_577_836_800L, 1_893_456_000L).map(Instant::ofEpochSecond);
  }

  /** The definition, checked independently: the latest start at or before {@code at} is less than the shift's length ago. */
  private static boolean reference(Shift s, Instant at) {
    ZonedDateTime local = at.atZone(s.zone());
    for (int back = 0; back <= 1; back++) {
      LocalDate day = local.toLocalDate().minusDays(back);
      if (!s.days().contains(day.getDayOfWeek())) {
        continue;
      }
      LocalDateTime from = day.atTime(s.start());
      LocalDateTime to = (s.overnight() ? day.plusDays(1) : day).atTime(s.end());
      LocalDateTime t = local.toLocalDateTime();
      if (!t.isBefore(from) && t.isBefore(to)) {
        return true;
      }
    }
    return false;
  }

  @Property(tries = 2000)
  void onShift_agreesWithTheDefinitionInLocalTime(@ForAll("shifts") Shift s, @ForAll("instants") Instant at) {
    assertThat(s.onShift(at)).isEqualTo(reference(s, at));
  }

  @Property(tries = 500)
  void textForm_readsBackToTheSameShift(@ForAll("shifts") Shift s) {
    assertThat(Shift.parse(s.toString())).isEqualTo(s);
  }

  @Property(tries = 500)
  void aDailyShift_coversEachDayForItsLength_exceptForDstChanges(@ForAll("instants") Instant day,
      @ForAll @IntRange(min = 0, max = 23) int startHour, @ForAll @IntRange(min = 1, max = 23) int hours) {
    LocalTime start = LocalTime.of(startHour, 0);
    Shift s = new Shift(EnumSet.allOf(DayOfWeek.class), start, start.plusHours(hours), ZoneId.of("UTC"));
    Instant midnight = day.atZone(ZoneId.of("UTC")).toLocalDate().atStartOfDay(ZoneId.of("UTC")).toInstant();
    long minutesOn = 0;
    for (int m = 0; m < 24 * 60; m++) {
      if (s.onShift(midnight.plus(Duration.ofMinutes(m)))) {
        minutesOn++;
      }
    }
    assertThat(minutesOn).isEqualTo(hours * 60L);
  }

  @Example
  void overnightShift_coversTheNightAfterEachDay_notTheMorningOfTheFirst() {
    Shift night = Shift.parse("mon-fri 22:00-06:00 Europe/Berlin");
    assertThat(night.overnight()).isTrue();
    assertThat(night.onShift(at(2026, 11, 20, 23, 0, BERLIN))).as("Friday 23:00").isTrue();
    assertThat(night.onShift(at(2026, 11, 21, 5, 59, BERLIN))).as("Saturday 05:59").isTrue();
    assertThat(night.onShift(at(2026, 11, 21, 6, 0, BERLIN))).as("Saturday 06:00").isFalse();
    assertThat(night.onShift(at(2026, 11, 16, 5, 0, BERLIN))).as("Monday 05:00: Sunday is off").isFalse();
    assertThat(night.onShift(at(2026, 11, 21, 23, 0, BERLIN))).as("Saturday 23:00").isFalse();
  }

  @Example
  void springForward_theMissingHourIsNeverOnShift_andTheShiftIsAnHourShorter() {
    // Europe/Berlin, 2026-03-29: 02:00 jumps to 03:00.
    Shift s = Shift.parse("sun 01:00-04:00 Europe/Berlin");
    Instant from = at(2026, 3, 29, 0, 0, BERLIN);
    long minutes = 0;
    for (int m = 0; m < 6 * 60; m++) {
      if (s.onShift(from.plus(Duration.ofMinutes(m)))) {
        minutes++;
      }
    }
    assertThat(minutes).isEqualTo(120);
  }

  @Example
  void fallBack_theRepeatedHourIsOnShiftBothTimes() {
    // America/New_York, 2026-11-01: 02:00 goes back to 01:00.
    Shift s = Shift.parse("sun 01:00-02:00 America/New_York");
    Instant first = ZonedDateTime.of(2026, 11, 1, 1, 30, 0, 0, NEW_YORK).withEarlierOffsetAtOverlap().toInstant();
    Instant second = ZonedDateTime.of(2026, 11, 1, 1, 30, 0, 0, NEW_YORK).withLaterOffsetAtOverlap().toInstant();
    assertThat(Duration.between(first, second)).isEqualTo(Duration.ofHours(1));
    assertThat(s.onShift(first)).isTrue();
    assertThat(s.onShift(second)).isTrue();
  }

  @Example
  void parse_namesWhatIsWrong() {
    assertThatThrownBy(() -> Shift.parse("mon-fry 09:00-17:00 UTC")).hasMessageContaining("'fry'");
    assertThatThrownBy(() -> Shift.parse("mon 09:00-25:00 UTC")).hasMessageContaining("'25:00'");
    assertThatThrownBy(() -> Shift.parse("mon 09:00-17:00 Mars/Olympus")).hasMessageContaining("Mars/Olympus");
    assertThatThrownBy(() -> Shift.parse("mon 09:00-09:00 UTC")).hasMessageContaining("must differ");
    assertThatThrownBy(() -> Shift.parse("whenever")).hasMessageContaining("<days>");
    assertThat(Shift.parse("fri-mon 08:00-12:00 UTC").days())
        .containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
  }

  private static Instant at(int y, int mo, int d, int h, int mi, ZoneId zone) {
    return ZonedDateTime.of(y, mo, d, h, mi, 0, 0, zone).toInstant();
  }
}
