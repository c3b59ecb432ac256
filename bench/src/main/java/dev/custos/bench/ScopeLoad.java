package dev.custos.bench;

import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.incident.Access;
import dev.custos.access.CanonicalJson;
import dev.custos.incident.Scope;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.ledger.LedgerOptions;
import dev.custos.ledger.NoteSigner;
import dev.custos.store.index.FileAccessIndex;
import dev.custos.store.index.LedgerIndexer;
import dev.custos.vault.Commitment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The scoping benchmark (issue 8: scoping 100 million access events in at most a second or two).
 *
 * <p><b>generate</b> writes a synthetic ledger's accesses into a {@link FileAccessIndex} through its
 * one write path, {@link FileAccessIndex#append}, in batches of 1,000,000 (each a commit: forced
 * files and a new state). The accesses are fed as parsed {@link Access} records, not as 100 million
 * ledger entries: parsing entries ({@code AccessEntries}) and reading tiles are not what is measured.
 * Shape: {@code --staff} staff, {@code --customers} customers, {@code --days} days ending
 * 2026-11-01, the events of each day in time order spread over its 24 hours; each access is by a
 * uniformly drawn member of staff (the suspects are staff 0 to 4, ordinary volume) on a customer
 * drawn from a skewed distribution (half the accesses on 10% of the customers); 85% views, 10%
 * reveals, 5% search stubs; eight field sets; one session per member of staff and day; a ticket per
 * customer and month.
 *
 * <p><b>measure</b> opens the index in this process (first open) and times {@code Scope.of} for 1 and
 * 5 suspects over the last 30 days and all 180: the first run of each (after dropping the page cache
 * when {@code --drop-caches} is given and this process may write {@code /proc/sys/vm/drop_caches}),
 * then the median and best of {@code --repeat} warm runs; and the baseline in the same run: a
 * sequential scan of the same record bytes (every sealed partition file read through, each record's
 * staff compared), i.e. what a scope without posting lists or partitions would read.
 *
 * <pre>
 * java -Xmx8g -cp bench/target/benchmarks.jar dev.custos.bench.ScopeLoad generate --dir /tmp/scope-bench --events 100000000
 * java -Xmx8g -cp bench/target/benchmarks.jar dev.custos.bench.ScopeLoad measure --dir /tmp/scope-bench --repeat 5 --drop-caches
 * </pre>
 */
public final class ScopeLoad {
  static final Instant END = Instant.parse("2026-11-01T00:00:00Z");
  private static final List<Map<String, String>> FIELD_SETS = List.of(
      Map.of("name", "initial", "email", "partial-email", "account_status", "none"),
      Map.of("name", "initial", "email", "partial-email", "phone", "last-4", "account_tier", "none"),
      Map.of("balances", "none", "recent_transactions", "none", "account_status", "none"),
      Map.of("address", "city-country", "date_of_birth", "year", "nationality", "none"),
      Map.of("government_id", "last-4", "id_documents", "none", "kyc_status", "none"),
      Map.of("bank_account", "last-4", "withdrawal_addresses", "partial"),
      Map.of("recent_logins", "none", "two_factor_method", "none"),
      Map.of("support_notes", "none", "email", "partial-email"));
  private static final List<Map<String, String>> REVEALS = List.of(Map.of("phone", "none"), Map.of("email", "none"),
      Map.of("address", "none"), Map.of("bank_account", "none"));

