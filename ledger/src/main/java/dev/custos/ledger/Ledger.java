package dev.custos.ledger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An append-only, tamper-evident Merkle log stored in the C2SP tlog-tiles layout under one
 * directory, with checkpoints signed as C2SP signed notes.
 *
 * <p>Writes go through three phases:
 * <ol>
 *   <li><b>Sequence.</b> {@link #append} hands the entry to a single sequencer thread, which writes
 *       all waiting entries as checksummed write-ahead records and forces them with one
 *       {@code fdatasync} (group commit). Only then are indices assigned and receipts returned.</li>
 *   <li><b>Integrate.</b> A background integrator adds durable entries to the tree as they come and
 *       writes every full entry bundle and hash tile by temporary file, force and rename; while too
 *       many durable entries wait for it, the sequencer takes no new appends (backpressure).</li>
 *   <li><b>Publish.</b> On the publish timer, the partial bundle and tiles are written, every write
 *       is awaited and its directory forced, and only then is a checkpoint over the integrated tree
 *       signed and written the same way.</li>
 * </ol>
 *
 * <p>Contracts:
 * <ul>
 *   <li>{@link #append} MUST NOT return a receipt before the entry's record is on stable storage;
 *       if it throws, the caller MUST treat the entry as not recorded.</li>
 *   <li>A published checkpoint MUST NOT cover an entry that is not durable: only entries whose
 *       records were forced are handed to integration, and the checkpoint is written only after
 *       their tiles are forced.</li>
 *   <li>After an I/O error while sequencing or integrating, the ledger fails closed: every later
 *       append throws until it is reopened (a failed {@code fsync} leaves durability unknown).</li>
 *   <li>One process at a time: the directory is locked while open.</li>
 * </ul>
 */
public final class Ledger implements AutoCloseable {

    /** The largest entry a ledger holds: the uint16 length prefix of C2SP entry bundles. */
    public static final int MAX_ENTRY_BYTES = Wal.MAX_ENTRY;

    private static final System.Logger LOG = System.getLogger(Ledger.class.getName());
    static final String VKEY_FILE = "ledger.vkey";
    static final String LOCK_FILE = "lock";
    private static final int MAX_BATCH = 8192;
    /** Durable entries the background integrator waits for before it takes them (or {@link #INTEGRATE_EVERY_NANOS}). */
    private static final int INTEGRATE_AT = 4096;
    private static final long INTEGRATE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /**
     * Backpressure: with this much handed off and not yet taken by the integrator (about 280,000
     * entries of 200 bytes), the sequencer stops taking new appends until the integrator catches up,
     * so that the ledger never accepts appends faster than it can put them in tiles for long, and
     * the heap it needs stays bounded.
     */
    static final long MAX_BACKLOG_BYTES = 64L << 20;
    /** The chunks an integrated hand-off keeps for reuse: a take's worth at about a million appends a second. */
    private static final long SPARE_HANDOFF_BYTES = 4L << 20;

    private final Path dir;
    private final LedgerOptions options;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Wal wal;
    private final Integrator integrator;
    private final TileReader reader;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread sequencer;
    private final Thread integrating;
    private volatile boolean stopIntegrating;
    private final long maxBacklogBytes;
    private long mostBacklogBytes;
    private final ScheduledExecutorService publisher;
    private final ExecutorService completer;
    private final Object handoffLock = new Object();
    private final Object publishLock = new Object();
    private Handoff handoff = new Handoff();
    /** An integrated hand-off, cleared, whose chunks the next {@link #takeHandoff} reuses; or null. */
    private Handoff spare;
    private volatile long durableSize;
    private volatile SignedCheckpoint latest;
    private volatile LedgerException failure;
    private volatile boolean closed;
    private final long droppedBytesAtOpen;

    /**
     * Entries waiting for the sequencer, and the future of the first one's index. One object per
     * call: a single append carries its entry and leaf hash without lists or {@code Hash} objects
     * (this runs once per append at hundreds of thousands of appends a second).
     */
    private static final class Pending extends CompletableFuture<Long> {
        /** The entry of a single append, or null. */
        private final byte[] single;
        /** The entries of a batch append, or null. */
        private final List<byte[]> many;
        /** The leaf hashes, {@value Hash#SIZE} bytes each, in order. */
        private final byte[] leaves;

        Pending(byte[] single, List<byte[]> many, byte[] leaves) {
            this.single = single;
            this.many = many;
            this.leaves = leaves;
        }

        int count() {
            return many == null ? 1 : many.size();
        }

        byte[] entry(int i) {
            return many == null ? single : many.get(i);
        }
    }

    private static final Pending STOP = new Pending(null, List.of(), new byte[0]);

    private Ledger(Path dir, LedgerOptions options, long maxBacklogBytes, FileChannel lockChannel, FileLock lock,
                   Wal.Recovery recovery,
                   Integrator integrator, SignedCheckpoint latest) {
        this.dir = dir;
        this.options = options;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.wal = recovery.wal();
        this.droppedBytesAtOpen = recovery.droppedBytes();
        this.maxBacklogBytes = maxBacklogBytes;
        this.integrator = integrator;
        this.latest = latest;
        this.reader = TileReader.ofDirectory(dir);
        this.durableSize = wal.nextIndex();
        this.sequencer = Thread.ofPlatform().name("custos-ledger-sequencer").daemon().unstarted(this::runSequencer);
        this.integrating = options.publishInterval().isZero() ? null
                : Thread.ofPlatform().name("custos-ledger-integrator").daemon().unstarted(this::runIntegrator);
        this.completer = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("custos-ledger-completer").daemon().factory());
        this.publisher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("custos-ledger-publisher").daemon().factory());
    }

    /**
     * Opens (creating if needed) the ledger in {@code dir}: locks it, checks the published verifier
     * key, verifies the checkpoint and the tiles it covers, recovers the write-ahead log (cutting a
     * torn tail), integrates what the checkpoint does not yet cover, and publishes.
     *
     * @throws LedgerException if the directory is locked by another process, was written with
     *     another key or origin, or its stored state does not match its checkpoint
     */
    public static Ledger open(Path dir, LedgerOptions options) throws LedgerException {
        return open(dir, options, MAX_BACKLOG_BYTES);
    }

    /** {@link #open(Path, LedgerOptions)} with another backpressure bound (for tests). */
    static Ledger open(Path dir, LedgerOptions options, long maxBacklogBytes) throws LedgerException {
        FileChannel lockChannel = null;
        Wal.Recovery recovery = null;
        Integrator integrator = null;
        try {
            Set<Path> created = new HashSet<>();
            DurableFiles.createDirectories(dir.toAbsolutePath(), created);
            DurableFiles.syncDirectories(created);
            lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new LedgerException("ledger directory " + dir + " is in use by another process or ledger");
            }
            NoteVerifier verifier = options.signer().verifier();
            checkVerifierKey(dir, verifier);
            SignedCheckpoint cp = readCheckpoint(dir, options, verifier);
            long cpSize = cp == null ? 0 : cp.checkpoint().size();
            integrator = cp == null ? Integrator.empty(dir)
                    : Integrator.restore(dir, cpSize, cp.checkpoint().rootHash());
            recovery = Wal.open(dir.resolve("wal"), cpSize, options.walSegmentBytes());
            List<byte[]> entries = recovery.entries();
            if (!entries.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "ledger {0}: integrating {1} entries after checkpoint size {2}",
                        dir, entries.size(), cpSize);
                integrator.integrate(Handoff.of(entries));
            }
            Ledger ledger = new Ledger(dir, options, maxBacklogBytes, lockChannel, lock, recovery, integrator, cp);
            ledger.publishIntegrated();
            ledger.sequencer.start();
            if (ledger.integrating != null) {
                ledger.integrating.start();
            }
            if (!options.publishInterval().isZero()) {
                long ms = Math.max(1, options.publishInterval().toMillis());
                ledger.publisher.scheduleWithFixedDelay(ledger::publishQuietly, ms, ms, TimeUnit.MILLISECONDS);
            }
            return ledger;
        } catch (IOException | RuntimeException e) {
            closeQuietly(recovery == null ? null : recovery.wal());
            closeQuietly(integrator);
            closeQuietly(lockChannel);
            if (e instanceof LedgerException le) {
                throw le;
            }
            throw new LedgerException("cannot open ledger " + dir + ": " + e, e);
        }
    }

    /**
     * Appends one entry and returns once it is durable.
     *
     * @param entry 1 to 65,535 bytes
     * @throws IllegalArgumentException if the entry is empty or too long
     * @throws LedgerException if the ledger is closed or failed, or the thread was interrupted; the
     *     entry MUST then be treated as not recorded (it may or may not appear later)
     */
    public Receipt append(byte[] entry) throws LedgerException {
        return appendOne(entry, Long.MAX_VALUE);
    }

    /**
     * Appends entries at consecutive indices and returns once all are durable.
     *
     * @see #append(byte[])
     */
    public List<Receipt> appendAll(List<byte[]> entries) throws LedgerException {
        return appendAll(entries, Long.MAX_VALUE);
    }

    /**
     * {@link #append(byte[])}, waiting at most {@code timeout} for the entry to be durable.
     *
     * @throws LedgerException also when the entry was not durable within {@code timeout}; it MUST then
     *     be treated as not recorded (it may still appear later)
     */
    public Receipt append(byte[] entry, Duration timeout) throws LedgerException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the append timeout must be positive");
        }
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        return appendOne(entry, nanos);
    }

    private Receipt appendOne(byte[] entry, long timeoutNanos) throws LedgerException {
        checkEntry(entry);
        byte[] copy = entry.clone();
        byte[] leaf = new byte[Hash.SIZE];
        Merkle.leafHash(copy, leaf, 0);
        // The receipt's hash shares the array with the pending append; neither ever changes it.
        return new Receipt(enqueueAndAwait(new Pending(copy, null, leaf), timeoutNanos), Hash.wrap(leaf));
    }

    private List<Receipt> appendAll(List<byte[]> entries, long timeoutNanos) throws LedgerException {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<byte[]> copies = new ArrayList<>(entries.size());
        byte[] leaves = new byte[entries.size() * Hash.SIZE];
        for (byte[] e : entries) {
            checkEntry(e);
            byte[] copy = e.clone();
            Merkle.leafHash(copy, leaves, copies.size() * Hash.SIZE);
            copies.add(copy);
        }
        long first = enqueueAndAwait(new Pending(null, copies, leaves), timeoutNanos);
        List<Receipt> receipts = new ArrayList<>(copies.size());
        for (int i = 0; i < copies.size(); i++) {
            receipts.add(new Receipt(first + i, Hash.copyOf(leaves, i * Hash.SIZE)));
        }
        return receipts;
    }

    private static void checkEntry(byte[] e) {
        if (e == null || e.length < 1 || e.length > Wal.MAX_ENTRY) {
            throw new IllegalArgumentException("ledger entries must be 1 to " + Wal.MAX_ENTRY + " bytes, got "
                    + (e == null ? "null" : e.length));
        }
    }

    /**
     * Queues entries for the sequencer and returns the first one's index once all are durable, waiting
     * at most {@code timeoutNanos} ({@code Long.MAX_VALUE}: without limit).
     */
    private long enqueueAndAwait(Pending p, long timeoutNanos) throws LedgerException {
        checkOpen();
        queue.add(p);
        if (closed && !sequencer.isAlive()) {
            p.completeExceptionally(new LedgerException("ledger " + dir + " is closed"));
        }
        try {
            return timeoutNanos == Long.MAX_VALUE ? p.get() : p.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new LedgerException("the entry was not durable within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; it is not acknowledged");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("interrupted while waiting for the ledger; the entry is not acknowledged");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LedgerException le ? le
                    : new LedgerException("ledger append failed: " + e.getCause(), e.getCause());
        }
    }

    /** The most recently published checkpoint; never covers undurable entries. */
    public SignedCheckpoint latestCheckpoint() {
        return latest;
    }

    /** The number of durable (acknowledged or acknowledgeable) entries; at least the checkpoint size. */
    public long durableSize() {
        return durableSize;
    }

    /**
     * Integrates every durable entry and publishes a signed checkpoint now, instead of waiting for
     * the timer.
     *
     * @return the checkpoint now published
     */
    public SignedCheckpoint publish() throws LedgerException {
        checkNotFailed();
        synchronized (publishLock) {
            // The background integrator fails under this lock: a failure it met while this call waited
            // is reported as itself, not as the integrator's refusal that follows it.
            checkNotFailed();
            Handoff entries = takeHandoff();
            try {
                if (entries.size() > 0) {
                    integrator.append(entries);
                }
                recycle(entries);
                integrator.flush();
                return publishIntegrated();
            } catch (LedgerException e) {
                fail(e);
                throw e;
            }
        }
    }

    /** An inclusion proof for {@code leafIndex} in the tree of {@code treeSize}, at most the latest checkpoint's size. */
    public InclusionProof inclusionProof(long leafIndex, long treeSize) throws LedgerException {
        return reader.inclusionProof(leafIndex, treeSize, publishedSize(treeSize));
    }

    /** A consistency proof between two tree sizes, at most the latest checkpoint's size. */
    public ConsistencyProof consistencyProof(long oldSize, long newSize) throws LedgerException {
        return reader.consistencyProof(oldSize, newSize, publishedSize(newSize));
    }

    /** The entry at {@code index}, which must be covered by the latest checkpoint. */
    public byte[] entry(long index) throws LedgerException {
        return reader.entry(index, publishedSize(index + 1));
    }

    /** A reader over this ledger's directory. */
    public TileReader reader() {
        return reader;
    }

    /** The verifier key checkpoints are signed with (also in {@code ledger.vkey}). */
    public NoteVerifier verifierKey() {
        return options.signer().verifier();
    }

    /** Bytes of torn write-ahead tail dropped when this ledger was opened. */
    long droppedBytesAtOpen() {
        return droppedBytesAtOpen;
    }

    Wal wal() {
        return wal;
    }

    /** The most heap that durable entries waiting for the integrator have held since open (for tests). */
    long mostBacklogBytes() {
        synchronized (handoffLock) {
            return mostBacklogBytes;
        }
    }

    /**
     * Stops accepting appends, lets every queued append finish, publishes a final checkpoint and
     * releases the directory.
     */
    @Override
    public synchronized void close() throws LedgerException {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            sequencer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued(new LedgerException("ledger " + dir + " is closed"));
        completer.close();
        if (integrating != null) {
            synchronized (handoffLock) {
                stopIntegrating = true;
                handoffLock.notifyAll();
            }
            try {
                integrating.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        publisher.shutdown();
        try {
            publisher.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LedgerException error = null;
        if (failure == null) {
            try {
                publish();
            } catch (LedgerException e) {
                error = e;
            }
        }
        closeQuietly(integrator);
        closeQuietly(wal);
        try {
            lock.release();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "releasing lock: {0}", e);
        }
        closeQuietly(lockChannel);
        if (error != null) {
            throw error;
        }
    }

    // ---- sequencer ----

    private void runSequencer() {
        List<Pending> batch = new ArrayList<>();
        List<byte[]> entries = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            awaitIntegrationBacklog();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            if (batch.remove(STOP)) {
                stop = true;
            }
            if (batch.isEmpty()) {
                continue;
            }
            for (Pending p : batch) {
                for (int i = 0, n = p.count(); i < n; i++) {
                    entries.add(p.entry(i));
                }
            }
            try {
                wal.append(entries);
            } catch (IOException | RuntimeException e) {
                LedgerException le = new LedgerException("ledger " + dir + " cannot write its write-ahead log: " + e, e);
                fail(le);
                batch.forEach(p -> p.completeExceptionally(le));
                failQueued(le);
                return;
            }
            long index = durableSize;
            synchronized (handoffLock) {
                for (Pending p : batch) {
                    for (int i = 0, n = p.count(); i < n; i++) {
                        handoff.add(p.entry(i), p.leaves, i * Hash.SIZE);
                    }
                }
                if (handoff.size() >= INTEGRATE_AT) {
                    handoffLock.notifyAll();
                }
                mostBacklogBytes = Math.max(mostBacklogBytes, handoff.bytes());
            }
            durableSize = index + entries.size();
            // Waking the appenders is handed to another thread so the next group's write and
            // fsync overlap with it.
            List<Pending> done = List.copyOf(batch);
            long firstOfBatch = index;
            completer.execute(() -> {
                long i = firstOfBatch;
                for (Pending p : done) {
                    p.complete(i);
                    i += p.count();
                }
            });
            batch.clear();
            entries.clear();
        }
    }

    /** Backpressure: waits while the integrator has too much to catch up on (unless it stopped or failed). */
    private void awaitIntegrationBacklog() {
        if (integrating == null) {
            return;
        }
        synchronized (handoffLock) {
            while (handoff.bytes() >= maxBacklogBytes && failure == null && !stopIntegrating) {
                try {
                    handoffLock.wait();
                } catch (InterruptedException e) {
                    // the sequencer is never interrupted on purpose; keep waiting
                }
            }
        }
    }

    private Handoff takeHandoff() {
        synchronized (handoffLock) {
            Handoff taken = handoff;
            handoff = spare != null ? spare : new Handoff();
            spare = null;
            handoffLock.notifyAll();
            return taken;
        }
    }

    /** Keeps an integrated hand-off's chunks for the next take (the integrator has copied what it needs). */
    private void recycle(Handoff integrated) {
        integrated.clear(SPARE_HANDOFF_BYTES);
        synchronized (handoffLock) {
            spare = integrated;
        }
    }

    // ---- integrator ----

    /**
     * Integrates durable entries as they arrive (every {@value #INTEGRATE_AT} entries or 20 ms),
     * so that bundles and tiles are written at an even pace between checkpoints instead of in one
     * burst per publish, which competed with the appenders for the CPU and the disk. It writes full
     * tiles only; {@link #publish} writes the partial ones, waits for every write and signs.
     */
    private void runIntegrator() {
        while (true) {
            synchronized (handoffLock) {
                long deadline = System.nanoTime() + INTEGRATE_EVERY_NANOS;
                long left;
                while (!stopIntegrating && handoff.size() < INTEGRATE_AT && (left = deadline - System.nanoTime()) > 0) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(handoffLock, left);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (stopIntegrating) {
                    return;
                }
            }
            synchronized (publishLock) {
                if (failure != null) {
                    return;
                }
                Handoff entries = takeHandoff();
                if (entries.size() == 0) {
                    continue;
                }
                try {
                    integrator.append(entries);
                    recycle(entries);
                } catch (LedgerException | RuntimeException e) {
                    fail(e instanceof LedgerException le ? le
                            : new LedgerException("ledger " + dir + " integration failed: " + e, e));
                    LOG.log(System.Logger.Level.ERROR, "ledger {0}: integration failed; appends are refused until "
                            + "reopened: {1}", dir, e.getMessage());
                    return;
                }
            }
        }
    }

    private void failQueued(LedgerException e) {
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        for (Pending p : rest) {
            p.completeExceptionally(e);
        }
    }

    // ---- publisher ----

    private void publishQuietly() {
        try {
            publish();
        } catch (LedgerException e) {
            LOG.log(System.Logger.Level.ERROR, "ledger {0}: publishing failed; appends are refused until reopened: {1}",
                    dir, e.getMessage());
        } catch (RuntimeException e) {
            fail(new LedgerException("ledger " + dir + " publishing failed: " + e, e));
            LOG.log(System.Logger.Level.ERROR, "ledger publishing failed", e);
        }
    }

    /** Signs and durably writes a checkpoint over the integrated tree if it grew; caller holds the publish lock or is {@code open}. */
    private SignedCheckpoint publishIntegrated() throws LedgerException {
        SignedCheckpoint current = latest;
        if (current != null && current.checkpoint().size() == integrator.size()) {
            return current;
        }
        SignedCheckpoint next = new Checkpoint(options.origin(), integrator.size(), integrator.root()).sign(options.signer());
        try {
            Set<Path> dirs = new HashSet<>();
            DurableFiles.writeAtomically(dir.resolve(TilePaths.CHECKPOINT), next.bytes(), dirs);
            DurableFiles.syncDirectories(dirs);
        } catch (IOException e) {
            throw new LedgerException("cannot write checkpoint in " + dir + ": " + e, e);
        }
        latest = next;
        integrator.deleteObsoletePartials();
        try {
            wal.deleteBelow(next.checkpoint().size());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "ledger {0}: could not delete old WAL segments: {1}", dir, e);
        }
        return next;
    }

    // ---- helpers ----

    private long publishedSize(long needed) throws LedgerException {
        long size = latest.checkpoint().size();
        if (needed > size) {
            throw new IllegalArgumentException("tree size " + needed + " is beyond the latest checkpoint size " + size);
        }
        return size;
    }

    private void checkOpen() throws LedgerException {
        if (closed) {
            throw new LedgerException("ledger " + dir + " is closed");
        }
        checkNotFailed();
    }

    private void checkNotFailed() throws LedgerException {
        LedgerException f = failure;
        if (f != null) {
            throw new LedgerException("ledger " + dir + " has failed and refuses writes until reopened: " + f.getMessage(), f);
        }
    }

    private void fail(LedgerException e) {
        synchronized (handoffLock) {
            if (failure == null) {
                failure = e;
            }
            handoffLock.notifyAll();
        }
    }

    private static void checkVerifierKey(Path dir, NoteVerifier verifier) throws IOException {
        Path vkey = dir.resolve(VKEY_FILE);
        String expected = verifier.encoded();
        try {
            String existing = Files.readString(vkey, StandardCharsets.UTF_8).strip();
            if (!existing.equals(expected)) {
                throw new LedgerException("ledger " + dir + " was created with verifier key " + existing
                        + " but is being opened with " + expected + "; refusing to open");
            }
        } catch (NoSuchFileException e) {
            Set<Path> dirs = new HashSet<>();
            DurableFiles.writeAtomically(vkey, (expected + "\n").getBytes(StandardCharsets.UTF_8), dirs);
            DurableFiles.syncDirectories(dirs);
        }
    }

    private static SignedCheckpoint readCheckpoint(Path dir, LedgerOptions options, NoteVerifier verifier)
            throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(TilePaths.CHECKPOINT));
        } catch (NoSuchFileException e) {
            return null;
        }
        SignedCheckpoint cp = switch (SignedCheckpoint.parse(bytes, verifier)) {
            case Parsed.Ok<SignedCheckpoint> ok -> ok.value();
            case Parsed.Invalid<SignedCheckpoint> bad -> throw new LedgerException("checkpoint in " + dir
                    + " is not valid (" + bad + "); refusing to open (run the verifier)");
        };
        if (!cp.checkpoint().origin().equals(options.origin())) {
            throw new LedgerException("checkpoint in " + dir + " has origin " + cp.checkpoint().origin()
                    + " but the ledger is opened with origin " + options.origin() + "; refusing to open");
        }
        return cp;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "closing {0}: {1}", c, e);
            }
        }
    }
}
