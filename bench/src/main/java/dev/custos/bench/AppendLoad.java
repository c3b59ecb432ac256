package dev.custos.bench;

import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.ledger.LedgerOptions;
import dev.custos.ledger.NoteSigner;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The load harness for durable appends: closed-loop appenders on virtual threads, each appending a
 * fresh entry as soon as its previous one returned, against the {@link Ledger} and against the raw
 * group-commit baseline ({@link RawLog}) in the same process, alternating between the two.
 *
 * <p>For each appender count and round, each target gets a fresh directory under {@code --dir}, a
 * warm-up, then a measured window; only appends that both start and end inside the window count,
 * and each one's latency (call to return, so it includes waking the virtual thread) is recorded.
 * Rounds alternate which target goes first, so drift in the machine's load hits both. Everything is
 * written under a temporary directory that is deleted afterwards.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.custos.bench.AppendLoad \
 *     --appenders 1,64,1024 --warmup 3 --seconds 5 --rounds 2 --entry-bytes 200
 * </pre>
 */
public final class AppendLoad {

    /** One thing to append to: the ledger or the raw baseline. */
    interface Target extends AutoCloseable {
        /** Appends durably; returns the index. */
        long append(byte[] entry) throws Exception;

        /** Durable entries that no published checkpoint covers yet (integration lag); 0 for the raw log. */
        default long uncheckpointed() {
            return 0;
        }

        /** An object that changes (by identity) whenever a new checkpoint is published; null for the raw log. */
        default Object checkpoint() {
            return null;
        }

        @Override
        void close() throws IOException, LedgerException;
    }

    /** What is measured. */
    enum Kind { RAW, LEDGER }

