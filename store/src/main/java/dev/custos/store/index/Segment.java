package dev.custos.store.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One sealed time partition of the index: an immutable file holding a run of consecutive accesses
 * (in practice one day's), sorted by member of staff and then ledger order, with two posting lists.
 *
 * <pre>
 * header    64 bytes   magic "CXAS", version 2, records n, staff s, min at, max at, first and last ledger index,
 *                      purpose bytes p
 * records   n x 40     {@link #RECORD} bytes each (see {@link FileAccessIndex}), staff by staff, each in ledger order;
 *                      the purpose offset is into this file's purposes
 * staff     s x 32     staff number, first record, record count, 0, min at, max at   (sorted by staff number)
 * customers n x 8      customer number, record                                      (sorted by customer, then record)
 * purposes  p bytes    length (4) and value per purpose, staff by staff in record order (one entry per run of
 *                      a member of staff's consecutive records under one purpose)
 * </pre>
 *
 * All numbers big-endian; times are nanoseconds since the epoch. The file is written beside its
 * final name, forced and renamed, and only then named in the index state, so a crash leaves
 * either no segment or a whole one.
 */
final class Segment implements AutoCloseable {
  static final int RECORD = 40;
  static final int HEADER = 64;
  static final int STAFF_ENTRY = 32;
  static final int MAGIC = 0x43584153;
  private static final long OFFSET_MASK = (1L << 56) - 1;

  /** Receives a record: the buffer and the offset of its first byte. */
  interface RecordSink {
    void accept(ByteBuffer records, int offset);
  }

  private final FileChannel channel;
  private final MappedByteBuffer map;
  private final int records;
  private final int staffCount;
  private final long minAt;
  private final long maxAt;
  private final int staffBase;
  private final int customerBase;
  private final int purposeBase;
  private volatile Object[] lastPurpose = {-1L, null};

  private Segment(FileChannel channel, MappedByteBuffer map) throws CorruptIndexException {
    this.channel = channel;
    this.map = map;
    if (map.capacity() < HEADER || map.getInt(0) != MAGIC || map.getInt(4) != 2) {
      throw new CorruptIndexException("segment header is not a version 2 segment");
    }
    records = map.getInt(8);
    staffCount = map.getInt(12);
    minAt = map.getLong(16);
    maxAt = map.getLong(24);
    staffBase = HEADER + records * RECORD;
    customerBase = staffBase + staffCount * STAFF_ENTRY;
    purposeBase = customerBase + records * 8;
    long purposeBytes = map.getLong(48);
    if (records < 0 || staffCount < 0 || purposeBytes < 0
        || (long) customerBase + (long) records * 8 + purposeBytes != map.capacity()) {
      throw new CorruptIndexException("segment length does not match its header");
    }
  }

  static Segment open(Path path) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new CorruptIndexException(path.getFileName() + " is larger than a segment can be");
      }
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      map.order(ByteOrder.BIG_ENDIAN);
      return new Segment(ch, map);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Writes the segment of {@code count} records in {@code tail} (in ledger order, {@link #RECORD} bytes each) to
   * {@code path}, durably.
   */
  static void write(Path path, ByteBuffer tail, int count, ByteBuffer heap) throws IOException {
    long[] byStaff = new long[count];
    long minAt = Long.MAX_VALUE;
    long maxAt = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      int o = i * RECORD;
      byStaff[i] = ((long) tail.getInt(o + 16) << 32) | i;
      long at = tail.getLong(o + 8);
      minAt = Math.min(minAt, at);
      maxAt = Math.max(maxAt, at);
    }
    Arrays.sort(byStaff);
    int staffCount = 0;
    for (int i = 0; i < count; i++) {
      if (i == 0 || (int) (byStaff[i] >>> 32) != (int) (byStaff[i - 1] >>> 32)) {
        staffCount++;
      }
    }
    // The purposes, staff by staff in record order; a run of one purpose (one heap offset) is one entry.
    java.io.ByteArrayOutputStream purposes = new java.io.ByteArrayOutputStream();
    long[] localOffsets = new long[count];
    long previousHeap = -1;
    int previousStaff = -1;
    long local = -1;
    for (int i = 0; i < count; i++) {
      int from = (int) byStaff[i] * RECORD;
      int staff = (int) (byStaff[i] >>> 32);
      long heapOffset = tail.getLong(from + 32) & OFFSET_MASK;
      if (heapOffset != previousHeap || staff != previousStaff) {
        int n = heap.getInt((int) heapOffset);
        local = purposes.size();
        purposes.write(n >>> 24);
        purposes.write(n >>> 16);
        purposes.write(n >>> 8);
        purposes.write(n);
        purposes.write(heap.array(), (int) heapOffset + 4, n);
        previousHeap = heapOffset;
        previousStaff = staff;
      }
      localOffsets[i] = local;
    }
    long size = (long) HEADER + (long) count * RECORD + (long) staffCount * STAFF_ENTRY + (long) count * 8
        + purposes.size();
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size));
    out.putInt(MAGIC).putInt(2).putInt(count).putInt(staffCount).putLong(count == 0 ? 0 : minAt)
        .putLong(count == 0 ? 0 : maxAt)
        .putLong(count == 0 ? 0 : tail.getLong(0)).putLong(count == 0 ? 0 : tail.getLong((count - 1) * RECORD))
        .putLong(purposes.size());
    out.position(HEADER);
    long[] byCustomer = new long[count];
    int staffPos = HEADER + count * RECORD;
    int sliceStart = 0;
    long sliceMin = Long.MAX_VALUE;
    long sliceMax = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      int from = (int) byStaff[i] * RECORD;
      out.put(i * RECORD + HEADER, tail, from, RECORD);
      long packed = tail.getLong(from + 32);
      out.putLong(i * RECORD + HEADER + 32, (packed & ~OFFSET_MASK) | localOffsets[i]);
      byCustomer[i] = ((long) tail.getInt(from + 24) << 32) | i;
      long at = tail.getLong(from + 8);
      sliceMin = Math.min(sliceMin, at);
      sliceMax = Math.max(sliceMax, at);
      int staff = (int) (byStaff[i] >>> 32);
      if (i == count - 1 || (int) (byStaff[i + 1] >>> 32) != staff) {
        out.putInt(staffPos, staff).putInt(staffPos + 4, sliceStart).putInt(staffPos + 8, i + 1 - sliceStart)
            .putInt(staffPos + 12, 0).putLong(staffPos + 16, sliceMin).putLong(staffPos + 24, sliceMax);
        staffPos += STAFF_ENTRY;
        sliceStart = i + 1;
        sliceMin = Long.MAX_VALUE;
        sliceMax = Long.MIN_VALUE;
      }
    }
    Arrays.sort(byCustomer);
    int customerPos = staffPos;
    for (long c : byCustomer) {
      out.putInt(customerPos, (int) (c >>> 32)).putInt(customerPos + 4, (int) c);
      customerPos += 8;
    }
    out.put(customerPos, purposes.toByteArray());
    out.position(0).limit(out.capacity());
    Files2.replace(path, out);
  }

  /** The purpose at {@code offset} in this segment's purposes: type and id (null when it has none). */
  String[] purpose(long offset) {
    if (offset < 0 || purposeBase + offset + 4 > map.capacity()) {
      throw new IllegalStateException("a segment of the access index is damaged; delete the index to rebuild it");
    }
    int at = purposeBase + (int) offset;
    int n = map.getInt(at);
    if (n < 0 || at + 4 + n > map.capacity()) {
      throw new IllegalStateException("a segment of the access index is damaged; delete the index to rebuild it");
    }
    Object[] last = lastPurpose;
    if ((Long) last[0] == offset) {
      return (String[]) last[1];
    }
    byte[] value = new byte[n];
    map.get(at + 4, value);
    String[] purpose = PurposeHeap.decode(value, 0, n);
    // A member of staff's records run under one purpose, and a scope reads them in order: remember the
    // last one decoded (an immutable pair, so concurrent readers at worst decode again).
    lastPurpose = new Object[] {offset, purpose};
    return purpose;
  }

  int records() {
    return records;
  }

  /** Whether any record may fall in {@code [from, to)}. */
  boolean overlaps(long from, long to) {
    return records > 0 && maxAt >= from && minAt < to;
  }

  /** Each record of {@code staff} with {@code from <= at < to}, in ledger order. */
  void forStaff(int staff, long from, long to, RecordSink sink) {
    int e = directoryEntry(staff);
    if (e < 0 || map.getLong(e + 24) < from || map.getLong(e + 16) >= to) {
      return;
    }
    int start = map.getInt(e + 4);
    int end = start + map.getInt(e + 8);
    for (int r = start; r < end; r++) {
      int o = HEADER + r * RECORD;
      long at = map.getLong(o + 8);
      if (at >= from && at < to) {
        sink.accept(map, o);
      }
    }
  }

  /**
   * Brings into memory the pages {@link #forStaff} will read for {@code staff} in {@code [from, to)}: the staff
   * directory, the member of staff's slice of records and the purposes that slice refers to. It reads nothing
   * the scope returns; it only turns the dependent page faults of a cold read into a few read-ahead requests
   * ({@link MappedByteBuffer#load}: {@code madvise(WILLNEED)}, then a touch of each page) that can run on
   * another thread, concurrently with other partitions'.
   */
  void prefetch(int staff, long from, long to) {
    if (records == 0 || !overlaps(from, to)) {
      return;
    }
    map.slice(staffBase, staffCount * STAFF_ENTRY).load();
    int e = directoryEntry(staff);
    if (e < 0 || map.getLong(e + 24) < from || map.getLong(e + 16) >= to) {
      return;
    }
    int start = map.getInt(e + 4);
    int count = map.getInt(e + 8);
    if (count <= 0 || start < 0 || (long) start + count > records) {
      return; // forStaff reads what is there; a damaged directory is its error to report, not this read-ahead's
    }
    map.slice(HEADER + start * RECORD, count * RECORD).load();
    // A slice's purposes are one run in the purposes area, in record order.
    long first = map.getLong(HEADER + start * RECORD + 32) & OFFSET_MASK;
    long last = map.getLong(HEADER + (start + count - 1) * RECORD + 32) & OFFSET_MASK;
    long begin = purposeBase + Math.min(first, last);
    long lastEntry = purposeBase + Math.max(first, last);
    if (lastEntry + 4 > map.capacity()) {
      return;
    }
    map.slice((int) begin, (int) (lastEntry + 4 - begin)).load();
    long end = Math.min(map.capacity(), lastEntry + 4 + Math.max(0, map.getInt((int) lastEntry)));
    map.slice((int) lastEntry, (int) (end - lastEntry)).load();
  }

  /** The offset of {@code staff}'s directory entry, or -1 when the partition has no record of theirs. */
  private int directoryEntry(int staff) {
    int lo = 0;
    int hi = staffCount - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int e = staffBase + mid * STAFF_ENTRY;
      int s = map.getInt(e);
      if (s < staff) {
        lo = mid + 1;
      } else if (s > staff) {
        hi = mid - 1;
      } else {
        return e;
      }
    }
    return -1;
  }

  /** Each record of {@code customer}, in ledger order. */
  void forCustomer(int customer, RecordSink sink) {
    int lo = 0;
    int hi = records;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (map.getInt(customerBase + mid * 8) < customer) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    int end = lo;
    while (end < records && map.getInt(customerBase + end * 8) == customer) {
      end++;
    }
    if (end == lo) {
      return;
    }
    // Records are grouped by staff, so one customer's are in ledger order only once sorted again.
    long[] order = new long[end - lo];
    for (int i = lo; i < end; i++) {
      int r = map.getInt(customerBase + i * 8 + 4);
      order[i - lo] = r;
    }
    Long[] boxed = new Long[order.length];
    for (int i = 0; i < order.length; i++) {
      boxed[i] = order[i];
    }
    Arrays.sort(boxed, (a, b) -> Long.compare(map.getLong(HEADER + (int) (long) a * RECORD),
        map.getLong(HEADER + (int) (long) b * RECORD)));
    for (Long r : boxed) {
      sink.accept(map, HEADER + (int) (long) r * RECORD);
    }
  }

  /** Calls {@code sink} with each record, in file order (staff by staff). */
  void forEach(RecordSink sink) {
    for (int r = 0; r < records; r++) {
      sink.accept(map, HEADER + r * RECORD);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
