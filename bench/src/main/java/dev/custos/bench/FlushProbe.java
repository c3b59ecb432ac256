package dev.custos.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How the write-ahead log's group commit slows down beside the integrator's tile writes, by how
 * many of those run at once: one thread writes a 216,000-byte group (a thousand 200-byte entries
 * as write-ahead records) over a preallocated file and forces it with {@code fdatasync}, as the
 * ledger's sequencer does at 1,024 appenders, while {@code N} writer threads each write files of
 * 30,000 bytes (about a bundle and a level-0 tile averaged) by temporary file, {@code fsync} and
 * rename, as the ledger's tile writers do, up to a file rate shared between them. On a file system
 * without a journal every {@code fsync} ends in a cache flush of the device the log shares.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.custos.bench.FlushProbe [--dir DIR] [--seconds 4]
 *     [--writers 0,8,3,2] [--files-per-second 4000] [--rounds 2]
 * </pre>
 *
 * <p>Prints, per writer count and round, the group commits a second and their latency (p50, p90,
 * p99, max) and the tile files written a second. Writer counts alternate within each round, so a
 * change in the machine's load reaches each of them alike.
 */
public final class FlushProbe {

    private static final int GROUP_BYTES = 216 * 1000;
    private static final long LOG_BYTES = 64L << 20;
    private static final int FILE_BYTES = 30_000;

    private FlushProbe() {}

    record Config(Path dir, int seconds, int[] writers, int filesPerSecond, int rounds) {

        static Config parse(String[] args) {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"));
            int seconds = 4;
            int[] writers = {0, 8, 3, 2};
            int rate = 4000;
            int rounds = 2;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String key = args[i];
                String v = args[i + 1];
                switch (key) {
                    case "--dir" -> dir = Path.of(v);
                    case "--seconds" -> seconds = positive(key, v);
                    case "--writers" -> writers = Arrays.stream(v.split(",")).mapToInt(w -> count(key, w)).toArray();
                    case "--files-per-second" -> rate = positive(key, v);
                    case "--rounds" -> rounds = positive(key, v);
                    default -> throw new IllegalArgumentException("unknown option " + key);
                }
            }
            return new Config(dir, seconds, writers, rate, rounds);
        }

        private static int positive(String name, String v) {
            int n = count(name, v);
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be positive, got " + v);
            }
            return n;
        }

        private static int count(String name, String v) {
            try {
                int n = Integer.parseInt(v.strip());
                if (n < 0 || n > 1_000_000) {
                    throw new IllegalArgumentException(name + " must be 0 to 1000000, got " + v);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": not a number: " + v, e);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("FlushProbe: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path root = Files.createTempDirectory(config.dir(), "custos-flush-probe-");
        try {
            Path log = root.resolve("log");
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
                for (long written = 0; written < LOG_BYTES; written += zeros.capacity()) {
                    zeros.clear();
                    ch.write(zeros);
                }
                ch.force(true);
            }
            System.out.printf(Locale.ROOT, "FlushProbe: %s, %d s per window, tile files at most %d/s, load %s%n%n",
                    root, config.seconds(), config.filesPerSecond(), loadAverage());
            System.out.println("| round | writers | group commits/s | p50 ms | p90 ms | p99 ms | max ms | tile files/s | load |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            int window = 0;
            for (int round = 0; round < config.rounds(); round++) {
                for (int writers : config.writers()) {
                    window(config, log, root.resolve("tiles-" + window++), round, writers);
                }
            }
        } finally {
            AppendLoad.deleteTree(root);
        }
    }

    private static void window(Config config, Path log, Path tiles, int round, int writers) throws Exception {
        Files.createDirectory(tiles);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong files = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Semaphore tokens = new Semaphore(0);
        List<Thread> threads = new ArrayList<>();
        Thread pacer = null;
        if (writers > 0) {
            int perTick = Math.max(1, config.filesPerSecond() / 100);
            pacer = Thread.ofPlatform().name("flush-probe-pacer").start(() -> {
                while (!stop.get()) {
                    tokens.release(perTick);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        for (int w = 0; w < writers; w++) {
            int id = w;
            threads.add(Thread.ofPlatform().name("flush-probe-writer").start(() -> {
                byte[] data = new byte[FILE_BYTES];
                try {
                    for (int n = 0; !stop.get(); ) {
                        if (!tokens.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                        Path target = tiles.resolve(id + "-" + n++);
                        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
                        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                            ByteBuffer buf = ByteBuffer.wrap(data);
                            while (buf.hasRemaining()) {
                                ch.write(buf);
                            }
                            ch.force(true);
                        }
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                        files.incrementAndGet();
                    }
                } catch (IOException e) {
                    failure.compareAndSet(null, e);
                } catch (InterruptedException e) {
                    // not interrupted on purpose; stop
                }
            }));
        }
        long[] latencies = new long[1 << 20];
        int count = 0;
        ByteBuffer group = ByteBuffer.allocateDirect(GROUP_BYTES);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.seconds());
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            long position = 0;
            while (System.nanoTime() < end && count < latencies.length) {
                long t = System.nanoTime();
                group.clear();
                if (position + GROUP_BYTES > LOG_BYTES) {
                    position = 0;
                }
                while (group.hasRemaining()) {
                    position += ch.write(group, position);
                }
                ch.force(false);
                latencies[count++] = System.nanoTime() - t;
            }
        } finally {
            // The writers see the flag within 50 ms; interrupting one in a force would close its channel.
            stop.set(true);
            if (pacer != null) {
                pacer.interrupt();
                pacer.join();
            }
            for (Thread thread : threads) {
                thread.join();
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "| %d | %d | %,.0f | %.2f | %.2f | %.2f | %.1f | %,.0f | %s |%n", round, writers,
                count / (double) config.seconds(), ms(sorted, 0.5), ms(sorted, 0.9), ms(sorted, 0.99),
                sorted[count - 1] / 1e6, files.get() / (double) config.seconds(), loadAverage());
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
