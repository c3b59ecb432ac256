package dev.custos.ledger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The witness's data directory (layout in docs/design/witness.md): the directory lock, the published
 * verifier key, the trusted-log list, the latest cosigned checkpoint per log, and evidence of
 * misbehaviour. Every write is crash-safe (temporary file, force, rename, force of the directory).
 */
final class WitnessStore implements AutoCloseable {

    static final String KEY_FILE = "witness.key";
    static final String VKEY_FILE = "witness.vkey";
    static final String LOGS_FILE = "logs.conf";
    static final String LOCK_FILE = "lock";
    static final String LOGS_DIR = "logs";
    static final String EVIDENCE_DIR = "evidence";
    static final String CHECKPOINT_FILE = "checkpoint";
    /** Evidence files kept per log; beyond this a replayed bad request cannot fill the disk. */
    static final int MAX_EVIDENCE_PER_LOG = 1000;

    private static final System.Logger LOG = System.getLogger(WitnessStore.class.getName());
    private static final DateTimeFormatter EVIDENCE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String LOGS_HEADER = """
            # Logs this witness cosigns for, one per line: "<vkey>" when the checkpoint origin is the
            # key name, or "<vkey> <origin>". Blank lines and lines starting with '#' are ignored.
            """;

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private WitnessStore(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the directory if needed, locks it, and checks (or writes) {@code witness.vkey}. */
    static WitnessStore open(Path dataDir, NoteVerifier key) throws LedgerException {
        Path dir = dataDir.toAbsolutePath();
        FileChannel channel = null;
        try {
            Set<Path> created = new HashSet<>();
            DurableFiles.createDirectories(dir.resolve(LOGS_DIR), created);
            DurableFiles.syncDirectories(created);
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new LedgerException("witness directory " + dir + " is in use by another witness");
            }
            WitnessStore store = new WitnessStore(dir, channel, lock);
            store.checkVerifierKey(key);
            return store;
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            if (e instanceof LedgerException le) {
                throw le;
            }
            throw new LedgerException("cannot open witness directory " + dir + ": " + e, e);
        }
    }

    Path dir() {
        return dir;
    }

