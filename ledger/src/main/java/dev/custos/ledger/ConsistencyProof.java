package dev.custos.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9162 §2.1.4 consistency proof: evidence that the tree of {@code oldSize} leaves is a
 * prefix of the tree of {@code newSize} leaves, i.e. that nothing was rewritten or removed.
 *
 * <p>Security guarantees: {@link #verifies} follows the RFC 9162 §2.1.4.2 algorithm exactly. For
 * {@code oldSize == newSize} it MUST accept only an empty path and equal roots; for
 * {@code oldSize == 0} only an empty path (every tree extends the empty tree).
 *
 * @param oldSize size of the older tree
 * @param newSize size of the newer tree, {@code >= oldSize}
 * @param path the proof hashes
 */
public record ConsistencyProof(long oldSize, long newSize, List<Hash> path) {

    /** Validates the ranges and copies the path. */
    public ConsistencyProof {
        if (oldSize < 0 || newSize < oldSize) {
            throw new IllegalArgumentException("consistency proof needs 0 <= oldSize <= newSize, got oldSize="
                    + oldSize + ", newSize=" + newSize);
        }
        path = List.copyOf(path);
        if (path.size() > 128) {
            throw new IllegalArgumentException("consistency path longer than 128 hashes: " + path.size());
        }
    }

    /** Builds the proof between the trees of the first {@code oldSize} and {@code newSize} given leaf hashes. */
    public static ConsistencyProof fromLeaves(List<Hash> leafHashes, long oldSize, long newSize) {
        if (newSize > leafHashes.size()) {
            throw new IllegalArgumentException("newSize " + newSize + " > " + leafHashes.size() + " leaves");
        }
        try {
            return create(Merkle.inMemory(leafHashes), oldSize, newSize);
        } catch (LedgerException e) {
            throw new IllegalStateException("in-memory tree cannot fail", e);
        }
    }

    static ConsistencyProof create(Merkle.NodeSource src, long oldSize, long newSize) throws LedgerException {
        if (oldSize < 0 || newSize < oldSize) {
            throw new IllegalArgumentException("consistency proof needs 0 <= from <= to, got from="
                    + oldSize + ", to=" + newSize);
        }
        List<Hash> path = new ArrayList<>();
        if (oldSize > 0 && oldSize < newSize) {
            Merkle.consistencyPath(src, oldSize, 0, newSize, true, path);
        }
        return new ConsistencyProof(oldSize, newSize, path);
    }

    /** Returns whether this proof shows the tree with {@code newRoot} extends the tree with {@code oldRoot}. */
    public boolean verifies(Hash oldRoot, Hash newRoot) {
        if (oldSize == 0) {
            return path.isEmpty();
        }
        if (oldSize == newSize) {
            return path.isEmpty() && oldRoot.equals(newRoot);
        }
        if (path.isEmpty()) {
            return false;
        }
        List<Hash> c = path;
        if (Long.bitCount(oldSize) == 1) {
            c = new ArrayList<>(path.size() + 1);
            c.add(oldRoot);
            c.addAll(path);
        }
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        Hash fr = c.get(0);
        Hash sr = c.get(0);
        for (Hash h : c.subList(1, c.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = Merkle.nodeHash(h, fr);
                sr = Merkle.nodeHash(h, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = Merkle.nodeHash(sr, h);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && fr.equals(oldRoot) && sr.equals(newRoot);
    }
}
