package dev.custos.ledger;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Merkle tree hashing exactly as RFC 9162 §2.1: {@code leaf = SHA-256(0x00 || d)},
 * {@code node = SHA-256(0x01 || left || right)}, and the root of the empty tree is
 * {@code SHA-256("")}.
 */
public final class Merkle {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Merkle::newDigest);

    private Merkle() {}

    /** Returns the RFC 9162 leaf hash of an entry. */
    public static Hash leafHash(byte[] entry) {
        MessageDigest md = SHA256.get();
        md.update((byte) 0x00);
        md.update(entry);
        return Hash.wrap(md.digest());
    }

    /**
     * Writes the RFC 9162 leaf hash of an entry to {@code dst[dstOff, dstOff + 32)} (for the append
     * path, which keeps leaf hashes as bytes).
     */
    static void leafHash(byte[] entry, byte[] dst, int dstOff) {
        MessageDigest md = SHA256.get();
        md.update((byte) 0x00);
        md.update(entry);
        try {
            md.digest(dst, dstOff, Hash.SIZE);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 always fits 32 bytes", e);
        }
    }

    /** Returns the RFC 9162 interior node hash of two children. */
    public static Hash nodeHash(Hash left, Hash right) {
        MessageDigest md = SHA256.get();
        md.update((byte) 0x01);
        md.update(left.unsafeBytes());
        md.update(right.unsafeBytes());
        return Hash.wrap(md.digest());
    }

    /**
     * Writes the RFC 9162 node hash of the two adjacent hashes at {@code src[off, off + 64)} to
     * {@code dst[dstOff, dstOff + 32)}, without allocating (for expanding whole tiles).
     */
    static void nodeHash(byte[] src, int off, byte[] dst, int dstOff) {
        MessageDigest md = SHA256.get();
        md.update((byte) 0x01);
        md.update(src, off, 2 * Hash.SIZE);
        try {
            md.digest(dst, dstOff, Hash.SIZE);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 always fits 32 bytes", e);
        }
    }

    /** Returns the root hash of the empty tree, {@code SHA-256("")}. */
    public static Hash emptyRoot() {
        return Hash.wrap(SHA256.get().digest());
    }

    /** Returns the root hash of the tree whose leaf hashes are given, in order. */
    public static Hash root(List<Hash> leafHashes) {
        if (leafHashes.isEmpty()) {
            return emptyRoot();
        }
        try {
            return subtreeHash(inMemory(leafHashes), 0, leafHashes.size());
        } catch (LedgerException e) {
            throw new IllegalStateException("in-memory tree cannot fail", e);
        }
    }

    /** Returns SHA-256 of the bytes (not a tree hash). */
    static byte[] sha256(byte[]... parts) {
        MessageDigest md = SHA256.get();
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    // ---- tree math over an abstract source of complete-subtree hashes ----

    /**
     * A source of complete-subtree hashes: {@code node(level, index)} is the hash of the complete
     * subtree of height {@code level} over leaves {@code [index << level, (index + 1) << level)}.
     */
    @FunctionalInterface
    interface NodeSource {
        Hash node(int level, long index) throws LedgerException;
    }

    static NodeSource inMemory(List<Hash> leafHashes) {
        return (level, index) -> {
            long start = index << level;
            long end = start + (1L << level);
            if (end > leafHashes.size()) {
                throw new IllegalArgumentException("node " + level + "/" + index + " beyond " + leafHashes.size());
            }
            return level == 0 ? leafHashes.get((int) index) : reduce(leafHashes, (int) start, (int) end);
        };
    }

    /**
     * The hash of a complete power-of-two run of hashes, by pairwise reduction in one flat scratch
     * array (no object per interior node: this runs once per full tile as the tree grows).
     */
    static Hash reduce(List<Hash> row, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return row.get(from);
        }
        byte[] level = new byte[n * Hash.SIZE];
        for (int i = 0; i < n; i++) {
            row.get(from + i).copyTo(level, i * Hash.SIZE);
        }
        // In place: pair i is read (2i, 2i + 1) before node i is written, and i <= 2i.
        for (int width = n; width > 1; width /= 2) {
            for (int i = 0; i < width / 2; i++) {
                nodeHash(level, 2 * i * Hash.SIZE, level, i * Hash.SIZE);
            }
        }
        return Hash.copyOf(level, 0);
    }

    /** Largest power of two strictly smaller than {@code n}, for {@code n > 1}. */
    static long splitPoint(long n) {
        return Long.highestOneBit(n - 1);
    }

    /** MTH(D[start:end]) as RFC 9162 defines it for the sub-list, for {@code end > start}. */
    static Hash subtreeHash(NodeSource src, long start, long end) throws LedgerException {
        long n = end - start;
        if (Long.bitCount(n) == 1 && start % n == 0) {
            return src.node(Long.numberOfTrailingZeros(n), start / n);
        }
        long k = splitPoint(n);
        return nodeHash(subtreeHash(src, start, start + k), subtreeHash(src, start + k, end));
    }

    /** Root hash of the tree of the given size. */
    static Hash rootHash(NodeSource src, long size) throws LedgerException {
        return size == 0 ? emptyRoot() : subtreeHash(src, 0, size);
    }

    /** RFC 9162 §2.1.3.1 PATH(m, D[start:end]), deepest sibling first. */
    static void inclusionPath(NodeSource src, long m, long start, long end, List<Hash> out) throws LedgerException {
        if (end - start == 1) {
            return;
        }
        long k = splitPoint(end - start);
        if (m < start + k) {
            inclusionPath(src, m, start, start + k, out);
            out.add(subtreeHash(src, start + k, end));
        } else {
            inclusionPath(src, m, start + k, end, out);
            out.add(subtreeHash(src, start, start + k));
        }
    }

    /** RFC 9162 §2.1.4.1 SUBPROOF(m, D[start:end], b). */
    static void consistencyPath(NodeSource src, long m, long start, long end, boolean b, List<Hash> out)
            throws LedgerException {
        long n = end - start;
        if (m == n) {
            if (!b) {
                out.add(subtreeHash(src, start, end));
            }
            return;
        }
        long k = splitPoint(n);
        if (m <= k) {
            consistencyPath(src, m, start, start + k, b, out);
            out.add(subtreeHash(src, start + k, end));
        } else {
            consistencyPath(src, m - k, start + k, end, false, out);
            out.add(subtreeHash(src, start, start + k));
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