    private void checkVerifierKey(NoteVerifier key) throws IOException {
        Path file = dir.resolve(VKEY_FILE);
        try {
            String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!existing.equals(key.encoded())) {
                throw new LedgerException("witness directory " + dir + " belongs to witness key " + existing
                        + ", not " + key.encoded() + "; a witness MUST keep its key (its cosigned state is tied to it)");
            }
        } catch (NoSuchFileException e) {
            write(file, (key.encoded() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Reads {@code logs.conf} (missing = none), failing closed on a bad line. */
    List<TrustedLog> readTrustedLogs() throws LedgerException {
        Path file = dir.resolve(LOGS_FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new LedgerException("cannot read " + file + ": " + e, e);
        }
        List<TrustedLog> logs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            switch (TrustedLog.parse(line)) {
                case Parsed.Ok<TrustedLog> ok -> logs.add(ok.value());
                case Parsed.Invalid<TrustedLog> bad -> throw new LedgerException(file + " line " + (i + 1) + ": " + bad);
            }
        }
        return logs;
    }

    /** Appends a line to {@code logs.conf}, keeping what is there (comments included). */
    void appendTrustedLog(TrustedLog log) throws IOException {
        Path file = dir.resolve(LOGS_FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            text = LOGS_HEADER;
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            text += "\n";
        }
        write(file, (text + log.line() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads every log's latest cosigned checkpoint and checks that this witness's own cosignature on
     * it verifies, so a damaged or planted state file stops the witness instead of being trusted.
     */
    Map<String, SignedCheckpoint> readCheckpoints(NoteVerifier witnessKey) throws LedgerException {
        Map<String, SignedCheckpoint> out = new HashMap<>();
        Path logs = dir.resolve(LOGS_DIR);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(logs, Files::isDirectory)) {
            for (Path d : s) {
                Path file = d.resolve(CHECKPOINT_FILE);
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (NoSuchFileException e) {
                    continue; // a crash between creating the directory and the first rename
                }
                SignedCheckpoint cp = parseState(file, bytes, witnessKey);
                if (!directoryName(cp.checkpoint().origin()).equals(d.getFileName().toString())) {
                    throw new LedgerException("witness state " + file + " holds origin " + cp.checkpoint().origin()
                            + ", which belongs in " + directoryName(cp.checkpoint().origin()));
                }
                out.put(cp.checkpoint().origin(), cp);
            }
        } catch (IOException e) {
            if (e instanceof LedgerException le) {
                throw le;
            }
            throw new LedgerException("cannot read witness state under " + logs + ": " + e, e);
        }
        return out;
    }

    private static SignedCheckpoint parseState(Path file, byte[] bytes, NoteVerifier witnessKey) throws LedgerException {
        String problem;
        if (Note.parse(bytes) instanceof Parsed.Ok<Note> note) {
            if (Checkpoint.parse(note.value().text()) instanceof Parsed.Ok<Checkpoint> cp) {
                SignedCheckpoint signed = new SignedCheckpoint(cp.value(), note.value());
                if (signed.cosignature(witnessKey).isPresent()) {
                    return signed;
                }
                problem = "it carries no valid cosignature by this witness";
            } else {
                problem = "its text is not a checkpoint";
            }
        } else {
            problem = "it is not a signed note";
        }
        throw new LedgerException("witness state " + file + " is damaged: " + problem
                + "; refusing to start (restore it from a backup; never delete it, or the witness forgets what it cosigned)");
    }

    /** Durably replaces the log's latest cosigned checkpoint. */
    void writeCheckpoint(SignedCheckpoint cp) throws IOException {
        Set<Path> dirs = new HashSet<>();
        Path file = dir.resolve(LOGS_DIR).resolve(directoryName(cp.checkpoint().origin())).resolve(CHECKPOINT_FILE);
        DurableFiles.writeAtomically(file, cp.bytes(), dirs);
        DurableFiles.syncDirectories(dirs);
    }

    /**
     * Durably writes an evidence file under {@code evidence/<log>/}, named by time, kind, size and a
     * hash of the kind and the request; the same request is kept once, whenever it comes again, and
     * at most {@link #MAX_EVIDENCE_PER_LOG} files per log. Returns the file written, or empty if it
     * was a duplicate or over the cap.
     */
    Optional<Path> writeEvidence(String origin, String kind, long size, Instant time, byte[] request, String text)
            throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String digest = HexFormat.of().formatHex(Merkle.sha256(kind.getBytes(StandardCharsets.UTF_8), request), 0, 8);
        Path logDir = dir.resolve(EVIDENCE_DIR).resolve(directoryName(origin));
        if (Files.isDirectory(logDir)) {
            try (Stream<Path> s = Files.list(logDir)) {
                List<String> names = s.map(p -> p.getFileName().toString()).toList();
                if (names.stream().anyMatch(n -> n.endsWith("-" + digest + ".txt"))) {
                    return Optional.empty();
                }
                if (names.size() >= MAX_EVIDENCE_PER_LOG) {
                    LOG.log(System.Logger.Level.ERROR, "witness: {0} evidence files for {1} already; not keeping more",
                            names.size(), origin);
                    return Optional.empty();
                }
            }
        }
        Path file = logDir.resolve(EVIDENCE_TIME.format(time) + "-" + kind + "-" + size + "-" + digest + ".txt");
        Set<Path> dirs = new HashSet<>();
        DurableFiles.writeAtomically(file, bytes, dirs);
        DurableFiles.syncDirectories(dirs);
        return Optional.of(file);
    }

    private void write(Path file, byte[] data) throws IOException {
        Set<Path> dirs = new HashSet<>();
        DurableFiles.writeAtomically(file, data, dirs);
        DurableFiles.syncDirectories(dirs);
    }

    /**
     * The directory name of a log: the origin's UTF-8 bytes with everything but ASCII letters, digits,
     * {@code -}, {@code _} and a non-leading {@code .} percent-encoded (so it is injective and never
     * {@code .}, {@code ..} or hidden); a name over 150 characters is cut and suffixed with
     * {@code ~} and the origin's SHA-256 ({@code ~} itself is always encoded).
     */
    static String directoryName(String origin) {
        StringBuilder sb = new StringBuilder();
        byte[] b = origin.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            int c = b[i] & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || (c == '.' && i > 0);
            if (plain) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        if (sb.length() <= 150) {
            return sb.toString();
        }
        int cut = 100;
        while (cut > 0 && (sb.charAt(cut - 1) == '%' || (cut > 1 && sb.charAt(cut - 2) == '%'))) {
            cut--;
        }
        return sb.substring(0, cut) + "~" + HexFormat.of().formatHex(Merkle.sha256(b));
    }

    @Override
    public void close() {
        if (!lockChannel.isOpen()) {
            return;
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        try {
            lockChannel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "witness: closing the lock of {0}: {1}", dir, e);
        }
    }
}
