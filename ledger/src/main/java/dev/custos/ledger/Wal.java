package dev.custos.ledger;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The sequencing write-ahead log: append-only segment files of checksummed records, one record per
 * entry, forced to disk before any index is handed out.
 *
 * <p>Segment {@code wal/<first index, 20 digits>.wal}: a 24-byte header (magic {@code CUSTOSW1},
 * first index, CRC-32C of both, a byte that is 1 if the segment is recycled, 3 zero bytes), then
 * records {@code len u32 | index u64 | entry | crc32c u32}, the CRC covering length, index and entry.
 * Only the last segment can have a torn tail; recovery cuts it back to the last complete record.
 *
 * <p>Segments are recycled: a segment wholly below the checkpoint becomes a spare (renamed to
 * {@code <name>.tmp}), and the next new segment is made from a spare by renaming it and writing a
 * new header over the old one, marked recycled (byte {@value #RECYCLED_FLAG_OFFSET} of the header is
 * 1). Its records are then written over the old ones, whose blocks are already allocated: no file
 * to create and allocate, no 64 MiB to unlink (and, on a file system mounted with {@code discard},
 * to trim), and {@code fdatasync} has no block allocation or file size to write. After the last
 * record written, a recycled segment holds the stale records of its earlier life. Recovery tells
 * them from records: every record names its own index, and a stale record's index is below the
 * segment's first index (its old segment was wholly below the checkpoint, which is at most the
 * first index of every live segment), so it never matches the index expected where it lies; nor
 * does a torn fragment, whose CRC fails. So a segment's records are exactly its valid prefix. For
 * a segment that is not the last, whatever follows the valid prefix is a stale remainder, and the
 * next segment MUST start exactly where the prefix ends (a corrupt record shortens the prefix and
 * breaks that). The last segment is cut back to its prefix at open, as a torn tail is, so nothing
 * left after it can ever be read as a record. Not thread-safe except where noted:
 * one sequencer appends; {@link #deleteBelow} may run concurrently (the segment bookkeeping is
 * synchronized; the deleting itself is not, so that it never holds up an append).
 */
