package dev.custos.ledger;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An fsck for a tlog-tiles log: recomputes every leaf hash from the entry bundles, rebuilds every
 * hash tile and compares it with the stored one, checks the checkpoint's signature and root, and
 * optionally that the log extends a trusted older checkpoint.
 *
 * <p>Security guarantees: {@link VerifyResult.Clean} MUST be returned only if every byte of every
 * entry bundle and hash tile covered by the checkpoint is what the entries imply, the checkpoint is
 * signed by the given key and its root is the root of those entries, and (if given) the trusted
 * checkpoint's tree is a prefix of it. Otherwise the first problem is returned with the smallest
 * leaf index it affects. I/O errors of the source are thrown, never reported as a verdict.
 */
public final class Verifier {

    /** Receives progress, for example to draw a progress bar. */
    @FunctionalInterface
    public interface Progress {
        /** Called after each entry bundle with the number of leaves verified so far and the total. */
        void verified(long leaves, long total);
    }

    private final TileReader reader;
    private final long size;
    private final TreeEdge edge = new TreeEdge();

    private Verifier(TileReader reader, long size) {
        this.reader = reader;
        this.size = size;
    }

    /** Verifies the log against its own signed checkpoint. */
    public static VerifyResult verify(TileReader reader, NoteVerifier key) throws LedgerException {
        return verify(reader, key, Optional.empty(), (done, total) -> {});
    }

    /**
     * Verifies the log and, if {@code trusted} is present, that it extends that checkpoint (which
     * the caller has already checked the signature of).
     *
     * @throws LedgerException if the source cannot be read (not for missing or bad data, which are verdicts)
     */
    public static VerifyResult verify(TileReader reader, NoteVerifier key, Optional<Checkpoint> trusted,
                                      Progress progress) throws LedgerException {
        Optional<byte[]> raw = reader.checkpoint();
        if (raw.isEmpty()) {
            return failure(VerifyResult.Problem.CHECKPOINT_MISSING, null, TilePaths.CHECKPOINT, "no checkpoint", null, null);
        }
        Note note;
        switch (Note.parse(raw.get())) {
            case Parsed.Ok<Note> ok -> note = ok.value();
            case Parsed.Invalid<Note> bad -> {
                return failure(VerifyResult.Problem.CHECKPOINT_MALFORMED, null, TilePaths.CHECKPOINT, bad.toString(), null, null);
            }
        }
        if (!note.isSignedBy(key)) {
            return failure(VerifyResult.Problem.CHECKPOINT_SIGNATURE, null, TilePaths.CHECKPOINT,
                    "no valid signature by " + key.encoded(), null, null);
        }
        Checkpoint cp;
        switch (Checkpoint.parse(note.text())) {
            case Parsed.Ok<Checkpoint> ok -> cp = ok.value();
            case Parsed.Invalid<Checkpoint> bad -> {
                return failure(VerifyResult.Problem.CHECKPOINT_MALFORMED, null, TilePaths.CHECKPOINT, bad.toString(), null, null);
            }
        }
        if (trusted.isPresent()) {
            Checkpoint t = trusted.get();
            if (!t.origin().equals(cp.origin())) {
                return failure(VerifyResult.Problem.INCONSISTENT_WITH_TRUSTED, null, TilePaths.CHECKPOINT,
                        "origin " + cp.origin() + " is not the trusted origin " + t.origin(), null, null);
            }
            if (t.size() > cp.size()) {
                return failure(VerifyResult.Problem.ROLLBACK, cp.size(), TilePaths.CHECKPOINT, "the log has "
                        + cp.size() + " entries but a trusted checkpoint has " + t.size(), null, null);
            }
        }
        Verifier v = new Verifier(reader, cp.size());
        try {
            return v.run(cp, trusted.orElse(null), progress);
        } catch (Found f) {
            return f.failure;
        }
    }