    /**
     * How a run goes; validated, never clamped.
     *
     * @param appenders the appender counts, each measured in turn
     * @param warmup un-measured time before each measured window
     * @param window the measured time per round and target
     * @param rounds measured windows per appender count and target (alternating the order)
     * @param entryBytes size of every entry
     * @param dir where the temporary directory goes (must be on the disk under test, not tmpfs)
     * @param kinds the targets
     * @param maxSamples latencies kept per target and appender count (appends beyond it are counted, not kept)
     * @param publishInterval the ledger's publish interval ({@link Duration#ZERO}: integrate only when closed)
     * @param ledgerDir null for a fresh ledger per window (deleted at the end of the run); otherwise one ledger
     *     kept there across windows and runs and never deleted by the harness, the steady state of a server
     *     whose ledger only grows (deleting tens of thousands of tile files makes ext4 without a journal slow
     *     to create files in the same block groups for minutes, which taxes whatever runs next)
     */
    record Config(List<Integer> appenders, Duration warmup, Duration window, int rounds, int entryBytes, Path dir,
                  List<Kind> kinds, int maxSamples, Duration publishInterval, Path ledgerDir) {
        Config {
            appenders = List.copyOf(appenders);
            kinds = List.copyOf(kinds);
            if (appenders.isEmpty() || appenders.stream().anyMatch(n -> n < 1 || n > 1_000_000)) {
                throw new IllegalArgumentException("--appenders must be 1 to 1000000 each, got " + appenders);
            }
            if (warmup.isNegative()) {
                throw new IllegalArgumentException("--warmup must not be negative, got " + warmup);
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("--seconds must be positive, got " + window);
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
            }
            if (entryBytes < 8 || entryBytes > 65_535) {
                throw new IllegalArgumentException("--entry-bytes must be 8 to 65535, got " + entryBytes);
            }
            if (kinds.isEmpty()) {
                throw new IllegalArgumentException("--targets must name raw and/or ledger");
            }
            if (maxSamples < 1) {
                throw new IllegalArgumentException("--max-samples must be positive, got " + maxSamples);
            }
            if (publishInterval.isNegative()) {
                throw new IllegalArgumentException("--publish-interval must not be negative, got " + publishInterval);
            }
        }

        static Config defaults() {
            return new Config(List.of(1, 64, 1024), Duration.ofSeconds(3), Duration.ofSeconds(5), 2, 200,
                    Path.of(System.getProperty("java.io.tmpdir")), List.of(Kind.RAW, Kind.LEDGER), 16_000_000,
                    LedgerOptions.DEFAULT_PUBLISH_INTERVAL, null);
        }

        /** Parses {@code --key value} pairs over the defaults; an unknown key or a bad value is refused. */
        static Config parse(String... args) {
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String key = args[i];
                if (!key.startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --key value pairs, got '" + key + "'");
                }
                given.put(key.substring(2), args[++i]);
            }
            Config d = defaults();
            List<Integer> appenders = d.appenders();
            Duration warmup = d.warmup();
            Duration window = d.window();
            int rounds = d.rounds();
            int entryBytes = d.entryBytes();
            Path dir = d.dir();
            List<Kind> kinds = d.kinds();
            int maxSamples = d.maxSamples();
            Duration publishInterval = d.publishInterval();
            Path ledgerDir = d.ledgerDir();
            for (Map.Entry<String, String> e : given.entrySet()) {
                String v = e.getValue();
                try {
                    switch (e.getKey()) {
                        case "appenders" -> appenders = Arrays.stream(v.split(",")).map(s -> Integer.parseInt(s.strip())).toList();
                        case "warmup" -> warmup = seconds(v);
                        case "seconds" -> window = seconds(v);
                        case "rounds" -> rounds = Integer.parseInt(v);
                        case "entry-bytes" -> entryBytes = Integer.parseInt(v);
                        case "dir" -> dir = Path.of(v);
                        case "targets" -> kinds = Arrays.stream(v.split(","))
                                .map(s -> Kind.valueOf(s.strip().toUpperCase(Locale.ROOT))).toList();
                        case "max-samples" -> maxSamples = Integer.parseInt(v);
                        case "publish-interval" -> publishInterval = seconds(v);
                        case "ledger-dir" -> ledgerDir = Path.of(v);
                        default -> throw new IllegalArgumentException("unknown option --" + e.getKey());
                    }
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("--" + e.getKey() + ": not a number: " + v, ex);
                } catch (IllegalArgumentException ex) {
                    if (ex.getMessage() != null && ex.getMessage().startsWith("unknown option")) {
                        throw ex;
                    }
                    throw new IllegalArgumentException("--" + e.getKey() + ": bad value " + v, ex);
                }
            }
            return new Config(appenders, warmup, window, rounds, entryBytes, dir, kinds, maxSamples, publishInterval,
                    ledgerDir);
        }

