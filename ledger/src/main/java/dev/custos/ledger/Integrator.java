package dev.custos.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * The integrate phase: turns sequenced entries into entry bundles and hash tiles on disk.
 *
 * <p>{@link #append} adds entries to the tree and starts writing every bundle and tile they
 * complete (temporary file, force, rename) on a small pool, without waiting; {@link #flush} writes
 * the partial bundle and tiles at the current size, waits for every write and syncs every directory
 * touched, so that afterwards everything a checkpoint at {@link #size()} covers is durable. The
 * ledger calls {@code append} continuously as entries become durable (so the files are written at
 * an even pace, not in a burst once per publish) and {@code flush} just before it signs a checkpoint.
 * Not thread-safe: callers serialize all calls (the ledger's publish lock).
 */
final class Integrator implements AutoCloseable {

    private static final int WRITERS = 8;

    private final Path dir;
    private final TreeEdge edge;
    private byte[] bundle = new byte[64 << 10];
    private int bundleBytes;
    private int bundleCount;
    private final List<String> filledTiles = new ArrayList<>();
    /**
     * Full-tile paths whose partial versions may be on disk: the edge's tiles at open and every
     * partial written since. Until the first {@link #deleteObsoletePartials} every filled tile is
     * checked, since a crash may have left partials of tiles integrated again at open.
     */
    private final Set<String> partialsOnDisk = new HashSet<>();
    private boolean checkEveryFilledTile = true;
    private final ExecutorService pool = Executors.newFixedThreadPool(WRITERS,
            Thread.ofPlatform().name("custos-ledger-tile-writer").daemon().factory());
    private final Semaphore inFlight = new Semaphore(4 * WRITERS);
    private final ArrayDeque<Write> pending = new ArrayDeque<>();
    private final Set<Path> dirsToSync = new HashSet<>();
    private final Set<Path> knownDirs = new HashSet<>();
    private long flushedSize;
    private boolean broken;
    /** What broke the integrator first, told again by every later refusal; null if nothing was thrown. */
    private Exception brokenBy;

    private record Write(String path, Future<?> done) {}

    /** Writes each tile the edge completes (one sink for all leaves, not a new lambda per leaf). */
    private final TreeEdge.FullTileSink writeFullTile = (level, index, hashes) -> {
        String path = TilePaths.tile(level, index, TilePaths.WIDTH);
        submit(path, tileBytes(hashes));
        filledTiles.add(path);
    };

    private Integrator(Path dir, TreeEdge edge, List<byte[]> bundle) {
        this.dir = dir;
        this.edge = edge;
        for (byte[] e : bundle) {
            addToBundle(e, 0, e.length);
        }
        this.flushedSize = edge.size();
        long size = edge.size();
        if (size % TilePaths.WIDTH != 0) {
            partialsOnDisk.add(TilePaths.entries(size / TilePaths.WIDTH, TilePaths.WIDTH));
        }
        for (int level = 0; TilePaths.hashesAtLevel(level, size) > 0; level++) {
            long count = TilePaths.hashesAtLevel(level, size);
            if ((count & (TilePaths.WIDTH - 1)) != 0) {
                partialsOnDisk.add(TilePaths.tile(level, count >>> TilePaths.HEIGHT, TilePaths.WIDTH));
            }
        }
    }

    /**
     * Restores the integrator at {@code size} from the tiles and bundle on disk and checks them
     * against {@code expectedRoot}.
     *
     * @throws LedgerException if tiles are missing or do not hash to the expected root
     */
    static Integrator restore(Path dir, long size, Hash expectedRoot) throws LedgerException {
        TileReader reader = TileReader.ofDirectory(dir);
        List<List<Hash>> rows = new ArrayList<>();
        for (int level = 0; TilePaths.hashesAtLevel(level, size) > 0; level++) {
            long count = TilePaths.hashesAtLevel(level, size);
            int width = (int) (count & (TilePaths.WIDTH - 1));
            rows.add(width == 0 ? List.of() : reader.tile(level, count >>> TilePaths.HEIGHT, size));
        }
        List<byte[]> bundle = List.of();
        if (size % TilePaths.WIDTH != 0) {
            bundle = reader.entryBundle(size / TilePaths.WIDTH, size);
            for (int i = 0; i < bundle.size(); i++) {
                if (!Merkle.leafHash(bundle.get(i)).equals(rows.get(0).get(i))) {
                    throw new LedgerException("entry " + (size - bundle.size() + i) + " in " + dir
                            + " does not match its tile; refusing to open (run the verifier)");
                }
            }
        }
        TreeEdge edge = new TreeEdge(size, rows);
        if (!edge.root().equals(expectedRoot)) {
            throw new LedgerException("tiles in " + dir + " do not hash to the checkpoint root at size " + size
                    + "; refusing to open (run the verifier)");
        }
        return new Integrator(dir, edge, bundle);
    }

    static Integrator empty(Path dir) {
        return new Integrator(dir, new TreeEdge(), List.of());
    }

    long size() {
        return edge.size();
    }

    Hash root() {
        return edge.root();
    }

    /** {@link #append} then {@link #flush}: returns when everything at the new size is durable. */
    void integrate(Handoff entries) throws LedgerException {
        append(entries);
        flush();
    }

    /**
     * Adds the entries (with their leaf hashes) after the current size and starts writing every
     * bundle and tile they complete; waits only when too many writes are in flight. Nothing is
     * durable until {@link #flush} returns. On failure the integrator is unusable; the ledger MUST stop.
     */
    void append(Handoff entries) throws LedgerException {
        guarded(() -> appendUnguarded(entries));
    }

    private void appendUnguarded(Handoff entries) throws LedgerException {
        entries.forEach((chunk, offset, length, leaf) -> {
            addToBundle(chunk, offset, length);
            edge.append(leaf, writeFullTile);
            if (bundleCount == TilePaths.WIDTH) {
                String path = TilePaths.entries(edge.size() / TilePaths.WIDTH - 1, TilePaths.WIDTH);
                submit(path, Arrays.copyOf(bundle, bundleBytes));
                filledTiles.add(path);
                bundleBytes = 0;
                bundleCount = 0;
            }
        });
    }

    /**
     * Writes the partial bundle and partial tiles at the current size, waits for every write
     * started since the last flush, and syncs every directory they touched. When it returns, every
     * bundle and tile of the tree at {@link #size()} is durable, so a checkpoint at that size may be
     * written. On failure the integrator is unusable; the ledger MUST stop.
     */
    void flush() throws LedgerException {
        guarded(this::flushUnguarded);
    }

    private void flushUnguarded() throws LedgerException {
        long newSize = edge.size();
        if (newSize != flushedSize) {
            if (bundleCount > 0) {
                submit(TilePaths.entries(newSize / TilePaths.WIDTH, bundleCount), Arrays.copyOf(bundle, bundleBytes));
                partialsOnDisk.add(TilePaths.entries(newSize / TilePaths.WIDTH, TilePaths.WIDTH));
            }
            for (int level = 0; level < edge.levels(); level++) {
                List<Hash> row = edge.partialRow(level);
                long oldCount = TilePaths.hashesAtLevel(level, flushedSize);
                long newCount = TilePaths.hashesAtLevel(level, newSize);
                if (!row.isEmpty() && oldCount != newCount) {
                    submit(TilePaths.tile(level, newCount >>> TilePaths.HEIGHT, row.size()), tileBytes(row));
                    partialsOnDisk.add(TilePaths.tile(level, newCount >>> TilePaths.HEIGHT, TilePaths.WIDTH));
                }
            }
        }
        while (!pending.isEmpty()) {
            await(pending.poll());
        }
        try {
            DurableFiles.syncDirectories(dirsToSync);
        } catch (IOException e) {
            throw new LedgerException("cannot sync tile directories in " + dir + ": " + e, e);
        }
        knownDirs.clear();
        flushedSize = newSize;
    }

    /**
     * Deletes the partial versions of tiles and bundles that have become full. Callers MUST call it
     * only after a checkpoint covering those full tiles is durable; readers of older checkpoints
     * fall back to the full tile.
     */
    void deleteObsoletePartials() {
        for (String full : filledTiles) {
            // Looking only where a partial was written saves a stat per full tile (thousands a second).
            if (!partialsOnDisk.remove(full) && !checkEveryFilledTile) {
                continue;
            }
            Path partials = dir.resolve(full + ".p");
            if (Files.isDirectory(partials)) {
                try (Stream<Path> s = Files.walk(partials)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    System.getLogger(Integrator.class.getName()).log(System.Logger.Level.DEBUG,
                            "could not delete obsolete partial tiles {0}: {1}", partials, e);
                }
            }
        }
        filledTiles.clear();
        checkEveryFilledTile = false;
    }

    /** Stops the writers after the writes in flight. */
    @Override
    public void close() {
        pool.close();
    }

    private interface Step {
        void run() throws LedgerException;
    }

    /**
     * Runs {@code step} on an integrator that is not broken; if the step does not return, the
     * integrator stays broken, and what was thrown is told again by every later refusal.
     */
    private void guarded(Step step) throws LedgerException {
        checkNotBroken();
        broken = true;
        try {
            step.run();
        } catch (LedgerException | RuntimeException e) {
            brokenBy = e;
            throw e;
        }
        broken = false;
    }

    private void checkNotBroken() throws LedgerException {
        if (broken) {
            throw brokenBy == null ? new LedgerException("integration failed earlier; reopen the ledger")
                    : new LedgerException("integration failed earlier (" + brokenBy.getMessage() + "); reopen the ledger", brokenBy);
        }
    }

    private void addToBundle(byte[] src, int offset, int length) {
        if (bundle.length - bundleBytes < 2 + length) {
            bundle = Arrays.copyOf(bundle, Math.max(2 * bundle.length, bundleBytes + 2 + length));
        }
        bundle[bundleBytes] = (byte) (length >>> 8);
        bundle[bundleBytes + 1] = (byte) length;
        System.arraycopy(src, offset, bundle, bundleBytes + 2, length);
        bundleBytes += 2 + length;
        bundleCount++;
    }

    /**
     * Starts writing one file durably, up to {@value #WRITERS} at a time and a bounded number in
     * flight (so memory stays bounded). The files are independent, and concurrent fsyncs share
     * journal commits. The file's directory is synced at the next {@link #flush}.
     */
    private void submit(String path, byte[] data) throws LedgerException {
        Path target = dir.resolve(path);
        Path parent = target.getParent();
        try {
            if (knownDirs.add(parent)) {
                DurableFiles.createDirectories(parent, dirsToSync);
            }
            dirsToSync.add(parent);
            inFlight.acquire();
        } catch (IOException e) {
            throw new LedgerException("cannot create " + parent + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("interrupted while writing tiles in " + dir);
        }
        // Writes finish roughly in order: reap the finished ones so a failure surfaces early.
        while (!pending.isEmpty() && pending.peek().done().isDone()) {
            await(pending.poll());
        }
        pending.add(new Write(path, pool.submit(() -> {
            try {
                DurableFiles.writeAndRename(target.resolveSibling(target.getFileName() + ".tmp"), target, data);
                return null;
            } finally {
                inFlight.release();
            }
        })));
    }

    private void await(Write w) throws LedgerException {
        try {
            w.done().get();
        } catch (ExecutionException e) {
            throw new LedgerException("cannot write " + w.path() + " in " + dir + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("interrupted while writing tiles in " + dir);
        }
    }

    static byte[] tileBytes(List<Hash> hashes) {
        byte[] out = new byte[hashes.size() * Hash.SIZE];
        for (int i = 0; i < hashes.size(); i++) {
            hashes.get(i).copyTo(out, i * Hash.SIZE);
        }
        return out;
    }
}