    private VerifyResult run(Checkpoint cp, Checkpoint trusted, Progress progress) throws LedgerException {
        Hash trustedComputed = trusted != null && trusted.size() == 0 ? Merkle.emptyRoot() : null;
        long bundles = (size + TilePaths.WIDTH - 1) / TilePaths.WIDTH;
        // Reading and leaf hashing run ahead on a small pool; comparisons and the tree stay in order here.
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        try (ExecutorService pool = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().name("custos-verifier").daemon().factory())) {
            ArrayDeque<Future<Loaded>> ahead = new ArrayDeque<>();
            long next = 0;
            for (long b = 0; b < bundles; b++) {
                while (next < bundles && next < b + LOOKAHEAD) {
                    long index = next++;
                    ahead.add(pool.submit(() -> load(index)));
                }
                Loaded loaded = take(ahead.poll());
                trustedComputed = check(b, loaded, trusted, trustedComputed);
                progress.verified(edge.size(), size);
            }
            ahead.forEach(f -> f.cancel(true));
        }
        checkUpperTiles();
        Hash root = edge.root();
        if (!root.equals(cp.rootHash())) {
            throw found(VerifyResult.Problem.ROOT_MISMATCH, null, TilePaths.CHECKPOINT,
                    "entries and tiles agree but hash to another root than the checkpoint's", root, cp.rootHash());
        }
        if (trusted != null && !trusted.rootHash().equals(trustedComputed)) {
            throw found(VerifyResult.Problem.INCONSISTENT_WITH_TRUSTED, null, TilePaths.CHECKPOINT,
                    "the first " + trusted.size() + " entries do not hash to the trusted root (the history was rewritten)",
                    trusted.rootHash(), trustedComputed);
        }
        return new VerifyResult.Clean(cp);
    }

    private static final int LOOKAHEAD = 16;

    /** A bundle and its level-0 tile as read, with the leaf hashes of the entries that parsed. */
    private record Loaded(TileReader.Bundle bundle, byte[] tile, Hash[] leaves, Hash tileRoot) {}

    private Loaded load(long b) throws LedgerException {
        int width = TilePaths.width(0, b, size);
        TileReader.Bundle bundle = reader.readBundle(b, width);
        byte[] tile = reader.findTile(0, b, width);
        Hash[] leaves = null;
        Hash tileRoot = null;
        if (bundle != null) {
            leaves = new Hash[bundle.entries().size()];
            for (int j = 0; j < leaves.length; j++) {
                leaves[j] = Merkle.leafHash(bundle.entries().get(j));
            }
            if (leaves.length == TilePaths.WIDTH) {
                tileRoot = Merkle.reduce(Arrays.asList(leaves), 0, leaves.length);
            }
        }
        return new Loaded(bundle, tile, leaves, tileRoot);
    }

    private static Loaded take(Future<Loaded> f) throws LedgerException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LedgerException le) {
                throw le;
            }
            throw new LedgerException("verification failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("interrupted while verifying");
        }
    }

    /** Checks one bundle against its tile and feeds its leaves to the edge; returns the trusted-size root once known. */
    private Hash check(long b, Loaded loaded, Checkpoint trusted, Hash trustedComputed) throws LedgerException {
        int width = TilePaths.width(0, b, size);
        long first = b * TilePaths.WIDTH;
        TileReader.Bundle bundle = loaded.bundle();
        byte[] tile = loaded.tile();
        if (bundle == null) {
            checkUpperTiles();
            throw found(VerifyResult.Problem.ENTRIES_MISSING, first, TilePaths.entries(b, width),
                    "entry bundle is missing", null, null);
        }
        String tilePath = TilePaths.tile(0, b, width);
        if (tile == null || tile.length != width * Hash.SIZE) {
            checkUpperTiles();
            throw found(VerifyResult.Problem.TILE_MISSING, first, tilePath,
                    tile == null ? "tile is missing" : "tile has " + tile.length + " bytes, expected " + width * Hash.SIZE,
                    null, null);
        }
        List<byte[]> entries = bundle.entries();
        boolean wholeTile = loaded.tileRoot() != null && width == TilePaths.WIDTH && !bundle.trailingBytes()
                && (trusted == null || trusted.size() <= first || trusted.size() >= first + width);
        if (wholeTile) {
            // Fast path: the tile root was computed while loading; only compare here.
            int bad = firstMismatch(loaded.leaves(), tile);
            if (bad < 0) {
                edge.appendTile(Arrays.asList(loaded.leaves()), loaded.tileRoot(), this::checkFullTile);
                return trusted != null && edge.size() == trusted.size() ? edge.root() : trustedComputed;
            }
        }
        for (int j = 0; j < width; j++) {
            if (j >= entries.size()) {
                checkUpperTiles();
                throw found(VerifyResult.Problem.ENTRIES_MALFORMED, first + j, bundle.path(),
                        "entry " + (first + j) + " cannot be parsed (bad length prefix or bundle too short)", null, null);
            }
            Hash leaf = loaded.leaves()[j];
            if (!leaf.equalsAt(tile, j * Hash.SIZE)) {
                checkUpperTiles();
                throw found(VerifyResult.Problem.HASH_MISMATCH, first + j, tilePath,
                        "leaf hash of entry " + (first + j) + " differs from the tile", leaf, Hash.copyOf(tile, j * Hash.SIZE));
            }
            edge.append(leaf, this::checkFullTile);
            if (trusted != null && edge.size() == trusted.size()) {
                trustedComputed = edge.root();
            }
        }
        if (bundle.trailingBytes()) {
            checkUpperTiles();
            throw found(VerifyResult.Problem.ENTRIES_MALFORMED, first + width - 1, bundle.path(),
                    "bytes after the last entry", null, null);
        }
        return trustedComputed;
    }

    private static int firstMismatch(Hash[] leaves, byte[] tile) {
        for (int j = 0; j < leaves.length; j++) {
            if (!leaves[j].equalsAt(tile, j * Hash.SIZE)) {
                return j;
            }
        }
        return -1;
    }

    /** Compares a completed tile above level 0 with the stored one (level-0 tiles are compared leaf by leaf). */
    private void checkFullTile(int level, long index, List<Hash> computed) throws LedgerException {
        if (level > 0) {
            compareTile(level, index, computed);
        }
    }

    /**
     * Compares the hashes computed so far in the incomplete tiles above level 0 with the stored
     * tiles, so that a bad upper tile covering earlier leaves is reported before a later leaf problem.
     */
    private void checkUpperTiles() throws LedgerException {
        for (int level = edge.levels() - 1; level >= 1; level--) {
            List<Hash> row = edge.partialRow(level);
            if (!row.isEmpty()) {
                compareTile(level, TilePaths.hashesAtLevel(level, edge.size()) >>> TilePaths.HEIGHT, row);
            }
        }
    }

    private void compareTile(int level, long index, List<Hash> computed) throws LedgerException {
        int width = TilePaths.width(level, index, size);
        String path = TilePaths.tile(level, index, width);
        long firstLeaf = (index << TilePaths.HEIGHT) << (TilePaths.HEIGHT * level);
        byte[] tile = reader.findTile(level, index, width);
        if (tile == null || tile.length != width * Hash.SIZE) {
            throw found(VerifyResult.Problem.TILE_MISSING, firstLeaf, path,
                    tile == null ? "tile is missing" : "tile has " + tile.length + " bytes, expected " + width * Hash.SIZE,
                    null, null);
        }
        for (int k = 0; k < computed.size(); k++) {
            if (!computed.get(k).equalsAt(tile, k * Hash.SIZE)) {
                Hash stored = Hash.copyOf(tile, k * Hash.SIZE);
                long leaf = ((index << TilePaths.HEIGHT) + k) << (TilePaths.HEIGHT * level);
                throw found(VerifyResult.Problem.HASH_MISMATCH, leaf, path, "hash " + k + " of tile level " + level
                        + " differs from the hash recomputed from entries " + leaf + ".."
                        + (leaf + (1L << (TilePaths.HEIGHT * level)) - 1), computed.get(k), stored);
            }
        }
    }

    private static VerifyResult.Failure failure(VerifyResult.Problem problem, Long index, String resource, String detail,
                                                Hash expected, Hash found) {
        return new VerifyResult.Failure(problem, index == null ? OptionalLong.empty() : OptionalLong.of(index),
                resource, detail, Optional.ofNullable(expected), Optional.ofNullable(found));
    }

    private static Found found(VerifyResult.Problem problem, Long index, String resource, String detail,
                               Hash expected, Hash found) {
        return new Found(failure(problem, index, resource, detail, expected, found));
    }

    /** Carries the verdict out of the tile callbacks; never escapes this class. */
    private static final class Found extends RuntimeException {
        private final transient VerifyResult.Failure failure;

        Found(VerifyResult.Failure failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }
}
