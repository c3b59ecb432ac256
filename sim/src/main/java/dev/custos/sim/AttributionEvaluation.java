package dev.custos.sim;

import dev.custos.access.Action;
import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.detect.DetectionPolicy;
import dev.custos.incident.Access;
import dev.custos.incident.AccessIndex;
import dev.custos.incident.Attribution;
import dev.custos.incident.MemoryAccessIndex;
import dev.custos.incident.ResolvedSample;
import dev.custos.vault.Commitment;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Measures leak attribution against the simulated desk: runs the simulation once, records every
 * customer shown to anyone in an in-memory access index (the desk's normal work included), then for
 * each attack scenario draws many leaked samples from what its insider saw and counts how often
 * attribution ranks the true insider first. Deterministic for a seed.
 */
public final class AttributionEvaluation {
  private static final Map<String, String> VIEW = Map.of("name", "initial", "email", "partial-email", "phone", "last-4");
  private static final Map<String, String> REVEAL = Map.of("name", "none", "email", "none", "phone", "none");
  private static final Map<String, String> STUB = Map.of("name", "initial", "email", "partial-email");

  /** Where a leaked sample is drawn from. */
  public enum Source {
    /** Every customer the insider's account (the thief's session, for a stolen session) saw, normal work included. */
    EVERYTHING,
    /** Only the customers the attack itself looked up. */
    ATTACK;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * What to evaluate.
   *
   * @param simulation the desk to simulate
   * @param contain whether the detector contains insiders (off: each attack runs to its end, the
   *     case in which a leak happens at all)
   * @param sizes the sample sizes
   * @param trials samples per scenario, source and size
   * @param noise the share of each sample drawn instead from every customer anyone saw (records an
   *     extortionist padded the leak with, or got elsewhere), 0 to 0.9
   */
  public record Settings(Simulation.Settings simulation, boolean contain, List<Integer> sizes, int trials, double noise) {
    /** Samples without noise. */
    public Settings(Simulation.Settings simulation, boolean contain, List<Integer> sizes, int trials) {
      this(simulation, contain, sizes, trials, 0);
    }

    public Settings {
      if (!(noise >= 0 && noise <= 0.9)) {
        throw new IllegalArgumentException("noise must be from 0 to 0.9");
      }
      Objects.requireNonNull(simulation, "simulation");
      sizes = List.copyOf(sizes);
      if (sizes.isEmpty() || sizes.stream().anyMatch(s -> s < 1)) {
        throw new IllegalArgumentException("sample sizes must be positive");
      }
      if (trials < 1) {
        throw new IllegalArgumentException("trials must be at least 1");
      }
    }
  }

  /**
   * One cell of the table.
   *
   * @param scenario the attack
   * @param source where the samples were drawn from
   * @param size the sample size asked for
   * @param drawnFrom how many customers the source holds (a sample is all of them when smaller than {@code size})
   * @param trials how many samples
   * @param first how often a true insider was ranked first among staff
   * @param sessionFirst how often the first-ranked session was the insider's (the thief's own, for a stolen session)
   * @param worstRank the worst rank of the best-ranked insider over the trials (1 = always first)
   * @param medianMargin the median, over trials, of the insider's score minus the best other person's (log10 units)
   */
  public record Cell(Scenario scenario, Source source, int size, int drawnFrom, int trials, int first, int sessionFirst,
      int worstRank, double medianMargin) {
    /** The share of trials in which the insider ranked first. */
    public double firstRate() {
      return trials == 0 ? 0 : (double) first / trials;
    }
  }

  /**
   * The evaluation.
   *
   * @param settings what was evaluated
   * @param accesses how many accesses the index held
   * @param population how many distinct customers anyone saw
   * @param cells one per scenario, source and size
   */
  public record Result(Settings settings, long accesses, long population, List<Cell> cells) {
    public Result {
      cells = List.copyOf(cells);
    }

    /** The table, one row per scenario and source, a column per size. */
    public String toTable() {
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "attribution: %d agents, %d days, seed %d, containment %s, %d trials per cell, "
          + "noise %.0f%%; %,d accesses, %,d customers seen%n", settings.simulation().agents(), settings.simulation().days(),
          settings.simulation().seed(), settings.contain() ? "on" : "off", settings.trials(), 100 * settings.noise(), accesses,
          population));
      out.append(String.format(Locale.ROOT, "%-20s %-10s %8s", "scenario", "source", "drawn"));
      for (int size : settings.sizes()) {
        out.append(String.format(Locale.ROOT, " %22s", "n=" + size + " first (sess)"));
      }
      out.append(String.format(Locale.ROOT, " %6s%n", "worst"));
      Map<String, List<Cell>> rows = new java.util.LinkedHashMap<>();
      for (Cell c : cells) {
        rows.computeIfAbsent(c.scenario().wireName() + "/" + c.source().wireName(), k -> new ArrayList<>()).add(c);
      }
      for (List<Cell> row : rows.values()) {
        Cell head = row.getFirst();
        out.append(String.format(Locale.ROOT, "%-20s %-10s %8d", head.scenario().wireName(), head.source().wireName(),
            head.drawnFrom()));
        int worst = 1;
        for (Cell c : row) {
          out.append(String.format(Locale.ROOT, " %11.1f%% (%5.1f%%)", 100.0 * c.firstRate(),
              100.0 * c.sessionFirst() / c.trials()));
          worst = Math.max(worst, c.worstRank());
        }
        out.append(String.format(Locale.ROOT, " %6s%n", worst == Integer.MAX_VALUE ? "-" : String.valueOf(worst)));
      }
      return out.toString();
    }
  }

  private AttributionEvaluation() {}

  /** Runs the evaluation; {@code progress} hears each line of progress. */
  public static Result run(Settings settings, Consumer<String> progress) {
    DetectionPolicy policy = settings.contain() ? DetectionPolicy.defaults()
        : DetectionPolicy.builder().thresholds(1e12, 2e12, 3e12, 4e12).build();
    Desk desk = new Desk();
    new Simulation(settings.simulation(), policy).run(d -> {}, desk::add);
    progress.accept(String.format(Locale.ROOT, "simulated: %,d accesses, %,d customers", desk.accesses, desk.index.distinctCustomers()));
    AccessIndex index = new CachingIndex(desk.index);
    List<Cell> cells = new ArrayList<>();
    List<CustomerId> everyone = new ArrayList<>(desk.commitments.keySet());
    everyone.removeAll(desk.decoys); // padding is real customers: a decoy names its viewer, whoever padded the leak
    everyone.sort(java.util.Comparator.comparing(CustomerId::value));
    for (Scenario scenario : Scenario.values()) {
      Set<StaffId> insiders = desk.insiders.getOrDefault(scenario, Set.of());
      if (insiders.isEmpty()) {
        continue;
      }
      for (Source source : Source.values()) {
        List<CustomerId> pool = new ArrayList<>(desk.pool(scenario, source));
        for (int size : settings.sizes()) {
          SplittableRandom r = new SplittableRandom(settings.simulation().seed() * 31 + scenario.ordinal() * 1_000_003L
              + source.ordinal() * 7919L + size);
          cells.add(cell(index, desk, scenario, source, size, pool, insiders, settings.trials(), settings.noise(), everyone, r));
        }
        progress.accept(scenario.wireName() + "/" + source.wireName() + " done");
      }
    }
    return new Result(settings, desk.accesses, desk.index.distinctCustomers(), cells);
  }

  private static Cell cell(AccessIndex index, Desk desk, Scenario scenario, Source source, int size, List<CustomerId> pool,
      Set<StaffId> insiders, int trials, double noise, List<CustomerId> everyone, SplittableRandom r) {
    if (pool.isEmpty()) {
      return new Cell(scenario, source, size, 0, 0, 0, 0, Integer.MAX_VALUE, 0);
    }
    int first = 0;
    int sessionFirst = 0;
    int worst = 1;
    double[] margins = new double[trials];
    for (int t = 0; t < trials; t++) {
      int wanted = Math.min(size, pool.size());
      // At least one record is the insider's: a leak that is all padding is nobody's to attribute.
      int padded = Math.min(wanted - 1, (int) Math.round(wanted * noise));
      List<CustomerId> drawn = new ArrayList<>(draw(pool, wanted - padded, r));
      Set<CustomerId> taken = new HashSet<>(drawn);
      while (padded > 0) {
        CustomerId c = everyone.get(r.nextInt(everyone.size()));
        if (taken.add(c)) {
          drawn.add(c);
          padded--;
        }
      }
      List<ResolvedSample.Match> sample = new ArrayList<>();
      List<Attribution.DecoyMatch> decoys = new ArrayList<>();
      for (CustomerId c : drawn) {
        int line = sample.size() + decoys.size() + 1;
        if (desk.decoys.contains(c)) {
          decoys.add(new Attribution.DecoyMatch(commitment(c), line, Set.of()));
        } else {
          sample.add(new ResolvedSample.Match(line, commitment(c), Map.of()));
        }
      }
      Attribution.Result result = Attribution.attribute(index, new Attribution.Input(sample, decoys, List.of(),
          Instant.MIN, Instant.MAX, 50));
      int rank = Integer.MAX_VALUE;
      double insiderScore = Double.NaN;
      double otherScore = 0;
      boolean otherSeen = false;
      for (int i = 0; i < result.staff().size(); i++) {
        Attribution.Candidate c = result.staff().get(i);
        if (insiders.contains(c.staff())) {
          if (rank == Integer.MAX_VALUE) {
            rank = i + 1;
            insiderScore = c.certain() ? 1000 : c.score();
          }
        } else if (!otherSeen) {
          otherSeen = true;
          otherScore = c.certain() ? 1000 : c.score();
        }
      }
      if (rank == 1) {
        first++;
      }
      worst = Math.max(worst, rank);
      margins[t] = Double.isNaN(insiderScore) ? -otherScore : insiderScore - otherScore;
      if (!result.sessions().isEmpty()) {
        Attribution.Candidate s = result.sessions().getFirst();
        boolean ok = insiders.contains(s.staff())
            && (scenario != Scenario.STOLEN_SESSION || s.session().orElse("").endsWith("-thief"));
        if (ok) {
          sessionFirst++;
        }
      }
    }
    Arrays.sort(margins);
    return new Cell(scenario, source, size, pool.size(), trials, first, sessionFirst, worst, margins[trials / 2]);
  }

  private static List<CustomerId> draw(List<CustomerId> pool, int size, SplittableRandom r) {
    if (size >= pool.size()) {
      return pool;
    }
    // A partial Fisher-Yates shuffle over a copy: the first `size` are a uniform sample without replacement.
    List<CustomerId> copy = new ArrayList<>(pool);
    for (int i = 0; i < size; i++) {
      int j = i + r.nextInt(copy.size() - i);
      CustomerId x = copy.get(i);
      copy.set(i, copy.get(j));
      copy.set(j, x);
    }
    return copy.subList(0, size);
  }

  /** The simulation's commitment of a customer: a hash of the id (the simulator keeps no vault). */
  static Commitment commitment(CustomerId c) {
    try {
      return Commitment.fromBytes(MessageDigest.getInstance("SHA-256").digest(c.value().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /** What the simulated desk showed, as an access index, and who the insiders are. */
  private static final class Desk {
    final MemoryAccessIndex index = new MemoryAccessIndex();
    final Map<Scenario, Set<StaffId>> insiders = new EnumMap<>(Scenario.class);
    final Map<Scenario, Set<CustomerId>> attacked = new EnumMap<>(Scenario.class);
    final Map<StaffId, Set<CustomerId>> byStaff = new HashMap<>();
    final Map<StaffId, Set<CustomerId>> byThief = new HashMap<>();
    final Set<CustomerId> decoys = new HashSet<>();
    final Map<CustomerId, Commitment> commitments = new HashMap<>();
    long accesses;

    void add(Simulation.Seen s) {
      Commitment c = commitments.computeIfAbsent(s.customer(), AttributionEvaluation::commitment);
      Action action = switch (s.kind()) {
        case VIEW -> Action.VIEW;
        case REVEAL -> Action.REVEAL;
        case SEARCH -> Action.SEARCH;
      };
      Map<String, String> fields = switch (s.kind()) {
        case VIEW -> VIEW;
        case REVEAL -> REVEAL;
        case SEARCH -> STUB;
      };
      index.add(new Access(accesses++, s.at(), s.staff(), s.session(), action, c, s.kind() == Simulation.Seen.Kind.SEARCH
          ? "none" : "ticket", Optional.empty(), fields));
      if (s.customer().value().startsWith("cust-")) {
        decoys.add(s.customer());
      }
      if (s.attack()) {
        insiders.computeIfAbsent(s.scenario(), x -> new LinkedHashSet<>()).add(s.staff());
        attacked.computeIfAbsent(s.scenario(), x -> new LinkedHashSet<>()).add(s.customer());
      }
      byStaff.computeIfAbsent(s.staff(), x -> new LinkedHashSet<>()).add(s.customer());
      if (s.session().endsWith("-thief")) {
        byThief.computeIfAbsent(s.staff(), x -> new LinkedHashSet<>()).add(s.customer());
      }
    }

    Set<CustomerId> pool(Scenario scenario, Source source) {
      if (source == Source.ATTACK) {
        return attacked.getOrDefault(scenario, Set.of());
      }
      Set<CustomerId> out = new LinkedHashSet<>();
      for (StaffId s : insiders.getOrDefault(scenario, Set.of())) {
        out.addAll(scenario == Scenario.STOLEN_SESSION ? byThief.getOrDefault(s, Set.of()) : byStaff.getOrDefault(s, Set.of()));
      }
      return out;
    }
  }

  /** Remembers each person's all-time volume, which attribution asks for again and again. */
  private static final class CachingIndex implements AccessIndex {
    private final AccessIndex inner;
    private final Map<StaffId, Long> volumes = new HashMap<>();

    CachingIndex(AccessIndex inner) {
      this.inner = inner;
    }

    @Override
    public void byStaff(Set<StaffId> staff, Instant from, Instant to, Consumer<Access> sink) {
      inner.byStaff(staff, from, to, sink);
    }

    @Override
    public void byCustomer(Commitment customer, Consumer<Access> sink) {
      inner.byCustomer(customer, sink);
    }

    @Override
    public long distinctCustomers(StaffId staff, Instant from, Instant to) {
      if (from.equals(Instant.MIN) && to.equals(Instant.MAX)) {
        return volumes.computeIfAbsent(staff, s -> inner.distinctCustomers(s, from, to));
      }
      return inner.distinctCustomers(staff, from, to);
    }

    @Override
    public long distinctCustomers() {
      return inner.distinctCustomers();
    }

    @Override
    public Set<StaffId> staff() {
      return inner.staff();
    }

    @Override
    public long coveredSize() {
      return inner.coveredSize();
    }
  }

  /**
   * Prints the table: {@code AttributionEvaluation AGENTS DAYS SEED TRIALS [contain|free] [NOISE]}, for
   * example {@code 500 30 7 200}.
   */
  public static void main(String[] args) {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int days = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 7;
    int trials = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    boolean contain = args.length > 4 && args[4].equals("contain");
    double noise = args.length > 5 ? Double.parseDouble(args[5]) : 0;
    long started = System.nanoTime();
    Result r = run(new Settings(new Simulation.Settings(agents, days, seed), contain, List.of(10, 50, 200), trials, noise),
        System.err::println);
    System.out.print(r.toTable());
    System.out.printf(Locale.ROOT, "(%.1f s)%n", (System.nanoTime() - started) / 1e9);
  }
}