        private static Duration seconds(String v) {
            return Duration.ofNanos(Math.round(Double.parseDouble(v) * 1e9));
        }
    }

    /**
     * The figures for one target at one appender count, over all its rounds.
     *
     * @param appends appends that started and ended inside the measured windows
     * @param seconds total length of the measured windows
     * @param p50Nanos median latency; {@code p99Nanos}, {@code p999Nanos} and {@code maxNanos} likewise
     * @param samples latencies the percentiles are computed from (fewer than appends if {@code maxSamples} was reached)
     * @param gcCount collections during the measured windows, {@code gcMillis} their total reported time
     * @param cpuNanos CPU time of the whole process (all threads) during the measured windows
     * @param uncheckpointed the most durable entries not yet covered by a checkpoint at the end of a window
     *     (how far integration lagged behind; 0 for the raw log)
     * @param allocatedBytes heap allocated by the whole process during the measured windows
     * @param threadCpuNanos CPU time of the ledger's own platform threads during the measured windows, by
     *     thread name (tile writers, integrator, sequencer, ...): where integration's cost goes
     * @param phases latencies split by how long after the previous checkpoint appeared each append returned
     *     (empty for the raw log): the publisher starts one publish interval after the previous checkpoint
     *     appeared, so with the default of 1 s the bucket from 1,000 ms on holds the appends that returned
     *     while a publish ran; whether publishing slows the commits beside it
     */
    record Result(Kind kind, int appenders, long appends, double seconds, long p50Nanos, long p99Nanos,
                  long p999Nanos, long maxNanos, long samples, long gcCount, long gcMillis, long cpuNanos,
                  long uncheckpointed, long allocatedBytes, Map<String, Long> threadCpuNanos, List<Phase> phases) {
        double perSecond() {
            return appends / seconds;
        }

        /** Process CPU time per append, in microseconds: stabler than throughput on a shared machine. */
        double cpuMicrosPerAppend() {
            return appends == 0 ? 0 : cpuNanos / 1e3 / appends;
        }

        /** CPU time per append of the ledger's threads named {@code name}, in microseconds. */
        double threadCpuMicrosPerAppend(String name) {
            return appends == 0 ? 0 : threadCpuNanos.getOrDefault(name, 0L) / 1e3 / appends;
        }

        /** Heap allocated per append by the whole process (the harness's own share included). */
        double allocatedBytesPerAppend() {
            return appends == 0 ? 0 : (double) allocatedBytes / appends;
        }
    }

    /**
     * The appends that returned between {@code fromMillis} and {@code toMillis} after the previous
     * checkpoint appeared ({@code toMillis} is {@link Long#MAX_VALUE} for the last bucket).
     */
    record Phase(long fromMillis, long toMillis, long count, long p50Nanos, long p99Nanos, long maxNanos) {}

    /** Width of a {@link Phase} bucket. */
    static final long PHASE_MILLIS = 100;
    /** Buckets of {@link #PHASE_MILLIS}; the last one takes everything later (a publish running, at 1 s). */
    static final int PHASES = 11;

    private static final String ORIGIN = "custos.bench/ledger";

    private final Config config;
    private final PrintStream log;
    private final NoteSigner signer = NoteSigner.generate(ORIGIN, new SecureRandom());

    AppendLoad(Config config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("AppendLoad: " + e.getMessage());
            System.err.println("options: --appenders 1,64,1024 --warmup 3 --seconds 5 --rounds 2 --entry-bytes 200"
                    + " --dir <tmp> --targets raw,ledger --max-samples 16000000 --publish-interval 1 [--ledger-dir DIR]");
            System.exit(2);
            return;
        }
        System.out.printf(Locale.ROOT, "AppendLoad: %s%n  java %s (%s), %d CPUs, max heap %d MiB%n", config,
                Runtime.version(), System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        List<Result> results = new AppendLoad(config, System.out).run();
        System.out.println();
        System.out.print(table(results));
        System.out.println();
        System.out.print(phaseTable(results));
    }

    /** Runs every appender count and round; returns one result per target and appender count. */
    List<Result> run() throws Exception {
        Path root = Files.createTempDirectory(config.dir(), "custos-append-load-");
        Map<Kind, Recorder> recorders = new EnumMap<>(Kind.class);
        for (Kind k : config.kinds()) {
            recorders.put(k, new Recorder(config.maxSamples()));
        }
        List<Result> results = new ArrayList<>();
        try {
            for (int n : config.appenders()) {
                recorders.values().forEach(Recorder::reset);
                for (int round = 0; round < config.rounds(); round++) {
                    List<Kind> order = new ArrayList<>(config.kinds());
                    if (round % 2 == 1) {
                        order = order.reversed();
                    }
                    for (Kind kind : order) {
                        // Each window's files stay until the whole run ends: deleting tens of thousands of tile
                        // files makes some file systems slow to create files for a while (ext4 without a journal
                        // skips recently deleted inodes one by one), which would tax the next window's ledger.
                        Path runDir = Files.createTempDirectory(root, kind.name().toLowerCase(Locale.ROOT) + "-" + n + "-");
                        Recorder r = recorders.get(kind);
                        long before = r.count();
                        window(kind, n, runDir, r);
                        log.printf(Locale.ROOT, "  %-6s appenders=%-5d round=%d appends/s=%,.0f%n", kind, n, round,
                                (r.count() - before) / seconds(config.window()));
                        deleteLargeFiles(runDir);
                    }
                }
                for (Kind kind : config.kinds()) {
                    results.add(recorders.get(kind).result(kind, n, seconds(config.window()) * config.rounds()));
                }
            }
        } finally {
            deleteTree(root);
        }
        return results;
    }

    /** One warm-up and measured window of {@code n} appenders against a fresh target in {@code runDir}. */
    private void window(Kind kind, int n, Path runDir, Recorder recorder) throws Exception {
        System.gc();
        try (Target target = open(kind, runDir)) {
            long start = System.nanoTime();
            long measureFrom = start + config.warmup().toNanos();
            long measureTo = measureFrom + config.window().toNanos();
            AtomicReference<Throwable> error = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>(n);
            for (int a = 0; a < n; a++) {
                long seed = ((long) n << 32) ^ a;
                threads.add(Thread.ofVirtual().name("appender-" + a).start(
                        () -> appendLoop(target, seed, measureFrom, measureTo, recorder, error)));
            }
            Thread watcher = target.checkpoint() == null ? null
                    : Thread.ofPlatform().name("checkpoint-watcher").daemon().start(
                            () -> watchCheckpoints(target, measureTo, recorder));
            sleepUntil(measureFrom);
            long[] gcBefore = gc();
            Map<String, Long> threadsBefore = ledgerThreadCpu();
            long cpuBefore = processCpuNanos();
            long allocBefore = allocatedBytes();
            sleepUntil(measureTo);
            long allocAfter = allocatedBytes();
            long cpuAfter = processCpuNanos();
            Map<String, Long> threadsAfter = ledgerThreadCpu();
            long[] gcAfter = gc();
            long lag = target.uncheckpointed();
            for (Thread t : threads) {
                t.join();
            }
            if (watcher != null) {
                watcher.join();
            }
            threadsAfter.forEach((name, nanos) -> recorder.addThreadCpu(name, nanos - threadsBefore.getOrDefault(name, 0L)));
            recorder.addGc(gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1], cpuAfter - cpuBefore);
            recorder.addAllocated(allocAfter - allocBefore);
            recorder.addLag(lag);
            if (error.get() != null) {
                throw new IllegalStateException(kind + " append failed with " + n + " appenders", error.get());
            }
        }
    }

    private void appendLoop(Target target, long seed, long measureFrom, long measureTo, Recorder recorder,
                            AtomicReference<Throwable> error) {
        byte[] entry = new byte[config.entryBytes()];
        new SplittableRandom(seed).nextBytes(entry);
        long seq = 0;
        try {
            while (error.get() == null) {
                long t0 = System.nanoTime();
                if (t0 >= measureTo) {
                    return;
                }
                // Every entry differs from every other one (appender seed in the body, sequence in front).
                for (int i = 0; i < 8; i++) {
                    entry[i] = (byte) (seq >>> (8 * i));
                }
                seq++;
                target.append(entry);
                long t1 = System.nanoTime();
                if (t0 >= measureFrom && t1 <= measureTo) {
                    recorder.record(t1 - t0, t1);
                }
            }
        } catch (Throwable t) {
            error.compareAndSet(null, t);
        }
    }

    /** Notes when each new checkpoint appears, polling every 0.2 ms until {@code until}. */
    private static void watchCheckpoints(Target target, long until, Recorder recorder) {
        Object seen = target.checkpoint();
        while (System.nanoTime() < until) {
            LockSupport.parkNanos(200_000);
            Object now = target.checkpoint();
            if (now != seen) {
                recorder.addCheckpoint(System.nanoTime());
                seen = now;
            }
        }
    }

    /** CPU time so far of the ledger's platform threads ({@code custos-ledger-*}), summed by name. */
    private static Map<String, Long> ledgerThreadCpu() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> byName = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("custos-ledger-")) {
                long cpu = mx.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    byName.merge(info.getThreadName().substring("custos-ledger-".length()), cpu, Long::sum);
                }
            }
        }
        return byName;
    }

    private Target open(Kind kind, Path runDir) throws Exception {
        return switch (kind) {
            case RAW -> new RawLog(runDir.resolve("raw.log"));
            case LEDGER -> {
                Path ledgerDir = runDir.resolve("ledger");
                NoteSigner key = signer;
                if (config.ledgerDir() != null) {
                    ledgerDir = config.ledgerDir();
                    Files.createDirectories(ledgerDir);
                    key = NoteSigner.loadOrCreate(ledgerDir.resolveSibling(ledgerDir.getFileName() + ".key"), ORIGIN,
                            new SecureRandom());
                }
                Ledger ledger = Ledger.open(ledgerDir, LedgerOptions.of(key)
                        .withPublishInterval(config.publishInterval()));
                yield new Target() {
                    @Override
                    public long append(byte[] entry) throws Exception {
                        return ledger.append(entry).index();
                    }

                    @Override
                    public long uncheckpointed() {
                        return ledger.durableSize() - ledger.latestCheckpoint().checkpoint().size();
                    }

                    @Override
                    public Object checkpoint() {
                        return ledger.latestCheckpoint();
                    }

                    @Override
                    public void close() throws LedgerException {
                        ledger.close();
                    }
                };
            }
        };
    }

    /** Latencies of one target at one appender count, kept in a preallocated array (no allocation while measuring). */
    static final class Recorder {
        private final long[] samples;
        /** When each sampled append returned ({@link System#nanoTime}), at the same position as its latency. */
        private final long[] ends;
        private final AtomicLong next = new AtomicLong();
        private final List<Long> checkpoints = new ArrayList<>();
        private final Map<String, Long> threadCpu = new java.util.TreeMap<>();
        private long gcCount;
        private long gcMillis;
        private long cpuNanos;
        private long maxLag;
        private long allocated;

        Recorder(int capacity) {
            this.samples = new long[capacity];
            this.ends = new long[capacity];
        }

        void record(long nanos, long end) {
            long i = next.getAndIncrement();
            if (i < samples.length) {
                samples[(int) i] = nanos;
                ends[(int) i] = end;
            }
        }

        synchronized void addCheckpoint(long at) {
            checkpoints.add(at);
        }

        void addThreadCpu(String name, long nanos) {
            threadCpu.merge(name, nanos, Long::sum);
        }

        long count() {
            return next.get();
        }

        void addGc(long count, long millis, long cpu) {
            gcCount += count;
            gcMillis += millis;
            cpuNanos += cpu;
        }

        void addAllocated(long bytes) {
            allocated += bytes;
        }

        void addLag(long lag) {
            maxLag = Math.max(maxLag, lag);
        }

        void reset() {
            maxLag = 0;
            next.set(0);
            gcCount = 0;
            gcMillis = 0;
            cpuNanos = 0;
            allocated = 0;
            synchronized (this) {
                checkpoints.clear();
            }
            threadCpu.clear();
        }

        Result result(Kind kind, int appenders, double seconds) {
            long count = next.get();
            int kept = (int) Math.min(count, samples.length);
            List<Phase> phases = phases(kept);
            Arrays.sort(samples, 0, kept);
            return new Result(kind, appenders, count, seconds, percentile(samples, kept, 0.50),
                    percentile(samples, kept, 0.99), percentile(samples, kept, 0.999),
                    kept == 0 ? 0 : samples[kept - 1], kept, gcCount, gcMillis, cpuNanos, maxLag, allocated,
                    Map.copyOf(threadCpu), phases);
        }

        /** Splits the first {@code kept} latencies by how long after the previous checkpoint each append returned. */
        private synchronized List<Phase> phases(int kept) {
            if (checkpoints.isEmpty()) {
                return List.of();
            }
            long[] cps = checkpoints.stream().mapToLong(Long::longValue).sorted().toArray();
            byte[] bucket = new byte[kept];
            int[] sizes = new int[PHASES];
            for (int i = 0; i < kept; i++) {
                int at = Arrays.binarySearch(cps, ends[i]);
                int previous = at >= 0 ? at : -at - 2;
                if (previous < 0) {
                    bucket[i] = -1;
                    continue;
                }
                long after = (ends[i] - cps[previous]) / 1_000_000 / PHASE_MILLIS;
                bucket[i] = (byte) Math.min(PHASES - 1, after);
                sizes[bucket[i]]++;
            }
            List<Phase> out = new ArrayList<>(PHASES);
            for (int b = 0; b < PHASES; b++) {
                long[] l = new long[sizes[b]];
                int n = 0;
                for (int i = 0; i < kept; i++) {
                    if (bucket[i] == b) {
                        l[n++] = samples[i];
                    }
                }
                Arrays.sort(l);
                out.add(new Phase(b * PHASE_MILLIS, b == PHASES - 1 ? Long.MAX_VALUE : (b + 1) * PHASE_MILLIS, n,
                        percentile(l, n, 0.50), percentile(l, n, 0.99), n == 0 ? 0 : l[n - 1]));
            }
            return out;
        }

        private static long percentile(long[] sorted, int kept, double q) {
            if (kept == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(q * kept);
            return sorted[Math.max(0, rank - 1)];
        }
    }

    /** The results as a Markdown table, with the ledger/raw ratio per appender count. */
    static String table(List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append("| appenders | target | appends/s | p50 ms | p99 ms | p99.9 ms | max ms | CPU µs/append | alloc B/append"
                + " | GCs (ms) | not in a checkpoint at the end | ledger/raw |\n");
        out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            String ratio = "";
            if (r.kind() == Kind.LEDGER) {
                ratio = results.stream()
                        .filter(b -> b.kind() == Kind.RAW && b.appenders() == r.appenders())
                        .findFirst()
                        .map(b -> String.format(Locale.ROOT, "%.2f", r.perSecond() / b.perSecond()))
                        .orElse("");
            }
            String lag = r.kind() == Kind.RAW ? "" : String.format(Locale.ROOT, "%,d (%.1f s)", r.uncheckpointed(),
                    r.uncheckpointed() / Math.max(1, r.perSecond()));
            out.append(String.format(Locale.ROOT, "| %,d | %s | %,.0f | %.3f | %.3f | %.3f | %.1f | %.2f | %,.0f | %d (%d) | %s | %s |%n",
                    r.appenders(), r.kind().name().toLowerCase(Locale.ROOT), r.perSecond(), ms(r.p50Nanos()),
                    ms(r.p99Nanos()), ms(r.p999Nanos()), ms(r.maxNanos()), r.cpuMicrosPerAppend(),
                    r.allocatedBytesPerAppend(), r.gcCount(),
                    r.gcMillis(), lag, ratio));
        }
        return out.toString();
    }

    /**
     * The ledger's latencies by phase before the next checkpoint, and the CPU of the ledger's own
     * threads per append, as Markdown.
     */
    static String phaseTable(List<Result> results) {
        StringBuilder out = new StringBuilder();
        for (Result r : results) {
            if (r.kind() != Kind.LEDGER) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "ledger, %,d appenders: CPU µs/append of its threads:", r.appenders()));
            r.threadCpuNanos().keySet().stream().sorted().forEach(name -> out.append(String.format(Locale.ROOT,
                    " %s %.2f", name, r.threadCpuMicrosPerAppend(name))));
            out.append(String.format(Locale.ROOT, "%n%n| returned after the previous checkpoint | appends | p50 ms | p99 ms"
                    + " | max ms |%n|---|---:|---:|---:|---:|%n"));
            for (Phase p : r.phases()) {
                String range = p.toMillis() == Long.MAX_VALUE ? "≥ " + p.fromMillis() + " ms"
                        : p.fromMillis() + "–" + p.toMillis() + " ms";
                out.append(String.format(Locale.ROOT, "| %s | %,d | %.3f | %.3f | %.1f |%n", range, p.count(),
                        ms(p.p50Nanos()), ms(p.p99Nanos()), ms(p.maxNanos())));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static long[] gc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, b.getCollectionCount());
            millis += Math.max(0, b.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /**
     * Heap allocated by every thread so far (virtual threads' allocations count on their carriers);
     * -1 if the JVM cannot tell.
     */
    private static long allocatedBytes() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()
                ? t.getTotalThreadAllocatedBytes() : -1;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** Deletes the big files (the raw log, WAL segments) now; they are few, so this costs the next window nothing. */
    private static void deleteLargeFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (Files.size(p) >= 1 << 20) {
                    Files.delete(p);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
