package dev.custos.store.index;

import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.incident.Access;
import dev.custos.incident.AccessIndex;
import dev.custos.vault.Commitment;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access index on disk: every access of the ledger as one 40-byte record, in time partitions
 * with per-staff and per-customer posting lists, so that a scope reads only the slices of its
 * suspects in the partitions its window touches, however large the ledger.
 *
 * <h2>Layout ({@code <data>/index/})</h2>
 * <ul>
 *   <li>{@code staff.dict}, {@code session.dict}, {@code fields.dict}: the values records refer to
 *       by number (a field set is its field names and masks); {@code customers.dict}: the 32-byte
 *       commitments; {@code purpose.heap}: purposes (type and ticket or case id), referred to by
 *       offset since there are too many to hold in memory ({@link PurposeHeap}).</li>
 *   <li>{@code seg-<n>.cxs}: sealed, immutable {@link Segment segments}, one per day of accesses (a new
 *       one starts when an access falls on another day than the open partition's, or at
 *       {@value #MAX_PARTITION} records), each sorted by staff with a staff directory and a customer
 *       posting list; each knows its time range, so a window skips the segments outside it.</li>
 *   <li>{@code tail-<g>.log}: the open partition, records not yet sealed, each with a CRC32C; held in
 *       memory too.</li>
 *   <li>{@code state}: the commit point ({@link IndexState}), replaced atomically.</li>
 * </ul>
 * A record: ledger index (8), time in epoch nanoseconds (8), staff, session, customer and field-set
 * numbers (4 each), then the action (1) and the purpose's offset (7).
 *
 * <h2>Crash safety</h2>
 * {@link #append} writes dictionaries and tail records, forces them, then replaces the state; a
 * seal writes and forces the segment before the state names it. On open, bytes past the committed
 * lengths are cut off and files the state does not name are deleted, so the index resumes exactly
 * at its last committed ledger size: an entry is never counted twice nor skipped. A committed tail
 * that fails its checksums falls back to the last seal (the ledger is read again from there); any
 * other damage (state, a segment, a sealed dictionary entry) starts the index afresh. The ledger is
 * the source of truth; deleting the directory rebuilds the index from it.
 *
 * <h2>Reading on a cold page cache</h2>
 * A scope over a long window touches one slice per partition, and each slice is a few dependent
 * random reads (the staff directory, the records, their purposes). Done one partition after the
 * other they add up to seconds on a cold disk, so a scope first asks a small pool of read-ahead
 * threads ({@link #open(Path, int)}) to bring every slice of its window into memory, concurrently,
 * and decodes partition by partition in the same order as without it, each once its slice is in:
 * the read-ahead only changes when pages arrive, never what is read or in which order it is returned.
 *
 * <p>Times are held as epoch nanoseconds: years 1678 to 2261. Thread-safe; one process at a time
 * (a lock file); appends are serialised, reads run concurrently with each other.
 */
public final class FileAccessIndex implements AccessIndex, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FileAccessIndex.class);
  /** The most records a partition holds before it is sealed regardless of its day. */
  public static final int MAX_PARTITION = 1 << 22;
  /** The read-ahead threads {@link #open(Path)} starts: I/O requests in flight, not CPU (page faults block them). */
  public static final int DEFAULT_READ_AHEAD = 16;
  private static final int RECORD = Segment.RECORD;
  private static final int TAIL_RECORD = RECORD + 4;
  private static final long NANOS_PER_DAY = 86_400_000_000_000L;
  private static final String[] DICTIONARY_FILES = {"staff.dict", "session.dict", "fields.dict"};
  private static final long OFFSET_MASK = (1L << 56) - 1;
  private static final int STAFF = 0;
  private static final int SESSION = 1;
  private static final int FIELDS = 2;
  /** The slot of the state's counts that holds the purpose heap's length. */
  private static final int PURPOSE_SLOT = 3;

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
  /** Brings the partitions' slices a read needs into memory ahead of it, or null for none. */
  private final ExecutorService readAhead;
  /** Why the index is unusable (a failed append could not reload its last commit), or null. */
  private volatile String broken;

  private IndexState state;
  private Dictionary[] dictionaries;
  private Commitments commitments;
  private PurposeHeap purposes;
  private List<Segment> segments;
  private FileChannel tailLog;
  private ByteBuffer tail;
  private int tailCount;
  private int tailWritten;
  private long tailDay;

  private final List<StaffId> staffValues = new ArrayList<>();
  private final List<String> sessionValues = new ArrayList<>();
  private final List<Map<String, String>> fieldValues = new ArrayList<>();
  // The write path's shortcuts past encoding: the same values as the dictionaries, by their objects.
  private final Map<String, Integer> staffIds = new java.util.HashMap<>();
  private final Map<String, Integer> sessionIds = new java.util.HashMap<>();
  /** Per staff number, the last purpose written (its key and offset): consecutive accesses share it. */
  private final Map<Integer, Object[]> lastPurpose = new java.util.HashMap<>();
  private final Map<Map<String, String>, Integer> fieldIds = new java.util.HashMap<>();

  private FileAccessIndex(Path dir, FileChannel lockChannel, FileLock lock, int readAheadThreads) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
    if (readAheadThreads == 0) {
      this.readAhead = null;
    } else {
      AtomicInteger n = new AtomicInteger();
      // Platform threads: a page fault blocks the carrier, so virtual threads would add no parallelism.
      this.readAhead = Executors.newFixedThreadPool(readAheadThreads, r -> {
        Thread t = new Thread(r, "access-index-read-ahead-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
  }

  /**
   * Opens (or creates) the index in {@code dir}, recovering from an interrupted write as the class
   * contract says.
   *
   * @throws IllegalStateException when another process holds the index open
   * @throws UncheckedIOException when the directory cannot be read or written
   */
  public static FileAccessIndex open(Path dir) {
    return open(dir, DEFAULT_READ_AHEAD);
  }

  /**
   * Opens (or creates) the index in {@code dir} as {@link #open(Path)} does, reading ahead on
   * {@code readAheadThreads} threads (0: none, each read faults its pages in one after the other).
   *
   * @throws IllegalArgumentException when {@code readAheadThreads} is negative or above 256
   */
  public static FileAccessIndex open(Path dir, int readAheadThreads) {
    if (readAheadThreads < 0 || readAheadThreads > 256) {
      throw new IllegalArgumentException("read-ahead threads must be 0 to 256, not " + readAheadThreads);
    }
    try {
      Files.createDirectories(dir);
      FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        ch.close();
        throw new IllegalStateException("the access index in " + dir + " is open in another process or already here");
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
      if (lock == null) {
        ch.close();
        throw new IllegalStateException("the access index in " + dir + " is open in another process or already here");
      }
      FileAccessIndex index;
      try {
        index = new FileAccessIndex(dir, ch, lock, readAheadThreads);
      } catch (RuntimeException e) {
        lock.release();
        ch.close();
        throw e;
      }
      try {
        index.recover();
      } catch (IOException | RuntimeException e) {
        index.close();
        throw e;
      }
      return index;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the access index in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void recover() throws IOException {
    Optional<IndexState> saved;
    try {
      saved = IndexState.read(dir.resolve("state"));
    } catch (CorruptIndexException e) {
      log.warn("access index {}: {}; rebuilding it from the ledger", dir, e.getMessage());
      saved = Optional.empty();
    }
    if (saved.isPresent()) {
      try {
        load(saved.get());
        return;
      } catch (CorruptIndexException e) {
        closeFiles();
        log.warn("access index {}: {}; falling back to its last sealed partition", dir, e.getMessage());
      }
      try {
        IndexState back = saved.get().sealedOnly();
        load(back);
        back.write(dir.resolve("state"));
        return;
      } catch (CorruptIndexException e) {
        closeFiles();
        log.warn("access index {}: {}; rebuilding it from the ledger", dir, e.getMessage());
      }
    }
    wipe();
    IndexState fresh = IndexState.empty();
    load(fresh);
    fresh.write(dir.resolve("state"));
  }

  private void wipe() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        if (!p.getFileName().toString().equals("lock")) {
          Files.delete(p);
        }
      }
    }
  }

  private void load(IndexState s) throws IOException {
    staffIds.clear();
    sessionIds.clear();
    lastPurpose.clear();
    fieldIds.clear();
    staffValues.clear();
    sessionValues.clear();
    fieldValues.clear();
    dictionaries = new Dictionary[DICTIONARY_FILES.length];
    segments = new ArrayList<>();
    for (int i = 0; i < DICTIONARY_FILES.length; i++) {
      dictionaries[i] = Dictionary.open(dir.resolve(DICTIONARY_FILES[i]), s.dictCounts()[i], s.dictLengths()[i]);
    }
    purposes = PurposeHeap.open(dir.resolve(heapName(s.tailGeneration())), s.dictLengths()[PURPOSE_SLOT]);
    for (int i = 0; i < DICTIONARY_FILES.length; i++) {
      for (int id = 0; id < dictionaries[i].count(); id++) {
        decodeValue(i, dictionaries[i].value(id));
      }
    }
    commitments = Commitments.open(dir.resolve("customers.dict"), s.customers());
    for (int seq : s.segments()) {
      Path p = dir.resolve(segmentName(seq));
      if (!Files.exists(p)) {
        throw new CorruptIndexException(p.getFileName() + " is missing");
      }
      segments.add(Segment.open(p));
    }
    Path tailPath = dir.resolve(tailName(s.tailGeneration()));
    tailLog = FileChannel.open(tailPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    long length = (long) s.tailCount() * TAIL_RECORD;
    if (tailLog.size() < length) {
      throw new CorruptIndexException(tailPath.getFileName() + " is shorter than the index committed");
    }
    tailLog.truncate(length);
    ByteBuffer raw = ByteBuffer.allocate(Math.toIntExact(length));
    Files2.readFully(tailLog, raw, 0);
    tail = ByteBuffer.allocate(Math.max(1024, s.tailCount()) * RECORD);
    CRC32C crc = new CRC32C();
    for (int i = 0; i < s.tailCount(); i++) {
      crc.reset();
      crc.update(raw.array(), i * TAIL_RECORD, RECORD);
      if ((int) crc.getValue() != raw.getInt(i * TAIL_RECORD + RECORD)) {
        throw new CorruptIndexException(tailPath.getFileName() + " has a bad checksum at record " + i);
      }
      checkReferences(raw, i * TAIL_RECORD, tailPath);
      tail.put(i * RECORD, raw, i * TAIL_RECORD, RECORD);
    }
    tailLog.position(length);
    tailCount = s.tailCount();
    tailWritten = tailCount;
    tailDay = tailCount == 0 ? Long.MIN_VALUE : Math.floorDiv(tail.getLong(8), NANOS_PER_DAY);
    state = s;
    removeUnnamedFiles(s);
  }

  private void checkReferences(ByteBuffer b, int o, Path file) throws CorruptIndexException {
    if (b.getInt(o + 16) >= dictionaries[STAFF].count() || b.getInt(o + 20) >= dictionaries[SESSION].count()
        || b.getInt(o + 24) >= commitments.count() || b.getInt(o + 28) >= dictionaries[FIELDS].count()
        || (b.getLong(o + 32) & OFFSET_MASK) >= purposes.length() || (b.getLong(o + 32) >>> 56) > 3) {
      throw new CorruptIndexException(file.getFileName() + " refers to a value its dictionaries do not hold");
    }
  }

  private void removeUnnamedFiles(IndexState s) throws IOException {
    Set<String> named = new HashSet<>(List.of(DICTIONARY_FILES));
    named.add("customers.dict");
    named.add(heapName(s.tailGeneration()));
    named.add("state");
    named.add("lock");
    named.add(tailName(s.tailGeneration()));
    s.segments().forEach(n -> named.add(segmentName(n)));
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        if (!named.contains(p.getFileName().toString())) {
          Files.delete(p);
        }
      }
    }
  }

  private static String segmentName(int seq) {
    return String.format("seg-%08d.cxs", seq);
  }

  private static String heapName(long generation) {
    return "purpose-" + generation + ".heap";
  }

  private static String tailName(long generation) {
    return "tail-" + generation + ".log";
  }

  /**
   * Adds {@code accesses} (those of the ledger entries from {@link #coveredSize()} up to
   * {@code coveredSize}, in ledger order) and commits the index as covering {@code coveredSize}.
   * Durable when it returns.
   *
   * @throws IllegalArgumentException when an access lies outside {@code [coveredSize(), coveredSize)}
   *     or out of ledger order, or {@code coveredSize} is below {@link #coveredSize()}; nothing is added
   */
  public void append(List<Access> accesses, long coveredSize) {
    rw.writeLock().lock();
    requireUsable();
    long coveredBefore = state.covered();
    int tailBefore = tailCount;
    try {
      long covered = state.covered();
      if (coveredSize < covered) {
        throw new IllegalArgumentException("the index covers " + covered + " entries already, not " + coveredSize);
      }
      long previous = covered;
      for (Access a : accesses) {
        if (a.ledgerIndex() < previous || a.ledgerIndex() >= coveredSize) {
          throw new IllegalArgumentException("access at ledger index " + a.ledgerIndex() + " is outside ["
              + previous + ", " + coveredSize + ") or out of ledger order");
        }
        nanos(a.at());
        previous = a.ledgerIndex();
      }
      long lastIndex = -1;
      for (Access a : accesses) {
        long at = nanos(a.at());
        long day = Math.floorDiv(at, NANOS_PER_DAY);
        boolean boundary = a.ledgerIndex() != lastIndex;
        if (boundary && tailCount > 0 && (day != tailDay || tailCount >= MAX_PARTITION)) {
          seal(a.ledgerIndex());
        }
        if (tailCount == 0) {
          tailDay = day;
        }
        add(a, at);
        lastIndex = a.ledgerIndex();
      }
      commit(coveredSize);
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException && state.covered() == coveredBefore && tailCount == tailBefore) {
        throw (IllegalArgumentException) e; // refused before anything was added
      }
      // What this append added in memory is not committed: back to what the disk says, so the
      // indexer's retry from coveredSize() neither skips nor counts twice.
      closeFiles();
      try {
        recover();
      } catch (IOException | RuntimeException again) {
        e.addSuppressed(again);
        broken = "a failed append could not reload the last commit (" + again + "); reopen the index";
      }
      throw e instanceof IOException io
          ? new UncheckedIOException("the access index in " + dir + " could not be written: " + io.getMessage(), io)
          : (RuntimeException) e;
    } finally {
      rw.writeLock().unlock();
    }
  }

  private void add(Access a, long at) throws IOException {
    if ((tailCount + 1) * RECORD > tail.capacity()) {
      // A partition is sealed only between entries, so a search's accesses may take it past MAX_PARTITION.
      ByteBuffer bigger = ByteBuffer.allocate(Math.toIntExact(Math.max((long) tail.capacity() * 2,
          (long) (tailCount + 1) * RECORD)));
      bigger.put(0, tail, 0, tailCount * RECORD);
      tail = bigger;
    }
    int o = tailCount * RECORD;
    tail.putLong(o, a.ledgerIndex()).putLong(o + 8, at)
        .putInt(o + 16, staffIds.computeIfAbsent(a.staff().value(), v -> idOf(STAFF, utf8(v))))
        .putInt(o + 20, sessionIds.computeIfAbsent(a.session(), v -> idOf(SESSION, utf8(v))))
        .putInt(o + 24, commitments.idOf(a.customer()))
        .putInt(o + 28, fieldIds.computeIfAbsent(a.fields(), f -> idOf(FIELDS, fields(f))))
        .putLong(o + 32, ((long) actionCode(a.action()) << 56) | purposeOffset(tail.getInt(o + 16), a));
    tailCount++;
  }

  private long purposeOffset(int staff, Access a) throws IOException {
    String key = a.purposeId().map(id -> "1" + a.purposeType().length() + ":" + a.purposeType() + id)
        .orElse("0" + a.purposeType());
    Object[] last = lastPurpose.get(staff);
    if (last != null && last[0].equals(key)) {
      return (Long) last[1];
    }
    long offset = purposes.append(purpose(a.purposeType(), a.purposeId()));
    lastPurpose.put(staff, new Object[] {key, offset});
    return offset;
  }

  private int idOf(int dictionary, byte[] value) {
    Dictionary d = dictionaries[dictionary];
    int before = d.count();
    int id = d.idOf(value);
    if (d.count() > before) {
      decodeValue(dictionary, value);
    }
    return id;
  }

  /** Writes the tail's new records and the dictionaries, forces them, then commits the state. */
  private void commit(long covered) throws IOException {
    for (Dictionary d : dictionaries) {
      d.flush();
    }
    purposes.flush();
    commitments.flush();
    if (tailWritten < tailCount) {
      ByteBuffer out = ByteBuffer.allocate((tailCount - tailWritten) * TAIL_RECORD);
      CRC32C crc = new CRC32C();
      for (int i = tailWritten; i < tailCount; i++) {
        crc.reset();
        crc.update(tail.array(), i * RECORD, RECORD);
        out.put(tail.array(), i * RECORD, RECORD).putInt((int) crc.getValue());
      }
      out.flip();
      Files2.writeFully(tailLog, out);
      tailLog.force(false);
      tailWritten = tailCount;
    }
    IndexState next = new IndexState(covered, state.tailGeneration(), tailCount, state.segments(),
        state.nextSegment(), dictCounts(), dictLengths(), commitments.count(), state.sealed());
    next.write(dir.resolve("state"));
    state = next;
  }

  /** Seals the tail into a segment; the index then covers the ledger below {@code covered}. */
  private void seal(long covered) throws IOException {
    for (Dictionary d : dictionaries) {
      d.flush();
    }
    purposes.flush();
    commitments.flush();
    int seq = state.nextSegment();
    Path path = dir.resolve(segmentName(seq));
    Segment.write(path, tail, tailCount, purposes.readAll());
    Segment segment = Segment.open(path);
    List<Integer> names = new ArrayList<>(state.segments());
    names.add(seq);
    long generation = state.tailGeneration() + 1;
    int[] counts = dictCounts();
    long[] lengths = dictLengths();
    lengths[PURPOSE_SLOT] = 0; // the next tail starts its own purpose heap
    IndexState next = new IndexState(covered, generation, 0, names, seq + 1, counts, lengths, commitments.count(),
        new IndexState.Sealed(covered, counts.clone(), lengths.clone(), commitments.count()));
    FileChannel newTail = null;
    PurposeHeap newHeap = null;
    try {
      newTail = FileChannel.open(dir.resolve(tailName(generation)), StandardOpenOption.CREATE,
          StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      Files.deleteIfExists(dir.resolve(heapName(generation)));
      newHeap = PurposeHeap.open(dir.resolve(heapName(generation)), 0);
      next.write(dir.resolve("state"));
    } catch (IOException | RuntimeException e) {
      if (newTail != null) {
        newTail.close();
      }
      if (newHeap != null) {
        newHeap.close();
      }
      segment.close();
      throw e;
    }
    tailLog.close();
    purposes.close();
    Files.deleteIfExists(dir.resolve(tailName(state.tailGeneration())));
    Files.deleteIfExists(dir.resolve(heapName(state.tailGeneration())));
    tailLog = newTail;
    purposes = newHeap;
    lastPurpose.clear();
    segments.add(segment);
    state = next;
    tailCount = 0;
    tailWritten = 0;
  }

  private int[] dictCounts() {
    int[] c = new int[IndexState.DICTIONARIES];
    for (int i = 0; i < DICTIONARY_FILES.length; i++) {
      c[i] = dictionaries[i].count();
    }
    return c;
  }

  private long[] dictLengths() {
    long[] c = new long[IndexState.DICTIONARIES];
    for (int i = 0; i < DICTIONARY_FILES.length; i++) {
      c[i] = dictionaries[i].length();
    }
    c[PURPOSE_SLOT] = purposes.length();
    return c;
  }

  @Override
  public void byStaff(Set<StaffId> staff, Instant from, Instant to, Consumer<Access> sink) {
    Objects.requireNonNull(sink, "sink");
    rw.readLock().lock();
    try {
      forStaff(staff, from, to, (segment, b, o) -> sink.accept(decode(segment, b, o)));
    } finally {
      rw.readLock().unlock();
    }
  }

  /** The records of {@code staff} in the window, staff by staff in value order, each in ledger order. */
  private void requireUsable() {
    if (broken != null) {
      rw.writeLock().unlock();
      throw new IllegalStateException("the access index in " + dir + " is unusable: " + broken);
    }
  }

  private void requireUsableForRead() {
    if (broken != null) {
      throw new IllegalStateException("the access index in " + dir + " is unusable: " + broken);
    }
  }

  private void forStaff(Set<StaffId> staff, Instant from, Instant to, SegmentSink sink) {
    requireUsableForRead();
    long lo = saturatedNanos(from);
    long hi = saturatedNanos(to);
    TreeSet<String> sorted = new TreeSet<>();
    staff.forEach(s -> sorted.add(s.value()));
    List<Integer> ids = new ArrayList<>();
    for (String s : sorted) {
      int id = find(STAFF, utf8(s));
      if (id >= 0) {
        ids.add(id);
      }
    }
    // The slices in the order they are decoded below, each read ahead by the pool.
    List<Future<?>> ahead = new ArrayList<>();
    if (readAhead != null) {
      submit:
      for (int id : ids) {
        for (Segment segment : segments) {
          if (segment.overlaps(lo, hi)) {
            try {
              ahead.add(readAhead.submit(() -> segment.prefetch(id, lo, hi)));
            } catch (RejectedExecutionException e) {
              ahead.forEach(f -> f.cancel(false));
              ahead.clear();
              break submit; // closing: the read goes on without read-ahead
            }
          }
        }
      }
    }
    try {
      decodeStaff(ids, lo, hi, ahead, sink);
    } finally {
      for (Future<?> f : ahead) {
        if (!f.cancel(false)) {
          awaitQuietly(f); // none still touches a segment once the read lock is released
        }
      }
    }
  }

  private void decodeStaff(List<Integer> ids, long lo, long hi, List<Future<?>> ahead,
      SegmentSink sink) {
    int next = 0;
    for (int id : ids) {
      for (Segment segment : segments) {
        if (segment.overlaps(lo, hi)) {
          if (!ahead.isEmpty()) {
            awaitQuietly(ahead.get(next++));
          }
          segment.forStaff(id, lo, hi, (b, o) -> sink.accept(segment, b, o));
        }
      }
      for (int r = 0; r < tailCount; r++) {
        int o = r * RECORD;
        long at = tail.getLong(o + 8);
        if (tail.getInt(o + 16) == id && at >= lo && at < hi) {
          sink.accept(null, tail, o);
        }
      }
    }
  }

  /**
   * Waits for a read-ahead; its failure is not the read's (the read then faults the pages in itself and
   * reports any damage it finds).
   */
  private static void awaitQuietly(Future<?> f) {
    boolean interrupted = false;
    while (true) {
      try {
        f.get();
        break;
      } catch (CancellationException | ExecutionException e) {
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void byCustomer(Commitment customer, Consumer<Access> sink) {
    Objects.requireNonNull(sink, "sink");
    rw.readLock().lock();
    try {
      requireUsableForRead();
      int id = commitments.find(customer);
      if (id < 0) {
        return;
      }
      for (Segment segment : segments) {
        segment.forCustomer(id, (b, o) -> sink.accept(decode(segment, b, o)));
      }
      for (int r = 0; r < tailCount; r++) {
        if (tail.getInt(r * RECORD + 24) == id) {
          sink.accept(decode(null, tail, r * RECORD));
        }
      }
    } finally {
      rw.readLock().unlock();
    }
  }

  @Override
  public long distinctCustomers(StaffId staff, Instant from, Instant to) {
    rw.readLock().lock();
    try {
      BitSet seen = new BitSet(commitments.count());
      forStaff(Set.of(staff), from, to, (segment, b, o) -> seen.set(b.getInt(o + 24)));
      return seen.cardinality();
    } finally {
      rw.readLock().unlock();
    }
  }

  @Override
  public long distinctCustomers() {
    rw.readLock().lock();
    try {
      return commitments.count();
    } finally {
      rw.readLock().unlock();
    }
  }

  @Override
  public Set<StaffId> staff() {
    rw.readLock().lock();
    try {
      TreeSet<StaffId> sorted = new TreeSet<>((a, b) -> a.value().compareTo(b.value()));
      sorted.addAll(staffValues);
      return Collections.unmodifiableSet(sorted);
    } finally {
      rw.readLock().unlock();
    }
  }

  @Override
  public long coveredSize() {
    rw.readLock().lock();
    try {
      return state.covered();
    } finally {
      rw.readLock().unlock();
    }
  }

  /** How many accesses the index holds. */
  public long accesses() {
    rw.readLock().lock();
    try {
      long n = tailCount;
      for (Segment s : segments) {
        n += s.records();
      }
      return n;
    } finally {
      rw.readLock().unlock();
    }
  }

  /** How many sealed partitions the index holds. */
  public int partitions() {
    rw.readLock().lock();
    try {
      return segments.size();
    } finally {
      rw.readLock().unlock();
    }
  }

  /** The directory the index lives in. */
  public Path directory() {
    return dir;
  }

  private int find(int dictionary, byte[] value) {
    return dictionaries[dictionary].find(value);
  }

  /** A record of {@code segment}, or of the tail when it is null. */
  private interface SegmentSink {
    void accept(Segment segment, ByteBuffer records, int offset);
  }

  private Access decode(Segment segment, ByteBuffer b, int o) {
    long packed = b.getLong(o + 32);
    String[] purpose = segment == null ? purposes.read(packed & OFFSET_MASK) : segment.purpose(packed & OFFSET_MASK);
    long at = b.getLong(o + 8);
    return new Access(b.getLong(o), Instant.ofEpochSecond(Math.floorDiv(at, 1_000_000_000L),
        Math.floorMod(at, 1_000_000_000L)), staffValues.get(b.getInt(o + 16)), sessionValues.get(b.getInt(o + 20)),
        action((byte) (packed >>> 56)), commitments.get(b.getInt(o + 24)), purpose[0], Optional.ofNullable(purpose[1]),
        fieldValues.get(b.getInt(o + 28)));
  }

  private void decodeValue(int dictionary, byte[] value) {
    switch (dictionary) {
      case STAFF -> staffValues.add(new StaffId(new String(value, StandardCharsets.UTF_8)));
      case SESSION -> sessionValues.add(new String(value, StandardCharsets.UTF_8));
      default -> {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(value))) {
          int n = in.readInt();
          Map<String, String> fields = new TreeMap<>();
          for (int i = 0; i < n; i++) {
            fields.put(in.readUTF(), in.readUTF());
          }
          fieldValues.add(Map.copyOf(fields));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private static byte[] purpose(String type, Optional<String> id) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(type);
      out.writeBoolean(id.isPresent());
      if (id.isPresent()) {
        out.writeUTF(id.get());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] fields(Map<String, String> fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(fields.size());
      for (Map.Entry<String, String> e : new TreeMap<>(fields).entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte actionCode(Action action) {
    return switch (action) {
      case VIEW -> 0;
      case REVEAL -> 1;
      case SEARCH -> 2;
      case BREAK_GLASS -> 3;
    };
  }

  private static Action action(byte code) {
    return switch (code) {
      case 0 -> Action.VIEW;
      case 1 -> Action.REVEAL;
      case 2 -> Action.SEARCH;
      case 3 -> Action.BREAK_GLASS;
      default -> throw new IllegalStateException("action code " + code + " in the access index");
    };
  }

  /** Epoch nanoseconds of an access time. */
  private static long nanos(Instant at) {
    try {
      return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("access time " + at + " is outside the years the index holds (1678-2261)");
    }
  }

  /** Epoch nanoseconds of a window bound, clamped to what a long holds. */
  private static long saturatedNanos(Instant at) {
    Objects.requireNonNull(at, "window bound");
    if (at.getEpochSecond() >= Long.MAX_VALUE / 1_000_000_000L) {
      return Long.MAX_VALUE;
    }
    if (at.getEpochSecond() <= Long.MIN_VALUE / 1_000_000_000L) {
      return Long.MIN_VALUE;
    }
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }

  private void closeFiles() {
    List<AutoCloseable> open = new ArrayList<>();
    if (dictionaries != null) {
      open.addAll(java.util.Arrays.stream(dictionaries).filter(Objects::nonNull).toList());
    }
    if (commitments != null) {
      open.add(commitments);
    }
    if (purposes != null) {
      open.add(purposes);
    }
    if (segments != null) {
      open.addAll(segments);
    }
    if (tailLog != null) {
      open.add(tailLog);
    }
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("while closing the access index: {}", e.getMessage());
      }
    }
    dictionaries = null;
    commitments = null;
    purposes = null;
    segments = null;
    tailLog = null;
  }

  /** Closes the files and releases the lock; committed accesses stay. */
  @Override
  public void close() {
    rw.writeLock().lock();
    try {
      if (readAhead != null) {
        readAhead.shutdownNow();
      }
      try {
        closeFiles();
      } catch (RuntimeException e) {
        log.warn("while closing the access index: {}", e.toString());
      }
      try {
        lock.release();
      } catch (IOException e) {
        log.warn("while releasing the access index lock: {}", e.getMessage());
      }
      try {
        lockChannel.close();
      } catch (IOException e) {
        log.warn("while closing the access index lock: {}", e.getMessage());
      }
    } finally {
      rw.writeLock().unlock();
    }
  }
}
