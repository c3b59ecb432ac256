package dev.custos.bench;

import dev.custos.access.StaffId;
import dev.custos.detect.DetectionPolicy;
import dev.custos.detect.Detector;
import dev.custos.detect.Observation;
import dev.custos.detect.StaffProfile;
import dev.custos.sim.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@link Detector#observe} on one thread over a desk whose baselines are learnt, the
 * state a running deployment is in ({@link DetectorBench}'s events span 35 hours, so its people
 * never leave the detector's warm-up). The simulator's desk ({@code sim}: 500 agents in teams and
 * follow-the-sun shifts, tickets, linked accounts, reveals, searches, break-glass, fraud sweeps, a
 * surge days, and its eight insiders, never contained here) is recorded once; each measured pass
 * builds a fresh detector, feeds it the first {@link #LEARN_DAYS} days (not measured: the days
 * older than the detector's one-week lag are then learnt, and every peer group is out of
 * warm-up), then observes the next {@link #MEASURED} events in time order, each once, as the
 * wiring would. {@code baseline} walks the same events without the detector.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 10, time = 2)
@State(Scope.Benchmark)
public class DetectorDeskBench {
  static final int AGENTS = 500;
  static final int LEARN_DAYS = 14;
  static final int DAYS = 28;
  static final long SEED = 7;
  /** Events measured per pass: about eight days of the 500-agent desk after the learnt fortnight. */
  static final int MEASURED = 1 << 18;

  Observation[] learning;
  Observation[] measured;
  List<StaffProfile> staff;

  /** Records the simulator's desk: every observation the detector would see, in time order. */
  @Setup(Level.Trial)
  public void record() {
    Recorder desk = new Recorder();
    new Simulation(new Simulation.Settings(AGENTS, DAYS, SEED)).run(desk, d -> {});
    Instant split = Simulation.START.plus(Duration.ofDays(LEARN_DAYS));
    List<Observation> before = new ArrayList<>();
    List<Observation> after = new ArrayList<>();
    for (Observation o : desk.observations) {
      (o.at().isBefore(split) ? before : after).add(o);
    }
    if (after.size() < MEASURED) {
      throw new IllegalStateException("the desk's last " + (DAYS - LEARN_DAYS) + " days have " + after.size()
          + " events, fewer than the " + MEASURED + " measured");
    }
    learning = before.toArray(new Observation[0]);
    measured = after.subList(0, MEASURED).toArray(new Observation[0]);
    staff = desk.staff;
  }

  /** A detector that has learnt the desk's first fortnight, fresh for each measured pass. */
  @State(Scope.Thread)
  public static class Learnt {
    Detector detector;

    @Setup(Level.Invocation)
    public void learn(DetectorDeskBench desk) {
      detector = desk.learnt();
    }
  }

  Detector learnt() {
    Detector d = new Detector(DetectionPolicy.defaults(), a -> {});
    for (StaffProfile p : staff) {
      d.enrol(p);
    }
    for (Observation o : learning) {
      d.observe(o);
    }
    return d;
  }

  @Benchmark
  @OperationsPerInvocation(MEASURED)
  public int observe(Learnt state) {
    return pass(state.detector);
  }

  @Benchmark
  @OperationsPerInvocation(MEASURED)
  public long baseline() {
    long sum = 0;
    for (Observation o : measured) {
      sum += o.at().toEpochMilli();
    }
    return sum;
  }

  int pass(Detector detector) {
    int sum = 0;
    for (Observation o : measured) {
      sum += detector.observe(o).ordinal();
    }
    return sum;
  }

  /**
   * Events per CPU-second of the calling thread (thread CPU time, which a shared machine distorts
   * far less than wall time), each round a fresh learnt detector and one pass, with the baseline
   * loop's figure beside it: {@code java -cp bench/target/benchmarks.jar dev.custos.bench.DetectorDeskBench [rounds]}.
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    DetectorDeskBench b = new DetectorDeskBench();
    b.record();
    System.out.printf(java.util.Locale.ROOT, "desk: %d agents, %d events learnt (%d days), %d measured%n", AGENTS,
        b.learning.length, LEARN_DAYS, b.measured.length);
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long sink = 0;
    int repeat = 8;
    for (int round = 0; round < rounds + 2; round++) {
      long cpu = 0;
      long wall = 0;
      for (int i = 0; i < repeat; i++) {
        Detector d = b.learnt();
        long c0 = mx.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        sink += b.pass(d);
        cpu += mx.getCurrentThreadCpuTime() - c0;
        wall += System.nanoTime() - w0;
      }
      long c0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < repeat; i++) {
        sink += b.baseline();
      }
      long baseCpu = mx.getCurrentThreadCpuTime() - c0;
      double n = (double) repeat * MEASURED;
      System.out.printf(java.util.Locale.ROOT,
          "%s round %d: %.0f events per CPU-second (%.0f per wall second); baseline loop %.0f per CPU-second%n",
          round < 2 ? "warm-up" : "measured", round, n / (cpu / 1e9), n / (wall / 1e9), n / (baseCpu / 1e9));
    }
    System.out.println("(checksum " + sink + ")");
  }

  /** A desk that shows everything and contains nobody, and keeps every observation it is played. */
  static final class Recorder implements Simulation.Desk {
    final List<Observation> observations = new ArrayList<>();
    final List<StaffProfile> staff = new ArrayList<>();

    @Override
    public void open(List<Simulation.Member> members, Instant start) {
      String[] shifts = {"apac", "emea", "amer"};
      for (Simulation.Member m : members) {
        staff.add(new StaffProfile(m.id(), m.team(), m.role(), shifts[m.shiftStartHour() / 8 % 3]));
      }
    }

    @Override
    public Simulation.Outcome act(Simulation.Step step) {
      observations.add(step.observation());
      return Simulation.Outcome.SHOWN;
    }

    @Override
    public void restore(StaffId staff, Instant at) {}

    @Override
    public List<Simulation.RaisedAlert> alerts() {
      return List.of();
    }
  }
}
