package dev.custos.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongUnaryOperator;

/**
 * The load harness for masked reads over HTTP: closed-loop clients on virtual threads, each sending
 * its next request as soon as the previous answer arrived, against one running Custos (embedded
 * PostgreSQL, see {@link ReadWorld}), alternating between the masked read of a ticket's customer
 * ({@code GET /v1/customers/{id}?ticket=T} with a support-l1 session: session check, decision,
 * quota, durable ledger append, vault decrypt, masks, JSON) and the hello-world baseline of the same
 * server ({@code GET /healthz}, a trivial JSON handler behind the same middleware).
 *
 * <p>With {@code --rate R} the clients run an open loop instead: together they start R requests a second
 * on a fixed schedule over the same connections, and latency counts from when each request was due
 * (see {@link #clientLoop}), which is how a latency at a given load is measured; closed loops measure
 * the most a server does, and their latency is only the queue (64 clients / throughput).
 *
 * <p>Per round each target gets a warm-up and a measured window; rounds alternate which target goes
 * first, so drift in the machine's load hits both. Only requests that both start and end inside the
 * window count; each one's latency is from the call to the complete body. Any answer but 200 stops
 * the run with the status and the body. One HTTP/1.1 client is shared by all clients, so it holds one
 * connection per request in flight; the table reports the most connections to the server seen
 * established during each target's windows.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.custos.bench.ReadLoad \
 *     --connections 64 --warmup 10 --seconds 30 --rounds 2 --customers 1000
 * </pre>
 */
public final class ReadLoad {

    /** What is measured. */
    enum Target {
        HELLO("hello-world"), READ("masked-read");

        final String label;

        Target(String label) {
            this.label = label;
        }
    }

    /**
     * How a run goes; validated, never clamped.
     *
     * @param connections closed-loop clients, each with at most one request in flight
     * @param agents support-l1 members of staff the clients act as (client {@code c} is agent {@code c % agents})
     * @param warmup un-measured time before each measured window
     * @param prewarm un-measured time before the first round, both targets in turn (10 s slices), so that the JIT
     *     has compiled both paths before anything is measured; the JIT's time in each window is reported
     * @param window the measured time per round and target
     * @param rounds measured windows per target (alternating the order)
     * @param customers customers, each with one open ticket assigned to agent {@code i % agents}
     * @param dir where the temporary data directory goes
     * @param maxSamples latencies kept per target (requests beyond it are counted, not kept)
     * @param rate 0 for closed loops; otherwise an open loop: the clients together start this many
     *     requests a second on a fixed schedule, whatever the answers' pace
     * @param trace null, or a file that receives one line per measured masked read: when it was due
     *     (milliseconds since the epoch) and its latency (microseconds), to line slow requests up with
     *     GC logs and JFR recordings
     */
    record Config(int connections, int agents, Duration warmup, Duration prewarm, Duration window, int rounds,
                  int customers, Path dir, int maxSamples, double rate, Path trace) {
        Config {
            if (!(rate >= 0) || rate > 1_000_000) {
                throw new IllegalArgumentException("--rate must be 0 (closed loop) to 1000000 requests/s, got " + rate);
            }
            if (connections < 1 || connections > 10_000) {
                throw new IllegalArgumentException("--connections must be 1 to 10000, got " + connections);
            }
            if (agents < 1 || agents > connections) {
                throw new IllegalArgumentException("--agents must be 1 to --connections (" + connections + "), got " + agents);
            }
            if (warmup.isNegative()) {
                throw new IllegalArgumentException("--warmup must not be negative, got " + warmup);
            }
            if (prewarm.isNegative()) {
                throw new IllegalArgumentException("--prewarm must not be negative, got " + prewarm);
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("--seconds must be positive, got " + window);
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1, got " + rounds);
            }
            if (customers < agents || customers > 10_000_000) {
                throw new IllegalArgumentException("--customers must be --agents (" + agents + ") to 10000000, got "
                        + customers);
            }
            if (maxSamples < 1) {
                throw new IllegalArgumentException("--max-samples must be positive, got " + maxSamples);
            }
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
            int connections = 64;
            Integer agents = null;
            Duration warmup = Duration.ofSeconds(10);
            Duration prewarm = Duration.ZERO;
            Duration window = Duration.ofSeconds(30);
            int rounds = 2;
            int customers = 1000;
            Path dir = Path.of(System.getProperty("java.io.tmpdir"));
            int maxSamples = 16_000_000;
            double rate = 0;
            Path trace = null;
            for (Map.Entry<String, String> e : given.entrySet()) {
                String v = e.getValue();
                try {
                    switch (e.getKey()) {
                        case "connections" -> connections = Integer.parseInt(v);
                        case "agents" -> agents = Integer.parseInt(v);
                        case "warmup" -> warmup = seconds(v);
                        case "prewarm" -> prewarm = seconds(v);
                        case "seconds" -> window = seconds(v);
                        case "rounds" -> rounds = Integer.parseInt(v);
                        case "customers" -> customers = Integer.parseInt(v);
                        case "dir" -> dir = Path.of(v);
                        case "max-samples" -> maxSamples = Integer.parseInt(v);
                        case "rate" -> rate = Double.parseDouble(v);
                        case "trace" -> trace = Path.of(v);
                        default -> throw new IllegalArgumentException("unknown option --" + e.getKey());
                    }
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("--" + e.getKey() + ": not a number: " + v, ex);
                }
            }
            return new Config(connections, agents == null ? connections : agents, warmup, prewarm, window, rounds,
                    customers, dir, maxSamples, rate, trace);
        }

        private static Duration seconds(String v) {
            return Duration.ofNanos(Math.round(Double.parseDouble(v) * 1e9));
        }
    }

