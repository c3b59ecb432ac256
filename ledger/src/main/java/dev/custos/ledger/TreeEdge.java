package dev.custos.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a tiled Merkle tree: for each tile level, the hashes of the tile that is not
 * yet full. Appending leaves completes tiles, which are handed to a sink (to be written, or to be
 * compared with stored tiles); the root at the current size is computed from the edge alone.
 */
final class TreeEdge {

    /** Receives each tile as it becomes full. */
    @FunctionalInterface
    interface FullTileSink {
        void accept(int level, long index, List<Hash> hashes) throws LedgerException;
    }

    private long size;
    private final List<List<Hash>> rows = new ArrayList<>();

    /** An edge for the empty tree. */
    TreeEdge() {}

    /**
     * An edge restored from the partial tiles of a tree of {@code size} leaves; {@code partialRows.get(L)}
     * MUST hold exactly {@code (size >> 8L) & 255} hashes.
     */
    TreeEdge(long size, List<List<Hash>> partialRows) {
        this.size = size;
        for (int level = 0; level < partialRows.size(); level++) {
            int expected = (int) (TilePaths.hashesAtLevel(level, size) & (TilePaths.WIDTH - 1));
            if (partialRows.get(level).size() != expected) {
                throw new IllegalArgumentException("level " + level + " edge has " + partialRows.get(level).size()
                        + " hashes, size " + size + " needs " + expected);
            }
            rows.add(new ArrayList<>(partialRows.get(level)));
        }
        for (int level = partialRows.size(); TilePaths.hashesAtLevel(level, size) > 0; level++) {
            if ((TilePaths.hashesAtLevel(level, size) & (TilePaths.WIDTH - 1)) != 0) {
                throw new IllegalArgumentException("missing edge for level " + level + " at size " + size);
            }
            rows.add(new ArrayList<>());
        }
    }

    long size() {
        return size;
    }

    /** Appends one leaf hash; every tile it completes is passed to {@code sink} before the edge moves on. */
    void append(Hash leaf, FullTileSink sink) throws LedgerException {
        size++;
        push(0, leaf, sink);
    }

    /**
     * Appends a whole level-0 tile whose root the caller has already computed (so the hashing can
     * run elsewhere). The size MUST be a multiple of 256; {@code root} MUST be the tile's root.
     */
    void appendTile(List<Hash> leaves, Hash root, FullTileSink sink) throws LedgerException {
        if (size % TilePaths.WIDTH != 0 || leaves.size() != TilePaths.WIDTH) {
            throw new IllegalArgumentException("appendTile needs a tile-aligned edge and 256 leaves");
        }
        size += TilePaths.WIDTH;
        sink.accept(0, size / TilePaths.WIDTH - 1, List.copyOf(leaves));
        push(1, root, sink);
    }

    private void push(int fromLevel, Hash hash, FullTileSink sink) throws LedgerException {
        Hash carry = hash;
        for (int level = fromLevel; ; level++) {
            while (rows.size() <= level) {
                rows.add(new ArrayList<>());
            }
            List<Hash> row = rows.get(level);
            row.add(carry);
            if (row.size() < TilePaths.WIDTH) {
                return;
            }
            long index = (TilePaths.hashesAtLevel(level, size) >>> TilePaths.HEIGHT) - 1;
            List<Hash> full = List.copyOf(row);
            sink.accept(level, index, full);
            carry = Merkle.reduce(full, 0, full.size());
            row.clear();
        }
    }

    /** The hashes of the partial tile at {@code level} (empty if that level has none). */
    List<Hash> partialRow(int level) {
        return level < rows.size() ? List.copyOf(rows.get(level)) : List.of();
    }

    /** Number of tile levels that have at least one hash. */
    int levels() {
        int n = 0;
        while (TilePaths.hashesAtLevel(n, size) > 0) {
            n++;
        }
        return n;
    }

    /** The RFC 9162 root hash of the tree of the current size. */
    Hash root() {
        try {
            return Merkle.rootHash(this::node, size);
        } catch (LedgerException e) {
            throw new IllegalStateException("in-memory edge cannot fail", e);
        }
    }

    /** A complete-subtree hash that lies in the edge's partial tiles. */
    private Hash node(int level, long index) {
        int tileLevel = level / TilePaths.HEIGHT;
        int r = level % TilePaths.HEIGHT;
        long rowStart = (TilePaths.hashesAtLevel(tileLevel, size) >>> TilePaths.HEIGHT) << TilePaths.HEIGHT;
        int from = (int) ((index << r) - rowStart);
        return Merkle.reduce(rows.get(tileLevel), from, from + (1 << r));
    }
}