  private ScopeLoad() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: ScopeLoad generate|measure --dir DIR [options]");
    }
    Map<String, String> o = new java.util.HashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--drop-caches")) {
        o.put("drop-caches", "true");
      } else {
        o.put(args[i].substring(2), args[++i]);
      }
    }
    Path dir = Path.of(o.getOrDefault("dir", "/tmp/scope-bench"));
    switch (args[0]) {
      case "generate" -> {
        long events = Long.parseLong(o.getOrDefault("events", "100000000"));
        int staff = Integer.parseInt(o.getOrDefault("staff", "2000"));
        int customers = Integer.parseInt(o.getOrDefault("customers", "5000000"));
        int days = Integer.parseInt(o.getOrDefault("days", "180"));
        long seed = Long.parseLong(o.getOrDefault("seed", "8"));
        if (o.containsKey("ledger")) {
          generateThroughLedger(dir, Path.of(o.get("ledger")), events, staff, customers, days, seed);
        } else {
          generate(dir, events, staff, customers, days, seed);
        }
      }
      case "measure" -> {
        int[] readAhead = Arrays.stream(o.getOrDefault("read-ahead", "0," + FileAccessIndex.DEFAULT_READ_AHEAD)
            .split(",")).mapToInt(Integer::parseInt).toArray();
        for (int threads : readAhead) {
          measure(dir, Integer.parseInt(o.getOrDefault("repeat", "5")), Integer.parseInt(o.getOrDefault("days", "180")),
              o.containsKey("drop-caches"), threads);
        }
        baseline(dir, Integer.parseInt(o.getOrDefault("repeat", "5")), o.containsKey("drop-caches"));
      }
      default -> throw new IllegalArgumentException("generate or measure, not " + args[0]);
    }
  }

  static StaffId staff(int n) {
    return new StaffId(String.format("agent-%04d", n));
  }

  /** A commitment per customer number: 32 bytes of a mixing function, as uniform as a hash. */
  static Commitment customer(int n) {
    ByteBuffer b = ByteBuffer.allocate(32);
    long x = n * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    for (int i = 0; i < 4; i++) {
      x ^= x >>> 31;
      x *= 0xBF58476D1CE4E5B9L;
      x ^= x >>> 29;
      b.putLong(x);
    }
    return Commitment.fromBytes(b.array());
  }

  static void generate(Path dir, long events, int staffCount, int customers, int days, long seed) throws IOException {
    if (Files.exists(dir.resolve("state"))) {
      throw new IllegalStateException(dir + " holds an index already; delete it first");
    }
    long started = System.nanoTime();
    List<Access> batch = new ArrayList<>(1_000_000);
    try (FileAccessIndex index = FileAccessIndex.open(dir)) {
      long[] ledger = {0};
      events(events, staffCount, customers, days, seed, a -> {
        batch.add(a);
        ledger[0] = a.ledgerIndex() + 1;
        if (batch.size() == 1_000_000) {
          index.append(batch, ledger[0]);
          batch.clear();
          System.err.printf(Locale.ROOT, "%,d events, %.0f s%n", ledger[0], (System.nanoTime() - started) / 1e9);
        }
      });
      index.append(batch, ledger[0]);
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(Locale.ROOT, "generated %,d accesses of %,d staff on %,d customers (%,d seen) over %d days "
          + "in %.0f s (%,.0f accesses/s): %d partitions, %s on disk%n", index.accesses(), staffCount, customers,
          index.distinctCustomers(), days, seconds, index.accesses() / seconds, index.partitions(), size(dir));
    }
  }

  /**
   * The same events as {@link #generate}, but through the production path: each one a real
   * {@code custos.access/v1} entry (the members {@code AccessBroker} writes, canonical JSON) appended
   * to a {@link Ledger} in batches ({@link Ledger#appendAll}, each durable when it returns), then the
   * index built from the ledger's tiles by {@link LedgerIndexer} as the server does. Both phases are
   * timed apart.
   */
  static void generateThroughLedger(Path dir, Path ledgerDir, long events, int staffCount, int customers, int days,
      long seed) throws IOException, LedgerException {
    if (Files.exists(dir.resolve("state")) || Files.exists(ledgerDir)) {
      throw new IllegalStateException(dir + " or " + ledgerDir + " exists already; delete them first");
    }
    long started = System.nanoTime();
    NoteSigner signer = NoteSigner.generate("bench.custos.local/scope", new java.security.SecureRandom());
    try (Ledger ledger = Ledger.open(ledgerDir, LedgerOptions.of(signer))) {
      List<byte[]> batch = new ArrayList<>(LEDGER_BATCH);
      LedgerException[] failed = {null};
      events(events, staffCount, customers, days, seed, a -> {
        batch.add(entry(a));
        if (batch.size() == LEDGER_BATCH && failed[0] == null) {
          try {
            ledger.appendAll(batch);
          } catch (LedgerException e) {
            failed[0] = e;
          }
          batch.clear();
          if ((a.ledgerIndex() + 1) % 1_000_000 == 0) {
            System.err.printf(Locale.ROOT, "%,d entries appended, %.0f s%n", a.ledgerIndex() + 1,
                (System.nanoTime() - started) / 1e9);
          }
        }
      });
      if (failed[0] != null) {
        throw failed[0];
      }
      if (!batch.isEmpty()) {
        ledger.appendAll(batch);
      }
      long size = ledger.publish().checkpoint().size();
      double appended = (System.nanoTime() - started) / 1e9;
      long ledgerBytes = bytes(ledgerDir);
      System.out.printf(Locale.ROOT, "ledger: %,d entries appended and published in %.0f s (%,.0f entries/s), "
          + "%,d MB on disk (%.0f bytes an entry)%n", size, appended, size / appended, ledgerBytes >> 20,
          (double) ledgerBytes / size);
      long indexStarted = System.nanoTime();
      try (FileAccessIndex index = FileAccessIndex.open(dir)) {
        LedgerIndexer indexer = new LedgerIndexer(index, ledger.reader());
        indexer.catchUp(size);
        double indexed = (System.nanoTime() - indexStarted) / 1e9;
        System.out.printf(Locale.ROOT, "index: %,d accesses (%,d unreadable entries) indexed from the ledger's tiles in "
            + "%.0f s (%,.0f entries/s): %d partitions, %s on disk; total %.0f s%n", index.accesses(),
            indexer.unreadable(), indexed, size / indexed, index.partitions(), size(dir),
            (System.nanoTime() - started) / 1e9);
      }
    }
  }

  private static final int LEDGER_BATCH = 10_000;
  private static final List<String> ROLES = List.of("support-agent");

  /** The {@code custos.access/v1} entry the broker writes for {@code a}: a view, reveal or search permit. */
  static byte[] entry(Access a) {
    Map<String, Object> e = new java.util.TreeMap<>();
    e.put("kind", "custos.access/v1");
    e.put("at", a.at().toString());
    e.put("staff", a.staff().value());
    e.put("session", a.session());
    e.put("roles", ROLES);
    e.put("action", a.action() == Action.SEARCH ? "search" : a.action() == Action.REVEAL ? "reveal" : "view");
    e.put("purpose", a.purposeId().isPresent() ? Map.of("type", a.purposeType(), "id", a.purposeId().get())
        : Map.of("type", a.purposeType()));
    e.put("rules", List.of(a.purposeId().isPresent() ? "ticket-assigned" : "search-stub"));
    e.put("decision", "permit");
    e.put("fields", new java.util.TreeMap<>(a.fields()));
    e.put("obligations", a.action() == Action.REVEAL ? List.of("step-up") : List.of());
    if (a.action() == Action.SEARCH) {
      e.put("customer", null);
      e.put("customers", List.of(a.customer().hex()));
    } else {
      e.put("customer", a.customer().hex());
    }
    return CanonicalJson.encode(e);
  }

  /** Calls {@code sink} with each generated access, in ledger (and time) order; the shape is {@link #generate}'s. */
  static void events(long events, int staffCount, int customers, int days, long seed,
      java.util.function.Consumer<Access> sink) {
    SplittableRandom random = new SplittableRandom(seed);
    StaffId[] staff = new StaffId[staffCount];
    for (int i = 0; i < staffCount; i++) {
      staff[i] = staff(i);
    }
    Instant start = END.minus(Duration.ofDays(days));
    long perDay = events / days;
    long ledger = 0;
    for (int day = 0; day < days; day++) {
      long today = day == days - 1 ? events - perDay * (days - 1) : perDay;
      long dayStart = start.getEpochSecond() + 86_400L * day;
      for (long k = 0; k < today; k++) {
        long nanos = (long) ((k + random.nextDouble()) * 86_400e9 / today);
        Instant at = Instant.ofEpochSecond(dayStart, 0).plusNanos(nanos);
        int s = random.nextInt(staffCount);
        int c = random.nextInt(10) < 5 ? random.nextInt(customers / 10) : random.nextInt(customers);
        int kind = random.nextInt(100);
        Action action = kind < 85 ? Action.VIEW : kind < 95 ? Action.REVEAL : Action.SEARCH;
        Map<String, String> fields = action == Action.REVEAL ? REVEALS.get(random.nextInt(REVEALS.size()))
            : FIELD_SETS.get(random.nextInt(FIELD_SETS.size()));
        Optional<String> ticket = action == Action.SEARCH ? Optional.empty()
            : Optional.of("T-" + c + "-" + (day / 30));
        sink.accept(new Access(ledger++, at, staff[s], "session-" + s + "-" + day, action, customer(c),
            action == Action.SEARCH ? "none" : "ticket", ticket, fields));
      }
    }
  }

  static void measure(Path dir, int repeat, int days, boolean dropCaches, int readAhead) throws IOException {
    boolean dropped = dropCaches && dropCaches();
    long t0 = System.nanoTime();
    try (FileAccessIndex index = FileAccessIndex.open(dir, readAhead)) {
      double open = (System.nanoTime() - t0) / 1e6;
      System.out.printf(Locale.ROOT, "index: %,d accesses, %d partitions, %,d customers, %s on disk; opened in %.0f ms"
          + "%s; read-ahead threads: %d%n", index.accesses(), index.partitions(), index.distinctCustomers(), size(dir),
          open, dropped ? " (page cache dropped before)" : "", readAhead);
      Set<StaffId> one = Set.of(staff(0));
      Set<StaffId> five = new LinkedHashSet<>(List.of(staff(0), staff(1), staff(2), staff(3), staff(4)));
      Instant last30 = END.minus(Duration.ofDays(30));
      Instant all = END.minus(Duration.ofDays(days));
      java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
      System.out.printf(Locale.ROOT, "load average at start: %.1f%n",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      System.out.println("| scope | accesses | customers | first run (ms) | first run CPU (ms) | warm median (ms) "
          + "| warm best (ms) | warm median CPU (ms) |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
      for (Object[] c : new Object[][] {{"1 suspect, 30 days", one, last30}, {"5 suspects, 30 days", five, last30},
          {"1 suspect, 180 days", one, all}, {"5 suspects, 180 days", five, all}}) {
        @SuppressWarnings("unchecked")
        Set<StaffId> suspects = (Set<StaffId>) c[1];
        if (dropCaches) {
          dropCaches();
        }
        long s = System.nanoTime();
        long firstCpu0 = cpu.getCurrentThreadCpuTime();
        Scope first = Scope.of(index, suspects, (Instant) c[2], END);
        double firstMs = (System.nanoTime() - s) / 1e6;
        double firstCpu = (cpu.getCurrentThreadCpuTime() - firstCpu0) / 1e6;
        double[] warm = new double[repeat];
        double[] warmCpu = new double[repeat];
        for (int i = 0; i < repeat; i++) {
          s = System.nanoTime();
          long cpu0 = cpu.getCurrentThreadCpuTime();
          Scope again = Scope.of(index, suspects, (Instant) c[2], END);
          warm[i] = (System.nanoTime() - s) / 1e6;
          warmCpu[i] = (cpu.getCurrentThreadCpuTime() - cpu0) / 1e6;
          if (again.accesses() != first.accesses()) {
            throw new IllegalStateException("a repeated scope differs");
          }
        }
        Arrays.sort(warm);
        Arrays.sort(warmCpu);
        System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %.0f | %.0f | %.0f | %.0f | %.0f |%n", c[0], first.accesses(),
            first.exposures().size(), firstMs, firstCpu, warm[repeat / 2], warm[0], warmCpu[repeat / 2]);
      }
    }
  }

  /**
   * The same-run baseline: every sealed partition's records read through in file order, one staff
   * compared each, first after dropping the page cache, then warm.
   */
  static void baseline(Path dir, int repeat, boolean dropCaches) throws IOException {
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    {
      List<Path> segments;
      try (Stream<Path> files = Files.list(dir)) {
        segments = files.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList();
      }
      if (dropCaches) {
        dropCaches();
      }
      long s = System.nanoTime();
      long scanCpu0 = cpu.getCurrentThreadCpuTime();
      long[] scanned = scan(segments);
      double firstScan = (System.nanoTime() - s) / 1e6;
      double firstScanCpu = (cpu.getCurrentThreadCpuTime() - scanCpu0) / 1e6;
      double[] warm = new double[repeat];
      double[] warmCpu = new double[repeat];
      for (int i = 0; i < repeat; i++) {
        s = System.nanoTime();
        long cpu0 = cpu.getCurrentThreadCpuTime();
        scan(segments);
        warm[i] = (System.nanoTime() - s) / 1e6;
        warmCpu[i] = (cpu.getCurrentThreadCpuTime() - cpu0) / 1e6;
      }
      Arrays.sort(warm);
      Arrays.sort(warmCpu);
      System.out.printf(Locale.ROOT, "| baseline: sequential scan of all %,d records (%,d MB), one staff compared each "
          + "| %,d | - | %.0f | %.0f | %.0f | %.0f | %.0f |%n", scanned[0], scanned[1] >> 20, scanned[2], firstScan,
          firstScanCpu, warm[repeat / 2], warm[0], warmCpu[repeat / 2]);
    }
  }

  /** Reads every partition's records in file order, counting those of staff number 0; returns records, bytes, matches. */
  static long[] scan(List<Path> segments) throws IOException {
    long records = 0;
    long bytes = 0;
    long matches = 0;
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    for (Path p : segments) {
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        ByteBuffer header = ByteBuffer.allocate(64);
        ch.read(header, 0);
        int n = header.getInt(8);
        long end = 64 + (long) n * 40;
        long pos = 64;
        while (pos < end) {
          buf.clear();
          buf.limit((int) Math.min(buf.capacity() / 40 * 40, end - pos));
          while (buf.hasRemaining()) {
            ch.read(buf, pos + buf.position());
          }
          buf.flip();
          for (int o = 0; o < buf.limit(); o += 40) {
            if (buf.getInt(o + 16) == 0) {
              matches++;
            }
          }
          pos += buf.limit();
          bytes += buf.limit();
        }
        records += n;
      }
    }
    return new long[] {records, bytes, matches};
  }

  /** Drops the page cache; whether it could. */
  static boolean dropCaches() {
    try {
      new ProcessBuilder("sync").inheritIO().start().waitFor();
      Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "1");
      return true;
    } catch (IOException | InterruptedException | SecurityException e) {
      return false;
    }
  }

  /** The bytes of the files under {@code dir}, however deep. */
  static long bytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    }
  }

  static String size(Path dir) throws IOException {
    long total = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        total += Files.size(p);
      }
    }
    return String.format(Locale.ROOT, "%,d MB", total >> 20);
  }
}
