package dev.custos.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A C2SP signed-note Ed25519 signer: the secret half of a {@link NoteVerifier}, either a log's note
 * key ({@link SignatureType#ED25519}, used by {@link Note#sign}) or a witness's cosigner key
 * ({@link SignatureType#COSIGNATURE_V1}, used by {@link Cosignature#sign}).
 *
 * <p>Security guarantees: the private key never appears in {@code toString}, exceptions or logs;
 * the only way to read it is {@link #encodedPrivateKey(InsecureKeyAccess)}. Signatures are
 * deterministic Ed25519 (RFC 8032) by the JDK provider. A key signs only messages of its own type:
 * {@link Note#sign} refuses a cosigner key and {@link Cosignature#sign} a note key.
 */
public final class NoteSigner {

    private static final System.Logger LOG = System.getLogger(NoteSigner.class.getName());
    private static final String PREFIX = "PRIVATE+KEY+";

    private final byte[] seed;
    private final PrivateKey privateKey;
    private final NoteVerifier verifier;

    private NoteSigner(SignatureType type, String name, byte[] seed) {
        this.seed = seed.clone();
        this.privateKey = Ed25519.privateKey(seed);
        this.verifier = NoteVerifier.ofRaw(type, name, Ed25519.publicKeyFromSeed(seed));
    }

    /**
     * Generates a new Ed25519 note key with the given name.
     *
     * @throws IllegalArgumentException if the name is not a valid key name
     */
    public static NoteSigner generate(String name, SecureRandom random) {
        return generate(SignatureType.ED25519, name, random);
    }

    /**
     * Generates a new key of the given type with the given name.
     *
     * @throws IllegalArgumentException if the name is not a valid key name
     */
    public static NoteSigner generate(SignatureType type, String name, SecureRandom random) {
        java.util.Objects.requireNonNull(type, "type");
        String problem = NoteVerifier.nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("key name " + problem);
        }
        byte[] seed = new byte[Ed25519.KEY_SIZE];
        random.nextBytes(seed);
        try {
            return new NoteSigner(type, name, seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * Parses a signer key {@code PRIVATE+KEY+<name>+<hash>+<base64(type || seed)>}, type 0x01 or
     * 0x04. The error never echoes the key.
     */
    public static Parsed<NoteSigner> parse(String skey) {
        if (skey == null) {
            return Parsed.invalid("signer key", "missing");
        }
        String text = skey.strip();
        if (!text.startsWith(PREFIX)) {
            return Parsed.invalid("signer key", "expected PRIVATE+KEY+<name>+<hash>+<key>");
        }
        String[] parts = text.substring(PREFIX.length()).split("\\+", 3);
        if (parts.length != 3) {
            return Parsed.invalid("signer key", "expected PRIVATE+KEY+<name>+<hash>+<key>");
        }
        String problem = NoteVerifier.nameProblem(parts[0]);
        if (problem != null) {
            return Parsed.invalid("signer key name", problem);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return Parsed.invalid("signer key", "key is not base64");
        }
        try {
            SignatureType type = key.length == 1 + Ed25519.KEY_SIZE ? SignatureType.of(key[0]) : null;
            if (type == null) {
                return Parsed.invalid("signer key", "expected an Ed25519 key (0x01 or 0x04 followed by 32 bytes)");
            }
            byte[] seed = Arrays.copyOfRange(key, 1, key.length);
            NoteSigner signer;
            try {
                signer = new NoteSigner(type, parts[0], seed);
            } finally {
                Arrays.fill(seed, (byte) 0);
            }
            if (!HexFormat.of().toHexDigits(signer.verifier.keyHash()).equals(parts[1])) {
                return Parsed.invalid("signer key hash", "does not match the name and key");
            }
            return Parsed.ok(signer);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Loads a signer key file (one line in the {@code PRIVATE+KEY+...} format).
     *
     * @throws LedgerException if the file cannot be read or does not hold a valid key; the message
     *     names the file and the problem, never the key
     */
    public static NoteSigner load(Path keyFile) throws LedgerException {
        String text;
        try {
            text = Files.readString(keyFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LedgerException("cannot read signing key file " + keyFile + ": " + e, e);
        }
        return switch (parse(text)) {
            case Parsed.Ok<NoteSigner> ok -> ok.value();
            case Parsed.Invalid<NoteSigner> bad -> throw new LedgerException("signing key file " + keyFile + ": " + bad);
        };
    }

    /**
     * Loads the Ed25519 note key file, or, if it does not exist, generates a key named {@code name}
     * and writes it with owner-only permissions (0600), logging a warning that a development key
     * was created.
     */
    public static NoteSigner loadOrCreate(Path keyFile, String name, SecureRandom random) throws LedgerException {
        return loadOrCreate(keyFile, SignatureType.ED25519, name, random);
    }

    /**
     * As {@link #loadOrCreate(Path, String, SecureRandom)} for a key of the given type.
     *
     * @throws LedgerException also if the existing file holds a key of another type
     */
    public static NoteSigner loadOrCreate(Path keyFile, SignatureType type, String name, SecureRandom random)
            throws LedgerException {
        try {
            NoteSigner existing = load(keyFile);
            if (existing.type() != type) {
                throw new LedgerException("signing key file " + keyFile + " holds a " + existing.type().label()
                        + " key, expected a " + type.label() + " key");
            }
            return existing;
        } catch (LedgerException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e;
            }
        }
        NoteSigner signer = generate(type, name, random);
        byte[] text = (signer.encodedPrivateKey(InsecureKeyAccess.get()) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Path dir = keyFile.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(keyFile.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            DurableFiles.writeAndRename(tmp, keyFile, text);
            DurableFiles.syncDirectory(dir);
        } catch (IOException e) {
            throw new LedgerException("cannot write signing key file " + keyFile + ": " + e, e);
        } finally {
            Arrays.fill(text, (byte) 0);
        }
        LOG.log(System.Logger.Level.WARNING, "Created a NEW {0} signing key {1} for {2}; verifier key {3}. "
                + "Keep the file secret and backed up; use a managed key in production.",
                type == SignatureType.ED25519 ? "ledger" : "witness", keyFile, name, signer.verifier().encoded());
        return signer;
    }

    /** The key name. */
    public String name() {
        return verifier.name();
    }

    /** What this key signs: a log's notes or a witness's cosignatures. */
    public SignatureType type() {
        return verifier.type();
    }

    /** The public half, to publish. */
    public NoteVerifier verifier() {
        return verifier;
    }

    /** Returns the key in the {@code PRIVATE+KEY+...} format; this is secret. */
    public String encodedPrivateKey(InsecureKeyAccess access) {
        if (access == null) {
            throw new NullPointerException("access");
        }
        byte[] key = new byte[1 + Ed25519.KEY_SIZE];
        key[0] = type().id();
        System.arraycopy(seed, 0, key, 1, Ed25519.KEY_SIZE);
        try {
            return PREFIX + name() + "+" + HexFormat.of().toHexDigits(verifier.keyHash()) + "+"
                    + Base64.getEncoder().encodeToString(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Signs raw bytes (a note's text or a cosigned message); returns the 64-byte Ed25519 signature. */
    byte[] signBytes(byte[] message) {
        return Ed25519.sign(privateKey, message);
    }

    @Override
    public String toString() {
        return "NoteSigner[type=" + type() + ", name=" + name() + ", key=<redacted>]";
    }
}
