package dev.custos.bench;

import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.detect.DetectionPolicy;
import dev.custos.detect.Detector;
import dev.custos.detect.Measure;
import dev.custos.detect.Observation;
import dev.custos.detect.Observation.Basis;
import dev.custos.detect.StaffProfile;
import dev.custos.vault.Classification;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@link Detector#observe} on one thread (the target: at least 1M events/s per core,
 * so detection is never the bottleneck). The observations are built once (the wiring builds one
 * per access anyway): 2^20 events of 500 staff in 25 peer groups over about 35 hours (each person about one event a
 * minute, the simulator's pace),
 * shaped like the simulator's desk (ticket assignments and closes, views of requesters and linked
 * accounts, reveals, searches, a little break-glass). {@code baseline} walks the same array
 * without the detector, to show what the loop itself costs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class DetectorBench {
  private static final int SIZE = 1 << 20;
  Observation[] events;
  Detector detector;
  int next;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom r = new SplittableRandom(7);
    StaffId[] staff = new StaffId[500];
    detector = new Detector(DetectionPolicy.defaults(), a -> {});
    for (int i = 0; i < staff.length; i++) {
      staff[i] = new StaffId("agent-" + i);
      detector.enrol(new StaffProfile(staff[i], "team-" + i % 25, Role.SUPPORT_L1, "emea"));
    }
    CustomerId[] customers = new CustomerId[200_000];
    for (int i = 0; i < customers.length; i++) {
      customers[i] = new CustomerId("c" + i);
    }
    events = new Observation[SIZE];
    long t = Instant.parse("2025-03-03T08:00:00Z").toEpochMilli();
    for (int i = 0; i < SIZE; i++) {
      t += 1 + r.nextInt(240); // 500 staff, each about one event a minute (the simulator's desk)
      Instant at = Instant.ofEpochMilli(t);
      StaffId s = staff[r.nextInt(staff.length)];
      CustomerId c = customers[(int) (customers.length * Math.pow(r.nextDouble(), 3))];
      int kind = r.nextInt(100);
      events[i] = kind < 15 ? new Observation.TicketFact(at, s, Observation.TicketFact.Kind.ASSIGNED, c, at, true)
          : kind < 28 ? new Observation.TicketFact(at, s, Observation.TicketFact.Kind.CLOSED, c, at.minusSeconds(1800), true)
          : kind < 33 ? new Observation.Search(at, s, 1, true)
          : kind < 40 ? new Observation.Touch(at, s, c, true, Classification.CONFIDENTIAL, Basis.OWN_TICKET, false, false, true)
          : kind < 48 ? Observation.Touch.view(at, s, customers[r.nextInt(customers.length)], Basis.LINKED, false, true)
          : kind < 49 ? Observation.Touch.view(at, s, customers[r.nextInt(customers.length)], Basis.BREAK_GLASS, false, true)
          : Observation.Touch.view(at, s, c, Basis.OWN_TICKET, r.nextInt(30) == 0, true);
    }
    for (Observation o : events) { // learn the desk first, as a running deployment has
      detector.observe(o);
    }
  }

  @Benchmark
  public Measure observe() {
    Observation o = events[next];
    next = (next + 1) & (SIZE - 1);
    return detector.observe(o);
  }

  /**
   * Events per CPU-second of the calling thread (thread CPU time, not wall time), which a shared,
   * overloaded machine does not distort the way it distorts JMH's wall-clock throughput:
   * {@code java -cp bench/target/benchmarks.jar dev.custos.bench.DetectorBench [rounds]}.
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    DetectorBench b = new DetectorBench();
    b.setUp();
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int round = 0; round < rounds + 2; round++) {
      long cpu = mx.getCurrentThreadCpuTime();
      long wall = System.nanoTime();
      int n = 20 * SIZE;
      for (int i = 0; i < n; i++) {
        sink += b.observe().ordinal();
      }
      double cpuSeconds = (mx.getCurrentThreadCpuTime() - cpu) / 1e9;
      double wallSeconds = (System.nanoTime() - wall) / 1e9;
      System.out.printf(java.util.Locale.ROOT, "%s round %d: %.0f events per CPU-second (%.0f per wall second)%n",
          round < 2 ? "warm-up" : "measured", round, n / cpuSeconds, n / wallSeconds);
    }
    System.out.println("(checksum " + sink + ")");
  }

  @Benchmark
  public Instant baseline() {
    Observation o = events[next];
    next = (next + 1) & (SIZE - 1);
    return o.at();
  }
}
