package dev.custos.bench;

import dev.custos.vault.FieldValue;
import dev.custos.vault.Mask;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two masks of a masked view that were regexes until session 12, initials of a name and the year of
 * a date, each beside the regex form it replaced ({@code *Regex}, copied here as the baseline measured in
 * the same run; the tests hold the two forms equal over random texts). Run with {@code -prof gc} for the
 * garbage per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class MaskBench {
  private static final Pattern WORD_BREAKS = Pattern.compile("[\\s\\p{Z}]+");
  private static final Pattern DATE = Pattern.compile("(\\d{4})(?:-(\\d{2})(?:-(\\d{2}))?)?");

  final FieldValue name = new FieldValue.Text("María José García López");
  final FieldValue date = new FieldValue.Text("1987-06-15");

  @Benchmark
  public Object initials() {
    return Mask.INITIAL.apply(name);
  }

  @Benchmark
  public Object initialsRegex() {
    return initialsByRegex(((FieldValue.Text) name).value());
  }

  @Benchmark
  public Object year() {
    return Mask.YEAR_ONLY.apply(date);
  }

  @Benchmark
  public Object yearRegex() {
    return yearByRegex(((FieldValue.Text) date).value());
  }

  private static String initialsByRegex(String value) {
    List<String> initials = new ArrayList<>();
    for (String word : WORD_BREAKS.split(value)) {
      word.codePoints().filter(Character::isLetter).findFirst()
          .ifPresent(cp -> initials.add(new String(Character.toChars(Character.toUpperCase(cp))) + "."));
    }
    if (initials.isEmpty()) {
      return Mask.REDACTED_TEXT;
    }
    return initials.size() == 1 ? initials.get(0) : initials.get(0) + " " + initials.get(initials.size() - 1);
  }

  private static String yearByRegex(String value) {
    Matcher m = DATE.matcher(value);
    if (!m.matches()) {
      return Mask.REDACTED_TEXT;
    }
    try {
      int y = Integer.parseInt(m.group(1));
      if (m.group(3) != null) {
        LocalDate.of(y, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
      } else if (m.group(2) != null) {
        YearMonth.of(y, Integer.parseInt(m.group(2)));
      }
      return m.group(1);
    } catch (DateTimeException e) {
      return Mask.REDACTED_TEXT;
    }
  }
}
