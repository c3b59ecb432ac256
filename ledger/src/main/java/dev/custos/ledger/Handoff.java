package dev.custos.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * Durable entries waiting for integration, packed into large chunks ({@code u16 length | entry |
 * leaf hash}) instead of millions of small objects, so that holding a second's worth of appends does
 * not make every young garbage collection copy them. Not thread-safe; the ledger guards it.
 *
 * <p>Once integrated, a hand-off is {@linkplain #clear cleared} and filled again, keeping its chunks:
 * at a few hundred thousand appends a second a new hand-off every few milliseconds allocated about
 * 240 bytes per append in chunks of 512 KiB and more, which G1 allocates as humongous objects straight
 * in the old generation; they filled the heap between collections and started collections of their own
 * (seen in the GC log of a 1,024-appender run: "G1 Humongous Allocation" pauses and an evacuation
 * failure with the heap full).
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

    /** Every chunk held; those after {@link #current} are kept from before the last {@link #clear}. */
    private final List<byte[]> chunks = new ArrayList<>();
    /** The index in {@link #chunks} of the chunk being filled, -1 before the first entry. */
    private int current = -1;
    private int pos;
    private int count;
    /** The capacity of the chunks in use, {@code chunks[0..current]}. */
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
        // keep room for two zero bytes after the last record: a zero length marks the end of a chunk
        if (current < 0 || chunks.get(current).length - pos < need + 2) {
            nextChunk(need + 2);
        }
        byte[] chunk = chunks.get(current);
        chunk[pos] = (byte) (entry.length >>> 8);
        chunk[pos + 1] = (byte) entry.length;
        System.arraycopy(entry, 0, chunk, pos + 2, entry.length);
        System.arraycopy(leaves, leafOffset, chunk, pos + 2 + entry.length, Hash.SIZE);
        pos += need;
        // a kept chunk holds older records past this one
        chunk[pos] = 0;
        chunk[pos + 1] = 0;
        count++;
    }

    /** Moves to the next kept chunk if it holds {@code need} bytes, else to a new one put in its place. */
    private void nextChunk(int need) {
        int size = current < 0 ? FIRST_CHUNK : Math.min(MAX_CHUNK, 2 * chunks.get(current).length);
        current++;
        if (current < chunks.size() && chunks.get(current).length >= need) {
            bytes += chunks.get(current).length;
        } else {
            byte[] fresh = new byte[Math.max(size, need)];
            if (current < chunks.size()) {
                chunks.set(current, fresh);
            } else {
                chunks.add(fresh);
            }
            bytes += fresh.length;
        }
        pos = 0;
    }

    /**
     * Empties the hand-off for reuse, keeping its first chunks up to {@code keepBytes} in all (after a
     * backlog of many megabytes, the rest are left to the collector).
     */
    void clear(long keepBytes) {
        long kept = 0;
        int keep = 0;
        while (keep < chunks.size() && kept + chunks.get(keep).length <= keepBytes) {
            kept += chunks.get(keep).length;
            keep++;
        }
        chunks.subList(keep, chunks.size()).clear();
        current = -1;
        pos = 0;
        count = 0;
        bytes = 0;
    }

    int size() {
        return count;
    }

    /** Heap held by the chunks in use. */
    long bytes() {
        return bytes;
    }

    void forEach(Consumer consumer) throws LedgerException {
        for (int c = 0; c <= current; c++) {
            byte[] chunk = chunks.get(c);
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