    /**
     * The figures for one target over all its rounds.
     *
     * @param requests requests that started and ended inside the measured windows
     * @param seconds total length of the measured windows
     * @param p50Nanos median latency; {@code p99Nanos}, {@code p999Nanos} and {@code maxNanos} likewise
     * @param samples latencies the percentiles are computed from (fewer than requests if {@code maxSamples} was reached)
     * @param cpuNanos CPU time of the whole process (server, database driver and clients) during the windows;
     *     the embedded PostgreSQL runs in other processes and is not included
     * @param childCpuNanos CPU time of the embedded PostgreSQL (postmaster and backends) during the windows,
     *     from {@code /proc} (0 where it cannot be read)
     * @param allocatedBytes heap bytes allocated by the whole process (server and clients) during the windows,
     *     from {@code ThreadMXBean.getTotalThreadAllocatedBytes} (virtual threads allocate on their carriers);
     *     unlike CPU time it does not depend on what else runs on the machine
     * @param gcCount collections during the measured windows, {@code gcMillis} their total reported time
     * @param jitMillis time the JIT compilers spent during the measured windows ({@code CompilationMXBean}): their
     *     CPU, which a run that has not reached its steady state charges to the requests
     * @param connections the most TCP connections to the server seen established during a window (-1: unknown)
     */
    record Result(Target target, long requests, double seconds, long p50Nanos, long p99Nanos, long p999Nanos,
                  long maxNanos, long samples, long cpuNanos, long childCpuNanos, long allocatedBytes, long gcCount, long gcMillis,
                  long jitMillis, int connections) {
        double perSecond() {
            return requests / seconds;
        }

        double cpuMicrosPerRequest() {
            return requests == 0 ? 0 : cpuNanos / 1e3 / requests;
        }

        double childCpuMicrosPerRequest() {
            return requests == 0 ? 0 : childCpuNanos / 1e3 / requests;
        }

        double jitMicrosPerRequest() {
            return requests == 0 ? 0 : jitMillis * 1e3 / requests;
        }

        double allocatedKilobytesPerRequest() {
            return requests == 0 ? 0 : allocatedBytes / 1e3 / requests;
        }
    }

    private final Config config;
    private final PrintStream log;

