package dev.custos.bench;

import dev.custos.vault.FieldValue;
import dev.custos.vault.Mask;
import dev.custos.vault.RegexMasks;
import java.util.concurrent.TimeUnit;
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
 * The two masks of a masked view that were regexes until session 12, initials of a name and the year
 * of a date, each beside the regex form it replaced ({@code *Regex}: {@link RegexMasks} from core's
 * tests, the baseline measured in the same run; {@code MaskTest} holds the two forms equal over random
 * texts). Run with {@code -prof gc} for the garbage per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class MaskBench {
  final FieldValue name = new FieldValue.Text("María José García López");
  final FieldValue date = new FieldValue.Text("1987-06-15");

  @Benchmark
  public Object initials() {
    return Mask.INITIAL.apply(name);
  }

  @Benchmark
  public Object initialsRegex() {
    return RegexMasks.initials(((FieldValue.Text) name).value());
  }

  @Benchmark
  public Object year() {
    return Mask.YEAR_ONLY.apply(date);
  }

  @Benchmark
  public Object yearRegex() {
    return RegexMasks.year(((FieldValue.Text) date).value());
  }
}
