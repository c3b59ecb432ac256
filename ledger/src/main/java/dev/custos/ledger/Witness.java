package dev.custos.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A C2SP tlog-witness: cosigns a log's checkpoint only if it is consistent with the latest
 * checkpoint it cosigned for that log, so that a log cannot show two histories to two parties that
 * both check for this witness's cosignature.
 *
 * <p>Security guarantees:
 * <ul>
 *   <li>For each log (origin) the witness MUST NOT cosign a checkpoint unless (a) one of the keys it
 *       trusts for the origin signed it, (b) the request's old size equals the size it recorded, and
 *       (c) the consistency proof from its recorded root to the new root verifies (or the sizes are
 *       equal and so are the roots). So it never cosigns a smaller tree after a larger one, nor two
 *       trees that are not prefixes of one another.</li>
 *   <li>The check and the update of a log's record are atomic (one lock per log), and the new record
 *       is durable (temporary file, fsync, rename, directory fsync) BEFORE the cosignature is
 *       returned; a crash at any instant leaves the old or the new record, and never a released
 *       cosignature the record does not cover.</li>
 *   <li>A refused fork (same size, other root; or a proof that does not verify) is kept as evidence
 *       under {@code <data>/evidence/}; the recorded state is never changed by a refusal.</li>
 *   <li>Untrusted request bytes never cause an exception: every malformed request is a
 *       {@link WitnessResponse.Refused}. Only storage failures throw.</li>
 * </ul>
 *
 * <p>Data directory: {@code witness.key} (secret), {@code witness.vkey}, {@code logs.conf},
 * {@code logs/<origin>/checkpoint}, {@code evidence/}, {@code lock}; see docs/design/witness.md.
 */
