package dev.custos.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Measures two properties of the file system under a directory that explain ledger figures: what
 * creating a file costs (the integrator creates two per 256 entries), also right after many files
 * were deleted in the same directory, and how long an
 * {@code fdatasync} of an appended file stalls while a 64 MiB file is removed at once versus cut
 * down 1 MiB at a time (how the ledger removes old WAL segments).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.custos.bench.FsProbe [dir]
 * </pre>
 */
public final class FsProbe {

    private static final int FILES = 2000;
    private static final long BIG = 64L << 20;

    private FsProbe() {}

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")),
                "custos-fs-probe-");
        try {
            createCost(root);
            createCostAfterDeletion(root);
            for (int round = 0; round < 2; round++) {
                removalStall(root, false);
                removalStall(root, true);
            }
        } finally {
            AppendLoad.deleteTree(root);
        }
    }

    private static void createCost(Path root) throws IOException {
        Path dir = Files.createDirectory(root.resolve("create"));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long t = System.nanoTime();
        for (int i = 0; i < FILES; i++) {
            Files.createFile(dir.resolve(Integer.toString(i)));
        }
        System.out.printf(Locale.ROOT, "create: %.1f µs wall, %.1f µs process CPU per new file (%d files)%n",
                (System.nanoTime() - t) / 1e3 / FILES, (os.getProcessCpuTime() - cpu) / 1e3 / FILES, FILES);
    }

    /**
     * What creating a file costs right after many files were deleted nearby: on ext4 without a
     * journal the allocator skips, one buffer lookup each, every free inode of the block group that
     * was freed in the last 60 s (360 s while its inode-table block is dirty). A benchmark that
     * deletes its previous run's tens of thousands of tile files taxes its next run this way.
     */
    private static void createCostAfterDeletion(Path root) throws IOException {
        Path dir = Files.createDirectory(root.resolve("deleted"));
        int deleted = 10 * FILES;
        for (int i = 0; i < deleted; i++) {
            Files.createFile(dir.resolve(Integer.toString(i)));
        }
        for (int i = 0; i < deleted; i++) {
            Files.delete(dir.resolve(Integer.toString(i)));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long t = System.nanoTime();
        for (int i = 0; i < FILES; i++) {
            Files.createFile(dir.resolve("again-" + i));
        }
        System.out.printf(Locale.ROOT, "create after deleting %d files there: %.1f µs wall, %.1f µs process CPU per new"
                + " file (%d files)%n", deleted, (System.nanoTime() - t) / 1e3 / FILES,
                (os.getProcessCpuTime() - cpu) / 1e3 / FILES, FILES);
    }

    /** Appends and fdatasyncs 55 KiB records for a second; halfway, removes a 64 MiB file. */
    private static void removalStall(Path root, boolean inSteps) throws Exception {
        Path big = root.resolve("big");
        try (FileChannel ch = FileChannel.open(big, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long at = 0; at < BIG; at += zeros.capacity()) {
                zeros.clear();
                while (zeros.hasRemaining()) {
                    ch.write(zeros);
                }
            }
            ch.force(true);
        }
        long[] syncs = new long[200_000];
        int[] n = {0};
        Path wal = root.resolve("wal-" + System.nanoTime());
        Thread writer = Thread.ofPlatform().start(() -> {
            try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer record = ByteBuffer.allocateDirect(216 * 256);
                long end = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < end && n[0] < syncs.length) {
                    record.clear();
                    long s = System.nanoTime();
                    while (record.hasRemaining()) {
                        ch.write(record);
                    }
                    ch.force(false);
                    syncs[n[0]++] = System.nanoTime() - s;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(500);
        long s = System.nanoTime();
        if (inSteps) {
            try (FileChannel ch = FileChannel.open(big, StandardOpenOption.WRITE)) {
                for (long size = ch.size(); size > 0; ) {
                    size = Math.max(0, size - (1 << 20));
                    ch.truncate(size);
                    Thread.sleep(2);
                }
            }
        }
        Files.delete(big);
        long removal = System.nanoTime() - s;
        writer.join();
        Files.delete(wal);
        long[] l = Arrays.copyOf(syncs, n[0]);
        Arrays.sort(l);
        System.out.printf(Locale.ROOT, "remove 64 MiB %-18s took %6.1f ms; concurrent fdatasyncs: %d, p50 %.2f ms, max %.1f ms%n",
                inSteps ? "in 1 MiB steps:" : "at once:", removal / 1e6, l.length, l[l.length / 2] / 1e6,
                l[l.length - 1] / 1e6);
    }
}