    ReadLoad(Config config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ReadLoad: " + e.getMessage());
            System.err.println("options: --connections 64 --agents <connections> --warmup 10 --prewarm 0 --seconds 30 --rounds 2"
                    + " --customers 1000 --dir <tmp> --max-samples 16000000 --rate 0 (requests/s of an open loop; 0: closed)"
                    + " --trace <file of masked reads: due epoch ms, latency µs>");
            System.exit(2);
            return;
        }
        System.out.printf(Locale.ROOT, "ReadLoad: %s%n  java %s (%s), %d CPUs, max heap %d MiB, load average %s%n",
                config, Runtime.version(), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, loadAverage());
        List<Result> results = new ReadLoad(config, System.out).run();
        System.out.println();
        System.out.print(table(results));
        System.out.print(config.rate() > 0 ? openLoopVerdict(results, config.rate()) : verdict(results));
    }

    /** Sets up the world, runs every round and returns one result per target (hello-world first). */
    List<Result> run() throws Exception {
        log.println("setting up:");
        try (ReadWorld world = ReadWorld.start(config.dir(), config.agents(), config.customers(), log);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                     .executor(Executors.newVirtualThreadPerTaskExecutor()).build()) {
            Map<Target, Recorder> recorders = new EnumMap<>(Target.class);
            for (Target t : Target.values()) {
                recorders.put(t, new Recorder(config.maxSamples(), t == Target.READ && config.trace() != null));
            }
            // One un-measured pass over every agent's first ticket: fail fast on a broken setup.
            for (ReadWorld.Agent a : world.agents()) {
                HttpRequest r = read(world.base(), a, 0);
                check(Target.READ, r, http.send(r, HttpResponse.BodyHandlers.ofString()));
            }
            prewarm(world, http);
            for (int round = 0; round < config.rounds(); round++) {
                List<Target> order = round % 2 == 0 ? List.of(Target.HELLO, Target.READ) : List.of(Target.READ, Target.HELLO);
                for (Target target : order) {
                    Recorder r = recorders.get(target);
                    long before = r.count();
                    String loadBefore = loadAverage();
                    window(target, world, http, r, config.warmup(), config.window());
                    log.printf(Locale.ROOT, "  %-11s round=%d requests/s=%,.0f connections=%d load %s -> %s%n", target.label,
                            round, (r.count() - before) / seconds(config.window()), r.connections, loadBefore, loadAverage());
                }
            }
            if (config.trace() != null) {
                recorders.get(Target.READ).writeTrace(config.trace());
            }
            List<Result> results = new ArrayList<>();
            for (Target t : Target.values()) {
                results.add(recorders.get(t).result(t, seconds(config.window()) * config.rounds()));
            }
            return results;
        }
    }

    /** {@link Config#prewarm}: both targets in turn, nothing recorded. */
    private void prewarm(ReadWorld world, HttpClient http) throws Exception {
        long left = config.prewarm().toNanos();
        for (int i = 0; left > 0; i++) {
            Duration slice = Duration.ofNanos(Math.min(left, Duration.ofSeconds(10).toNanos()));
            Target target = i % 2 == 0 ? Target.HELLO : Target.READ;
            window(target, world, http, new Recorder(1, false), slice, Duration.ZERO);
            left -= slice.toNanos();
        }
        if (config.prewarm().isPositive()) {
            log.printf(Locale.ROOT, "  prewarmed %.1f s, JIT total %,d ms%n", seconds(config.prewarm()), jitMillis());
        }
    }

    /** One warm-up and measured window of every client against {@code target}. */
    private void window(Target target, ReadWorld world, HttpClient http, Recorder recorder, Duration warmup,
                        Duration measured) throws Exception {
        System.gc();
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long measureTo = measureFrom + measured.toNanos();
        AtomicReference<Throwable> error = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(config.connections());
        List<ReadWorld.Agent> agents = world.agents();
        for (int c = 0; c < config.connections(); c++) {
            ReadWorld.Agent agent = agents.get(c % agents.size());
            List<HttpRequest> requests = new ArrayList<>();
            if (target == Target.HELLO) {
                // The same cookie as the reads, so both targets send requests of about the same size.
                requests.add(HttpRequest.newBuilder(world.base().resolve("/healthz")).header("Cookie", agent.cookie())
                        .timeout(Duration.ofSeconds(30)).GET().build());
            } else {
                for (int i = 0; i < agent.tickets().size(); i++) {
                    requests.add(read(world.base(), agent, i));
                }
            }
            // Clients of the same agent start at different tickets.
            int offset = (c / agents.size()) % requests.size();
            LongUnaryOperator schedule = null;
            if (config.rate() > 0) {
                // Client c starts its k-th request at start + (c + k * connections) / rate: together an even
                // schedule of `rate` requests a second.
                double period = config.connections() / config.rate() * 1e9;
                long first = start + Math.round(c / config.rate() * 1e9);
                schedule = k -> first + Math.round(k * period);
            }
            LongUnaryOperator due = schedule;
            threads.add(Thread.ofVirtual().name(target.label + "-" + c).start(
                    () -> clientLoop(target, http, requests, offset, due, measureFrom, measureTo, recorder, error)));
        }
        sleepUntil(measureFrom);
        long[] gcBefore = gc();
        long jitBefore = jitMillis();
        long cpuBefore = processCpuNanos();
        long allocatedBefore = allocatedBytes();
        long childBefore = treeCpuNanos(world.postmaster());
        sleepUntil(measureFrom + measured.toNanos() / 2);
        recorder.connections = Math.max(recorder.connections, establishedTo(world.port()));
        sleepUntil(measureTo);
        long cpuAfter = processCpuNanos();
        long allocatedAfter = allocatedBytes();
        long childAfter = treeCpuNanos(world.postmaster());
        long[] gcAfter = gc();
        long jitAfter = jitMillis();
        for (Thread t : threads) {
            t.join();
        }
        recorder.add(gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1], jitAfter - jitBefore, cpuAfter - cpuBefore,
                childAfter - childBefore, allocatedAfter - allocatedBefore);
        if (error.get() != null) {
            throw new IllegalStateException(target.label + " failed", error.get());
        }
    }

    /**
     * One client. Its k-th request is due at {@code schedule.applyAsLong(k)} (an open loop), or, with
     * no schedule, as soon as the previous answer arrived (a closed loop). Latency counts from when a
     * request was due, not from when it was sent, so in an open loop a client held up by a slow answer
     * counts the wait of every request that had to queue behind it (no coordinated omission). Requests
     * due inside the window and answered inside it count.
     */
    private static void clientLoop(Target target, HttpClient http, List<HttpRequest> requests, int offset,
                                   LongUnaryOperator schedule, long measureFrom, long measureTo, Recorder recorder,
                                   AtomicReference<Throwable> error) {
        int next = offset;
        try {
            for (long k = 0; error.get() == null; k++) {
                long due = schedule == null ? System.nanoTime() : schedule.applyAsLong(k);
                if (due >= measureTo) {
                    return;
                }
                sleepUntil(due);
                HttpRequest request = requests.get(next);
                next = next + 1 == requests.size() ? 0 : next + 1;
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                long t1 = System.nanoTime();
                check(target, request, response);
                if (due >= measureFrom && t1 <= measureTo) {
                    recorder.record(due, t1 - due);
                }
            }
        } catch (Throwable t) {
            error.compareAndSet(null, t);
        }
    }

    private static HttpRequest read(URI base, ReadWorld.Agent agent, int i) {
        return HttpRequest.newBuilder(base.resolve("/v1/customers/" + agent.customers().get(i) + "?ticket="
                        + agent.tickets().get(i)))
                .header("Cookie", agent.cookie()).timeout(Duration.ofSeconds(30)).GET().build();
    }

    /** Fails unless the answer is 200 and, for a read, a masked record (it names its masks). */
    private static void check(Target target, HttpRequest request, HttpResponse<String> response) {
        ReadWorld.expect200(target.label, response);
        if (target == Target.READ && !response.body().contains("\"masks\"")) {
            throw new IllegalStateException(target.label + ": 200 without a masked record for " + request.uri().getPath()
                    + ": " + response.body());
        }
    }

    /** Latencies of one target, kept in a preallocated array (no allocation while measuring). */
    static final class Recorder {
        private final long[] samples;
        /** When each kept sample was due (nanoTime), or null when not tracing. */
        private final long[] dues;
        private final AtomicLong next = new AtomicLong();
        private long gcCount;
        private long gcMillis;
        private long jitMillis;
        private long cpuNanos;
        private long childCpuNanos;
        private long allocatedBytes;
        private int connections = -1;

        Recorder(int capacity, boolean trace) {
            this.samples = new long[capacity];
            this.dues = trace ? new long[capacity] : null;
        }

        void record(long due, long nanos) {
            long i = next.getAndIncrement();
            if (i < samples.length) {
                samples[(int) i] = nanos;
                if (dues != null) {
                    dues[(int) i] = due;
                }
            }
        }

        /** Writes "due epoch ms, latency µs" per kept sample (before {@link #result} sorts them). */
        void writeTrace(Path file) throws IOException {
            long epochMinusNano = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
            int kept = (int) Math.min(next.get(), samples.length);
            StringBuilder out = new StringBuilder(kept * 24);
            for (int i = 0; i < kept; i++) {
                out.append(String.format(Locale.ROOT, "%.3f %d%n", (dues[i] + epochMinusNano) / 1e6, samples[i] / 1000));
            }
            Files.writeString(file, out);
        }

        long count() {
            return next.get();
        }

        void add(long gcs, long gcTime, long jitTime, long cpu, long childCpu, long allocated) {
            gcCount += gcs;
            gcMillis += gcTime;
            jitMillis += Math.max(0, jitTime);
            cpuNanos += cpu;
            childCpuNanos += Math.max(0, childCpu);
            allocatedBytes += Math.max(0, allocated);
        }

        Result result(Target target, double seconds) {
            long count = next.get();
            int kept = (int) Math.min(count, samples.length);
            Arrays.sort(samples, 0, kept);
            return new Result(target, count, seconds, percentile(kept, 0.50), percentile(kept, 0.99),
                    percentile(kept, 0.999), kept == 0 ? 0 : samples[kept - 1], kept, cpuNanos, childCpuNanos, allocatedBytes, gcCount,
                    gcMillis, jitMillis, connections);
        }

        private long percentile(int kept, double q) {
            if (kept == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(q * kept);
            return samples[Math.max(0, rank - 1)];
        }
    }

    /** The results as a Markdown table, with each target's rate relative to hello-world. */
    static String table(List<Result> results) {
        double hello = results.stream().filter(r -> r.target() == Target.HELLO).findFirst()
                .map(Result::perSecond).orElse(Double.NaN);
        StringBuilder out = new StringBuilder();
        out.append("| target | requests/s | p50 ms | p99 ms | p99.9 ms | max ms | CPU µs/request: JVM | … of it JIT"
                + " | … PostgreSQL | KB allocated/request | GCs (ms) | connections | ratio to hello-world |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %.3f | %.3f | %.3f | %.1f | %.1f | %.1f | %.1f | %.1f | %d (%d) | %d | %.2f |%n",
                    r.target().label, r.perSecond(), ms(r.p50Nanos()), ms(r.p99Nanos()), ms(r.p999Nanos()),
                    ms(r.maxNanos()), r.cpuMicrosPerRequest(), r.jitMicrosPerRequest(), r.childCpuMicrosPerRequest(),
                    r.allocatedKilobytesPerRequest(), r.gcCount(), r.gcMillis(), r.connections(), r.perSecond() / hello));
        }
        return out.toString();
    }

    /** The two targets against the figures: masked reads at least 40% of hello-world, p99 at most 10 ms. */
    static String verdict(List<Result> results) {
        Result hello = results.stream().filter(r -> r.target() == Target.HELLO).findFirst().orElseThrow();
        Result read = results.stream().filter(r -> r.target() == Target.READ).findFirst().orElseThrow();
        double ratio = read.perSecond() / hello.perSecond();
        return String.format(Locale.ROOT, "%nmasked-read / hello-world = %.2f (target >= 0.40: %s); masked-read p99 = %.2f ms"
                        + " (target <= 10 ms: %s)%n", ratio, ratio >= 0.40 ? "met" : "NOT met", ms(read.p99Nanos()),
                read.p99Nanos() <= 10_000_000L ? "met" : "NOT met");
    }

    /** With an open loop: the rate each target kept up with, and the masked read's p99 at that offered rate. */
    static String openLoopVerdict(List<Result> results, double rate) {
        Result read = results.stream().filter(r -> r.target() == Target.READ).findFirst().orElseThrow();
        return String.format(Locale.ROOT, "%nopen loop at %,.0f requests/s offered: masked-read served %,.0f/s, p99 = %.2f ms"
                        + " (target <= 10 ms: %s)%n", rate, read.perSecond(), ms(read.p99Nanos()),
                read.p99Nanos() <= 10_000_000L && read.perSecond() >= 0.97 * rate ? "met" : "NOT met");
    }

    /**
     * Established TCP connections whose remote end is {@code port} on this machine (the client sides
     * of connections to the server), from {@code /proc/net/tcp}; -1 where that file does not exist.
     */
    static int establishedTo(int port) {
        int count = 0;
        boolean any = false;
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(file);
            if (!Files.isReadable(p)) {
                continue;
            }
            any = true;
            try {
                for (String line : Files.readAllLines(p)) {
                    String[] f = line.strip().split("\\s+");
                    // sl local_address rem_address st ...; addresses are HEXIP:HEXPORT, state 01 is ESTABLISHED.
                    if (f.length > 3 && f[2].contains(":") && "01".equals(f[3])
                            && Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16) == port) {
                        count++;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
        }
        return any ? count : -1;
    }

    /**
     * CPU time of {@code root} and its descendants (the embedded PostgreSQL's postmaster and
     * backends), from {@code /proc/<pid>/stat} in clock ticks of 10 ms (Linux's USER_HZ); 0 without
     * {@code /proc}. A backend that ended meanwhile takes its CPU time with it.
     */
    static long treeCpuNanos(java.util.Optional<ProcessHandle> root) {
        if (root.isEmpty()) {
            return 0;
        }
        long ticks = 0;
        List<ProcessHandle> tree = new ArrayList<>(root.get().descendants().toList());
        tree.add(root.get());
        for (ProcessHandle p : tree) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
                // The command name may contain spaces; fields after its closing parenthesis are fixed.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            } catch (IOException | RuntimeException e) {
                // The process ended meanwhile, or there is no /proc: count nothing for it.
            }
        }
        return ticks * 10_000_000L;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
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

    private static long allocatedBytes() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                ? t.getTotalThreadAllocatedBytes() : 0;
    }

    /** Total time of the JIT compilers so far, in milliseconds (0 where the JVM does not tell). */
    private static long jitMillis() {
        java.lang.management.CompilationMXBean c = ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
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
}