public final class Witness implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Witness.class.getName());

    private final WitnessStore store;
    private final NoteSigner key;
    private final InstantSource clock;
    private final Object configLock = new Object();
    private volatile Map<String, List<TrustedLog>> trusted;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    /** One log's record and the lock that makes check-then-persist atomic. */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        volatile SignedCheckpoint recorded;
        volatile long lastTimestamp;
        /** Set when persisting failed: the file's state is unknown, so the log is refused until restart. */
        volatile boolean failed;
    }

    private Witness(WitnessStore store, NoteSigner key, InstantSource clock, List<TrustedLog> logs,
            Map<String, SignedCheckpoint> recorded) {
        this.store = store;
        this.key = key;
        this.clock = clock;
        this.trusted = index(logs);
        recorded.forEach((origin, cp) -> {
            Slot slot = new Slot();
            slot.recorded = cp;
            slot.lastTimestamp = cp.cosignature(key.verifier()).orElseThrow().timestamp();
            slots.put(origin, slot);
        });
    }

    /**
     * Loads the witness key {@code <dataDir>/witness.key}, or creates it (owner-only, 0600) with the
     * given name if it does not exist. The name of an existing key is kept; compare
     * {@link NoteSigner#name()} if it matters.
     */
    public static NoteSigner loadOrCreateKey(Path dataDir, String name, SecureRandom random) throws LedgerException {
        return NoteSigner.loadOrCreate(dataDir.resolve(WitnessStore.KEY_FILE), SignatureType.COSIGNATURE_V1, name, random);
    }

    /**
     * Opens the witness's data directory (creating it if needed): locks it against a second witness,
     * checks {@code witness.vkey} against {@code key} (writing it the first time), reads
     * {@code logs.conf} and every log's recorded checkpoint.
     *
     * @param key the witness's {@link SignatureType#COSIGNATURE_V1} key
     * @param clock the source of cosignature timestamps
     * @throws IllegalArgumentException if {@code key} is not a cosigner key
     * @throws LedgerException if the directory is in use, belongs to another key, or holds a bad
     *     configuration line or a damaged state file (the witness fails closed)
     */
    public static Witness open(Path dataDir, NoteSigner key, InstantSource clock) throws LedgerException {
        Objects.requireNonNull(clock, "clock");
        if (key.type() != SignatureType.COSIGNATURE_V1) {
            throw new IllegalArgumentException("a witness signs with a cosignature/v1 key, got a " + key.type().label() + " key");
        }
        WitnessStore store = WitnessStore.open(dataDir, key.verifier());
        try {
            return new Witness(store, key, clock, store.readTrustedLogs(), store.readCheckpoints(key.verifier()));
        } catch (LedgerException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The witness's cosigner verifier key, {@code <name>+<hash>+<base64(0x04 || key)>}, to give to log operators and clients. */
    public NoteVerifier verifierKey() {
        return key.verifier();
    }

    /** The logs this witness cosigns for, in {@code logs.conf} order. */
    public List<TrustedLog> trustedLogs() {
        List<TrustedLog> out = new ArrayList<>();
        trusted.values().forEach(out::addAll);
        return List.copyOf(out);
    }

    /**
     * Trusts {@code log} from now on and appends it to {@code logs.conf}; does nothing if it is
     * already trusted.
     *
     * @return whether it was added
     */
    public boolean trust(TrustedLog log) throws LedgerException {
        synchronized (configLock) {
            if (trusted.getOrDefault(log.origin(), List.of()).contains(log)) {
                return false;
            }
            try {
                store.appendTrustedLog(log);
            } catch (IOException e) {
                throw new LedgerException("cannot add a log to " + store.dir().resolve(WitnessStore.LOGS_FILE) + ": " + e, e);
            }
            List<TrustedLog> all = new ArrayList<>(trustedLogs());
            all.add(log);
            trusted = index(all);
            return true;
        }
    }

    /**
     * The latest checkpoint this witness cosigned for {@code origin}: the log's signatures and the
     * witness's cosignature.
     */
    public Optional<SignedCheckpoint> checkpoint(String origin) {
        Slot slot = slots.get(origin);
        return slot == null ? Optional.empty() : Optional.ofNullable(slot.recorded);
    }

    /**
     * Handles the body of a tlog-witness {@code add-checkpoint} request.
     *
     * @return the cosignature, or the refusal with its status code; never throws for bad input
     * @throws LedgerException if the new state could not be made durable; no cosignature was
     *     released, and the log is refused until the witness is restarted
     */
    public WitnessResponse addCheckpoint(byte[] request) throws LedgerException {
        WitnessRequest req;
        switch (WitnessRequest.parse(request)) {
            case Parsed.Invalid<WitnessRequest> bad -> {
                return refuse(WitnessResponse.Reason.MALFORMED, bad.toString(), 0);
            }
            case Parsed.Ok<WitnessRequest> ok -> req = ok.value();
        }
        Note note = req.note();
        String origin = note.text().substring(0, note.text().indexOf('\n'));
        List<TrustedLog> keys = trusted.get(origin);
        if (keys == null) {
            return refuse(WitnessResponse.Reason.UNKNOWN_LOG, "unknown log origin", 0);
        }
        List<Note.Signature> logSignatures = verifiedLogSignatures(note, keys);
        if (logSignatures.isEmpty()) {
            return refuse(WitnessResponse.Reason.LOG_SIGNATURE, "no signature verifies with a key trusted for this origin", 0);
        }
        Checkpoint cp;
        switch (Checkpoint.parse(note.text())) {
            case Parsed.Invalid<Checkpoint> bad -> {
                return refuse(WitnessResponse.Reason.MALFORMED, "checkpoint " + bad, 0);
            }
            case Parsed.Ok<Checkpoint> ok -> cp = ok.value();
        }
        if (req.oldSize() > cp.size()) {
            return refuse(WitnessResponse.Reason.MALFORMED,
                    "old size " + req.oldSize() + " is larger than the checkpoint size " + cp.size(), 0);
        }
        ConsistencyProof proof;
        try {
            proof = new ConsistencyProof(req.oldSize(), cp.size(), req.proof());
        } catch (IllegalArgumentException e) {
            return refuse(WitnessResponse.Reason.MALFORMED, e.getMessage(), 0);
        }
        Slot slot = slots.computeIfAbsent(origin, o -> new Slot());
        slot.lock.lock();
        try {
            return decide(slot, origin, cp, logSignatures, proof, request);
        } finally {
            slot.lock.unlock();
        }
    }

    /** The check, the durable update and the cosignature; the caller holds the log's lock. */
    private WitnessResponse decide(Slot slot, String origin, Checkpoint cp, List<Note.Signature> logSignatures,
            ConsistencyProof proof, byte[] request) throws LedgerException {
        if (slot.failed) {
            throw new LedgerException("witness state of " + origin + " could not be written earlier; restart the witness");
        }
        SignedCheckpoint recorded = slot.recorded;
        long recordedSize = recorded == null ? 0 : recorded.checkpoint().size();
        if (proof.oldSize() != recordedSize) {
            return refuse(WitnessResponse.Reason.OLD_SIZE_MISMATCH,
                    "old size " + proof.oldSize() + " is not the recorded size " + recordedSize, recordedSize);
        }
        if (recorded != null && cp.size() == recordedSize && !cp.rootHash().equals(recorded.checkpoint().rootHash())) {
            keepEvidence("conflicting-root", recorded, cp, request,
                    "the log signed two checkpoints of size " + cp.size() + " with different root hashes");
            return refuse(WitnessResponse.Reason.CONFLICTING_ROOT,
                    "a checkpoint of size " + cp.size() + " with another root hash was cosigned before", recordedSize);
        }
        Hash oldRoot = recorded == null ? Merkle.emptyRoot() : recorded.checkpoint().rootHash();
        if (!proof.verifies(oldRoot, cp.rootHash())) {
            if (recorded != null) {
                keepEvidence("inconsistent", recorded, cp, request,
                        "the consistency proof from the recorded size " + recordedSize + " to " + cp.size() + " does not verify");
            }
            return refuse(WitnessResponse.Reason.INCONSISTENT,
                    "the consistency proof from size " + recordedSize + " to " + cp.size() + " does not verify", recordedSize);
        }
        long now = Math.max(clock.instant().getEpochSecond(), slot.lastTimestamp);
        Cosignature cosignature = Cosignature.sign(cp, key, Instant.ofEpochSecond(now));
        Note stored = new Note(cp.body(), logSignatures).withSignatures(List.of(cosignature.noteSignature()));
        SignedCheckpoint cosigned = new SignedCheckpoint(cp, stored);
        try {
            store.writeCheckpoint(cosigned);
        } catch (IOException | RuntimeException e) {
            slot.failed = true;
            throw new LedgerException("cannot record the checkpoint of " + origin + " at size " + cp.size()
                    + "; not cosigned, and the log is refused until restart: " + e, e);
        }
        slot.recorded = cosigned;
        slot.lastTimestamp = now;
        return new WitnessResponse.Cosigned(cosigned, cosignature);
    }

    private static List<Note.Signature> verifiedLogSignatures(Note note, List<TrustedLog> keys) {
        byte[] text = note.text().getBytes(StandardCharsets.UTF_8);
        List<Note.Signature> out = new ArrayList<>();
        for (Note.Signature s : note.signatures()) {
            for (TrustedLog log : keys) {
                NoteVerifier v = log.key();
                if (s.keyName().equals(v.name()) && s.keyHash() == v.keyHash() && v.verifies(text, s.signature())) {
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Writes what a third party needs to check the log's misbehaviour: the checkpoint this witness
     * cosigned, and the refused request with its log-signed checkpoint. A failure to write is logged,
     * not thrown: the refusal stands either way.
     */
    private void keepEvidence(String kind, SignedCheckpoint recorded, Checkpoint offered, byte[] request, String why) {
        Instant now = clock.instant();
        String text = "custos witness evidence\n"
                + "kind: " + kind + "\n"
                + "time: " + now + "\n"
                + "origin: " + offered.origin() + "\n"
                + "witness: " + key.verifier().encoded() + "\n"
                + "finding: " + why + "\n"
                + "\n-- checkpoint this witness cosigned (size " + recorded.checkpoint().size() + ") --\n"
                + recorded.text()
                + "-- refused add-checkpoint request (checkpoint size " + offered.size() + "), verbatim --\n"
                + new String(request, StandardCharsets.UTF_8)
                + "-- end --\n";
        try {
            store.writeEvidence(offered.origin(), kind, offered.size(), now, request, text).ifPresent(file ->
                    LOG.log(System.Logger.Level.ERROR, "witness: refused a fork of {0} ({1}); evidence in {2}",
                            offered.origin(), why, file));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "witness: refused a fork of " + offered.origin() + " (" + why
                    + ") but could not write the evidence", e);
        }
    }

    private static WitnessResponse refuse(WitnessResponse.Reason reason, String detail, long recordedSize) {
        return new WitnessResponse.Refused(reason, detail, recordedSize);
    }

    private static Map<String, List<TrustedLog>> index(List<TrustedLog> logs) {
        Map<String, List<TrustedLog>> m = new LinkedHashMap<>();
        for (TrustedLog l : logs) {
            m.computeIfAbsent(l.origin(), o -> new ArrayList<>()).add(l);
        }
        m.replaceAll((o, l) -> List.copyOf(l));
        return Collections.unmodifiableMap(m);
    }

    /** Releases the data directory. */
    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return "Witness[" + key.verifier().name() + ", logs=" + trusted.keySet() + ", dir=" + store.dir() + "]";
    }
}