final class Wal implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Wal.class.getName());
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final byte[] MAGIC = "CUSTOSW1".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER_SIZE = 24;
    static final int RECORD_OVERHEAD = 16;
    static final int MAX_ENTRY = 65_535;
    private static final long SHRINK_STEP = 1 << 20;
    private static final long SHRINK_PAUSE_MILLIS = 2;
    static final int RECYCLED_FLAG_OFFSET = 20;
    /** Spare segments kept for recycling; more are deleted. */
    private static final int MAX_SPARES = 2;

    private final Path dir;
    private final long segmentLimit;
    private final TreeMap<Long, Path> segments;
    private final ArrayDeque<Path> spares = new ArrayDeque<>();
    private FileChannel current;
    private long currentBytes;
    private long nextIndex;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private final CRC32C crc = new CRC32C();
    /** Scratch for a record's {@code len u32 | index u64}. */
    private final byte[] recordHead = new byte[12];
    private final ExecutorService cleaner = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("custos-ledger-wal-cleaner").daemon().factory());

    /** The WAL after recovery and the entries it holds from the requested index on. */
    record Recovery(Wal wal, List<byte[]> entries, long droppedBytes) {}

    private Wal(Path dir, long segmentLimit, TreeMap<Long, Path> segments) {
        this.dir = dir;
        this.segmentLimit = segmentLimit;
        this.segments = segments;
    }

    /**
     * Opens the WAL in {@code dir}, repairing a torn tail, and returns the entries with index
     * {@code >= from} (the size already covered by a durable checkpoint and its tiles).
     *
     * @throws LedgerException if a record before the tail is corrupt or entries after {@code from} are missing
     */
    static Recovery open(Path dir, long from, long segmentLimit) throws LedgerException {
        try {
            Set<Path> created = new HashSet<>();
            DurableFiles.createDirectories(dir.toAbsolutePath(), created);
            DurableFiles.syncDirectories(created);
            TreeMap<Long, Path> found = new TreeMap<>();
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    String name = p.getFileName().toString();
                    if (name.matches("[0-9]{20}\\.wal")) {
                        found.put(Long.parseLong(name.substring(0, 20)), p);
                    } else if (name.endsWith(".tmp")) {
                        Files.delete(p);
                    }
                }
            }
            Wal wal = new Wal(dir, segmentLimit, new TreeMap<>());
            List<byte[]> entries = new ArrayList<>();
            long dropped = 0;
            long expectedNext = -1;
            String brokenAt = null;
            long validEnd = 0;
            Path last = found.isEmpty() ? null : found.lastEntry().getValue();
            for (Map.Entry<Long, Path> seg : found.entrySet()) {
                boolean isLast = seg.getValue().equals(last);
                byte[] data = Files.readAllBytes(seg.getValue());
                if (!validHeader(data, seg.getKey())) {
                    if (!isLast) {
                        throw new LedgerException("WAL segment " + seg.getValue() + " has a corrupt header; refusing to open");
                    }
                    LOG.log(System.Logger.Level.WARNING, "WAL segment {0} has a torn header ({1} bytes); removing it",
                            seg.getValue(), data.length);
                    dropped += data.length;
                    Files.delete(seg.getValue());
                    DurableFiles.syncDirectory(dir);
                    continue;
                }
                if (expectedNext >= 0 && seg.getKey() != expectedNext) {
                    throw new LedgerException(brokenAt != null ? "WAL segment " + brokenAt + "; refusing to open"
                            : "WAL segment " + seg.getValue() + " starts at index " + seg.getKey()
                            + " but the previous segment ends at " + expectedNext + "; refusing to open");
                }
                brokenAt = null;
                long index = seg.getKey();
                int off = HEADER_SIZE;
                while (off < data.length) {
                    int end = recordEnd(data, off, index);
                    if (end < 0) {
                        break;
                    }
                    if (index >= from) {
                        entries.add(Arrays.copyOfRange(data, off + 12, end - 4));
                    }
                    index++;
                    off = end;
                }
                if (off < data.length && !isLast) {
                    String corrupt = seg.getValue() + " is corrupt at byte " + off + " (index " + index + ") before its end";
                    if (data[RECYCLED_FLAG_OFFSET] != 1) {
                        throw new LedgerException("WAL segment " + corrupt + "; refusing to open");
                    }
                    // The stale remainder of a recycled segment, or a corrupt record: the next segment
                    // must start exactly at this index (checked with it).
                    brokenAt = corrupt;
                } else if (off < data.length) {
                    int cut = data.length - off;
                    try (FileChannel ch = FileChannel.open(seg.getValue(), StandardOpenOption.WRITE)) {
                        ch.truncate(off);
                        ch.force(true);
                    }
                    if (data[RECYCLED_FLAG_OFFSET] == 1) {
                        LOG.log(System.Logger.Level.INFO, "WAL segment {0} was recycled: cut its remainder of {1} "
                                + "bytes after index {2} (stale records of its earlier life, and any torn write of a "
                                + "group never acknowledged)", seg.getValue(), cut, index - 1);
                    } else {
                        dropped += cut;
                        LOG.log(System.Logger.Level.WARNING,
                                "WAL segment {0}: dropped a torn tail of {1} bytes after index {2} (never acknowledged)",
                                seg.getValue(), cut, index - 1);
                    }
                }
                wal.segments.put(seg.getKey(), seg.getValue());
                expectedNext = index;
                validEnd = off;
            }
            if (brokenAt != null && !wal.segments.isEmpty()) {
                // The segment after it had a torn header and was removed: this one is the tail now, and
                // is cut back to its records like any tail.
                Path tail = wal.segments.lastEntry().getValue();
                long keep = validEnd;
                try (FileChannel ch = FileChannel.open(tail, StandardOpenOption.WRITE)) {
                    LOG.log(System.Logger.Level.INFO, "WAL segment {0}: cut {1} bytes after its last record",
                            tail, ch.size() - keep);
                    ch.truncate(keep);
                    ch.force(true);
                }
            }
            if (wal.segments.isEmpty() || expectedNext < from) {
                if (!wal.segments.isEmpty()) {
                    // Everything in these segments is already covered by the checkpoint's durable tiles.
                    LOG.log(System.Logger.Level.WARNING, "WAL ends at index {0}, before the checkpoint size {1}; "
                            + "continuing from the checkpoint", expectedNext, from);
                    for (Path p : wal.segments.values()) {
                        Files.delete(p);
                    }
                    wal.segments.clear();
                    DurableFiles.syncDirectory(dir);
                }
                wal.startSegment(from);
            } else {
                long first = wal.segments.firstKey();
                if (first > from) {
                    throw new LedgerException("WAL starts at index " + first + " but entries from " + from
                            + " are not yet in the tiles; refusing to open");
                }
                Path tail = wal.segments.lastEntry().getValue();
                wal.current = FileChannel.open(tail, StandardOpenOption.WRITE);
                wal.currentBytes = wal.current.size();
                wal.current.position(wal.currentBytes);
                wal.nextIndex = expectedNext;
            }
            return new Recovery(wal, entries, dropped);
        } catch (LedgerException e) {
            throw e;
        } catch (IOException e) {
            throw new LedgerException("cannot open WAL in " + dir + ": " + e, e);
        }
    }

    /** The index the next appended entry gets. */
    synchronized long nextIndex() {
        return nextIndex;
    }

    /** Appends the entries as consecutive records and forces them; returns only once they are durable. */
    synchronized void append(List<byte[]> entries) throws IOException {
        if (currentBytes >= segmentLimit) {
            current.close();
            startSegment(nextIndex);
        }
        int bytes = 0;
        for (byte[] e : entries) {
            bytes += RECORD_OVERHEAD + e.length;
        }
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(Integer.highestOneBit(bytes) << 1);
        }
        buffer.clear();
        long index = nextIndex;
        // The checksum is computed from the heap arrays rather than from a view of the direct buffer:
        // no buffer object per record (this runs for every append, on the one sequencer thread).
        CRC32C crc = this.crc;
        byte[] head = recordHead;
        for (byte[] e : entries) {
            INT_BE.set(head, 0, e.length);
            LONG_BE.set(head, 4, index++);
            crc.reset();
            crc.update(head, 0, head.length);
            crc.update(e, 0, e.length);
            buffer.put(head).put(e).putInt((int) crc.getValue());
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            current.write(buffer);
        }
        current.force(false);
        currentBytes += bytes;
        nextIndex = index;
    }

    /**
     * Deletes segments all of whose records are below {@code size}; the current segment is kept.
     *
     * <p>Removing a full segment must not stall appends. Only taking the segments off the books
     * holds the lock {@link #append} needs. Each segment is then renamed to {@code <name>.tmp} and
     * the directory synced (so recovery, which deletes {@code *.tmp}, never sees a segment cut short).
     * Up to {@value #MAX_SPARES} are kept as spares for {@link #startSegment} to recycle; for any
     * others a background thread cuts the file down {@value #SHRINK_STEP} bytes at a time, pausing
     * between cuts, before unlinking it: on a file system mounted with {@code discard} (common for
     * cloud disks) unlinking 64 MiB at once trims it synchronously, and on the development VM that
     * held up every concurrent {@code fdatasync} of the current segment for about 100 ms.
     */
    void deleteBelow(long size) throws IOException {
        List<Map.Entry<Long, Path>> obsolete = new ArrayList<>();
        synchronized (this) {
            while (segments.size() > 1) {
                Map.Entry<Long, Path> first = segments.firstEntry();
                if (segments.higherKey(first.getKey()) > size) {
                    break;
                }
                obsolete.add(first);
                segments.remove(first.getKey());
            }
        }
        if (obsolete.isEmpty()) {
            return;
        }
        List<Path> doomed = new ArrayList<>();
        IOException failed = null;
        for (int i = 0; i < obsolete.size() && failed == null; i++) {
            Path segment = obsolete.get(i).getValue();
            Path tmp = segment.resolveSibling(segment.getFileName() + ".tmp");
            try {
                Files.move(segment, tmp, StandardCopyOption.ATOMIC_MOVE);
                doomed.add(tmp);
            } catch (NoSuchFileException e) {
                // already gone
            } catch (IOException e) {
                // Keep the segments not yet renamed in the books, so that a later checkpoint tries again.
                failed = e;
                synchronized (this) {
                    for (Map.Entry<Long, Path> left : obsolete.subList(i, obsolete.size())) {
                        segments.put(left.getKey(), left.getValue());
                    }
                }
            }
        }
        DurableFiles.syncDirectory(dir);
        synchronized (this) {
            while (!doomed.isEmpty() && spares.size() < MAX_SPARES) {
                spares.add(doomed.removeLast());
            }
        }
        if (!doomed.isEmpty()) {
            cleaner.execute(() -> doomed.forEach(Wal::shrinkAndDelete));
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** Cuts a file down in steps, pausing between them, then unlinks it; failures are logged (recovery deletes it). */
    private static void shrinkAndDelete(Path file) {
        try {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                for (long size = ch.size(); size > 0; ) {
                    size = Math.max(0, size - SHRINK_STEP);
                    ch.truncate(size);
                    Thread.sleep(SHRINK_PAUSE_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete old WAL segment {0} (it is deleted when the "
                    + "ledger is next opened): {1}", file, e);
        }
    }

    /** Number of segment files, for tests. */
    synchronized int segmentCount() {
        return segments.size();
    }

    /** Closes the current segment and waits for segments being deleted. */
    @Override
    public void close() throws IOException {
        cleaner.close();
        synchronized (this) {
            if (current != null) {
                current.close();
            }
        }
    }

    /**
     * Starts the segment whose first record has {@code firstIndex}: from a spare if there is one
     * (renamed, its header overwritten and marked recycled), else a new file. The header and the
     * directory entry are forced before any record is written to it.
     */
    private void startSegment(long firstIndex) throws IOException {
        Path p = dir.resolve(String.format("%020d.wal", firstIndex));
        Path spare = spares.poll();
        ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE);
        h.put(MAGIC).putLong(firstIndex);
        CRC32C crc = new CRC32C();
        crc.update(h.array(), 0, 16);
        h.putInt((int) crc.getValue()).put((byte) (spare == null ? 0 : 1)).put(new byte[3]).flip();
        FileChannel ch;
        if (spare != null) {
            Files.move(spare, p, StandardCopyOption.ATOMIC_MOVE);
            ch = FileChannel.open(p, StandardOpenOption.WRITE);
        } else {
            ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        try {
            while (h.hasRemaining()) {
                ch.write(h);
            }
            ch.force(true);
            DurableFiles.syncDirectory(dir);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        segments.put(firstIndex, p);
        current = ch;
        currentBytes = HEADER_SIZE;
        nextIndex = firstIndex;
    }

    private static boolean validHeader(byte[] data, long expectedFirst) {
        if (data.length < HEADER_SIZE || !Arrays.equals(data, 0, 8, MAGIC, 0, 8)) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        CRC32C crc = new CRC32C();
        crc.update(data, 0, 16);
        return b.getLong(8) == expectedFirst && b.getInt(16) == (int) crc.getValue();
    }

    /** Returns the end offset of the valid record at {@code off} with {@code index}, or -1 if torn or corrupt. */
    private static int recordEnd(byte[] data, int off, long index) {
        if (data.length - off < RECORD_OVERHEAD) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        int len = b.getInt(off);
        if (len < 1 || len > MAX_ENTRY || data.length - off - RECORD_OVERHEAD < len) {
            return -1;
        }
        if (b.getLong(off + 4) != index) {
            return -1;
        }
        int end = off + 12 + len + 4;
        CRC32C crc = new CRC32C();
        crc.update(data, off, 12 + len);
        return b.getInt(end - 4) == (int) crc.getValue() ? end : -1;
    }
}
