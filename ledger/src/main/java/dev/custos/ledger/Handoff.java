package dev.custos.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * Durable entries waiting for integration, packed into large chunks ({@code u16 length | entry |
 * leaf hash}) instead of millions of small objects, so that holding a second's worth of appends does
 * not make every young garbage collection copy them. Not thread-safe; the ledger guards it.
 */
final class Handoff {

    /**
     * The first chunk is small and each next one twice the size, up to {@link #MAX_CHUNK}: the
     * integrator takes the handoff every 20 ms, and at a few hundred entries a take a fixed 1 MiB
     * chunk was almost all waste (at one appender, 65 KB allocated per append), and a humongous
     * allocation for the garbage collector.
     */
    private static final int FIRST_CHUNK = 16 << 10;
    /** Just under 1 MiB, so that with its array header a full chunk fills one 1 MiB G1 region, not two. */
    private static final int MAX_CHUNK = (1 << 20) - 64;

    /** Receives the entries in order. */
    @FunctionalInterface
    interface Consumer {
        /** The entry is {@code chunk[offset, offset + length)}; the chunk MUST NOT be kept or changed. */
        void accept(byte[] chunk, int offset, int length, Hash leaf) throws LedgerException;
    }

    private final List<byte[]> chunks = new ArrayList<>();
    private byte[] current;
    private int pos;
    private int count;
    private long bytes;

    static Handoff of(List<byte[]> entries) {
        Handoff h = new Handoff();
        for (byte[] e : entries) {
            h.add(e, Merkle.leafHash(e).unsafeBytes(), 0);
        }
        return h;
    }

    /** Adds an entry and its leaf hash, the {@value Hash#SIZE} bytes of {@code leaves} at {@code leafOffset}. */
    void add(byte[] entry, byte[] leaves, int leafOffset) {
        int need = 2 + entry.length + Hash.SIZE;
        // keep two zero bytes after the last record: a zero length marks the end of a chunk
        if (current == null || current.length - pos < need + 2) {
            int size = current == null ? FIRST_CHUNK : Math.min(MAX_CHUNK, 2 * current.length);
            current = new byte[Math.max(size, need + 2)];
            chunks.add(current);
            bytes += current.length;
            pos = 0;
        }
        current[pos] = (byte) (entry.length >>> 8);
        current[pos + 1] = (byte) entry.length;
        System.arraycopy(entry, 0, current, pos + 2, entry.length);
        System.arraycopy(leaves, leafOffset, current, pos + 2 + entry.length, Hash.SIZE);
        pos += need;
        count++;
    }

    int size() {
        return count;
    }

    /** Heap held by the chunks. */
    long bytes() {
        return bytes;
    }

    void forEach(Consumer consumer) throws LedgerException {
        for (byte[] chunk : chunks) {
            int p = 0;
            while (p + 2 <= chunk.length) {
                int len = ((chunk[p] & 0xff) << 8) | (chunk[p + 1] & 0xff);
                if (len == 0) {
                    break;
                }
                consumer.accept(chunk, p + 2, len, Hash.copyOf(chunk, p + 2 + len));
                p += 2 + len + Hash.SIZE;
            }
        }
    }
}
