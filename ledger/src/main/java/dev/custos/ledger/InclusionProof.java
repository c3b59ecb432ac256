package dev.custos.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9162 §2.1.3 inclusion proof: evidence that the leaf at {@code leafIndex} is in the tree of
 * {@code treeSize} leaves.
 *
 * <p>Security guarantees: {@link #verifies} follows the RFC 9162 §2.1.3.2 algorithm exactly; it
 * MUST return {@code true} only if hashing the leaf along the path yields the given root and the
 * path has exactly the length the index and size require.
 *
 * @param leafIndex index of the leaf, {@code 0 <= leafIndex < treeSize}
 * @param treeSize size of the tree the proof is for
 * @param path sibling hashes from the leaf up to the root
 */
public record InclusionProof(long leafIndex, long treeSize, List<Hash> path) {

    /** Validates the ranges and copies the path. */
    public InclusionProof {
        if (leafIndex < 0 || treeSize <= leafIndex) {
            throw new IllegalArgumentException("inclusion proof needs 0 <= leafIndex < treeSize, got leafIndex="
                    + leafIndex + ", treeSize=" + treeSize);
        }
        path = List.copyOf(path);
        if (path.size() > 64) {
            throw new IllegalArgumentException("inclusion path longer than 64 hashes: " + path.size());
        }
    }

    /** Builds the proof for leaf {@code leafIndex} in the tree of the first {@code treeSize} given leaf hashes. */
    public static InclusionProof fromLeaves(List<Hash> leafHashes, long leafIndex, long treeSize) {
        if (treeSize > leafHashes.size()) {
            throw new IllegalArgumentException("treeSize " + treeSize + " > " + leafHashes.size() + " leaves");
        }
        try {
            return create(Merkle.inMemory(leafHashes), leafIndex, treeSize);
        } catch (LedgerException e) {
            throw new IllegalStateException("in-memory tree cannot fail", e);
        }
    }

    static InclusionProof create(Merkle.NodeSource src, long leafIndex, long treeSize) throws LedgerException {
        if (leafIndex < 0 || treeSize <= leafIndex) {
            throw new IllegalArgumentException("inclusion proof needs 0 <= index < size, got index="
                    + leafIndex + ", size=" + treeSize);
        }
        List<Hash> path = new ArrayList<>();
        Merkle.inclusionPath(src, leafIndex, 0, treeSize, path);
        return new InclusionProof(leafIndex, treeSize, path);
    }

    /** Returns whether this proof shows {@code leafHash} at {@code leafIndex} in the tree with {@code rootHash}. */
    public boolean verifies(Hash leafHash, Hash rootHash) {
        return rootHash.equals(computeRoot(leafHash));
    }

    /** Returns the root implied by the leaf and path, or {@code null} if the path has the wrong shape. */
    Hash computeRoot(Hash leafHash) {
        long fn = leafIndex;
        long sn = treeSize - 1;
        Hash r = leafHash;
        for (Hash p : path) {
            if (sn == 0) {
                return null;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = Merkle.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = Merkle.nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 ? r : null;
    }
}
