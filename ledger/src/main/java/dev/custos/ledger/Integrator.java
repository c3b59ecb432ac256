package dev.custos.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * The integrate phase: turns sequenced entries into entry bundles and hash tiles on disk, each
 * written durably (temporary file, force, rename, directory force) before {@link #integrate}
 * returns. Confined to the publishing thread.
 */
final class Integrator {

    private static final int WRITERS = 8;

    private final Path dir;
    private final TreeEdge edge;
    private final List<byte[]> bundle;
    private final List<String> filledTiles = new ArrayList<>();
    private boolean broken;

    private Integrator(Path dir, TreeEdge edge, List<byte[]> bundle) {
        this.dir = dir;
        this.edge = edge;
        this.bundle = new ArrayList<>(bundle);
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

    /**
     * Adds the entries (with their leaf hashes) after the current size and writes every changed
     * bundle and tile durably; returns only when all are forced and their directories synced. On
     * failure the integrator is unusable; the ledger MUST stop.
     */
    void integrate(Handoff entries) throws LedgerException {
        if (broken) {
            throw new LedgerException("integration failed earlier; reopen the ledger");
        }
        broken = true;
        try (Writer writer = new Writer()) {
            long oldSize = edge.size();
            entries.forEach((entry, leaf) -> {
                bundle.add(entry);
                edge.append(leaf, (level, index, hashes) -> {
                    String path = TilePaths.tile(level, index, TilePaths.WIDTH);
                    writer.submit(path, tileBytes(hashes));
                    filledTiles.add(path);
                });
                if (bundle.size() == TilePaths.WIDTH) {
                    String path = TilePaths.entries(edge.size() / TilePaths.WIDTH - 1, TilePaths.WIDTH);
                    writer.submit(path, bundleBytes(bundle));
                    filledTiles.add(path);
                    bundle.clear();
                }
            });
            long newSize = edge.size();
            if (!bundle.isEmpty() && newSize != oldSize) {
                writer.submit(TilePaths.entries(newSize / TilePaths.WIDTH, bundle.size()), bundleBytes(bundle));
            }
            for (int level = 0; level < edge.levels(); level++) {
                List<Hash> row = edge.partialRow(level);
                long oldCount = TilePaths.hashesAtLevel(level, oldSize);
                long newCount = TilePaths.hashesAtLevel(level, newSize);
                if (!row.isEmpty() && oldCount != newCount) {
                    writer.submit(TilePaths.tile(level, newCount >>> TilePaths.HEIGHT, row.size()), tileBytes(row));
                }
            }
            writer.finish();
            broken = false;
        }
    }

    /**
     * Deletes the partial versions of tiles and bundles that have become full. Callers MUST call it
     * only after a checkpoint covering those full tiles is durable; readers of older checkpoints
     * fall back to the full tile.
     */
    void deleteObsoletePartials() {
        for (String full : filledTiles) {
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
    }

    /**
     * Writes files durably as they are produced, up to {@value #WRITERS} at a time and a bounded
     * number in flight (so memory stays bounded). The files are independent, and concurrent fsyncs
     * share journal commits, which matters with hundreds of tiles per run.
     */
    private final class Writer implements AutoCloseable {
        private final ExecutorService pool = Executors.newFixedThreadPool(WRITERS,
                Thread.ofPlatform().name("custos-ledger-tile-writer").daemon().factory());
        private final Semaphore inFlight = new Semaphore(4 * WRITERS);
        private final List<Future<?>> pending = new ArrayList<>();
        private final List<String> paths = new ArrayList<>();
        private final Set<Path> dirsToSync = new HashSet<>();
        private final Set<Path> knownDirs = new HashSet<>();

        void submit(String path, byte[] data) throws LedgerException {
            Path target = dir.resolve(path);
            Path parent = target.getParent();
            try {
                if (knownDirs.add(parent)) {
                    DurableFiles.createDirectories(parent, dirsToSync);
                    dirsToSync.add(parent);
                }
                inFlight.acquire();
            } catch (IOException e) {
                throw new LedgerException("cannot create " + parent + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LedgerException("interrupted while writing tiles in " + dir);
            }
            paths.add(path);
            pending.add(pool.submit(() -> {
                try {
                    DurableFiles.writeAndRename(target.resolveSibling(target.getFileName() + ".tmp"), target, data);
                    return null;
                } finally {
                    inFlight.release();
                }
            }));
        }

        void finish() throws LedgerException {
            for (int i = 0; i < pending.size(); i++) {
                try {
                    pending.get(i).get();
                } catch (ExecutionException e) {
                    throw new LedgerException("cannot write " + paths.get(i) + " in " + dir + ": " + e.getCause(),
                            e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LedgerException("interrupted while writing tiles in " + dir);
                }
            }
            try {
                DurableFiles.syncDirectories(dirsToSync);
            } catch (IOException e) {
                throw new LedgerException("cannot sync tile directories in " + dir + ": " + e, e);
            }
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    static byte[] tileBytes(List<Hash> hashes) {
        byte[] out = new byte[hashes.size() * Hash.SIZE];
        for (int i = 0; i < hashes.size(); i++) {
            hashes.get(i).copyTo(out, i * Hash.SIZE);
        }
        return out;
    }

    static byte[] bundleBytes(List<byte[]> entries) {
        int n = 0;
        for (byte[] e : entries) {
            n += 2 + e.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] e : entries) {
            b.putShort((short) e.length).put(e);
        }
        return b.array();
    }
}
