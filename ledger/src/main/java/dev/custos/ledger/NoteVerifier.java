package dev.custos.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A C2SP signed-note verifier key for Ed25519: a key name, its 4-byte key hash and the public key,
 * encoded as {@code <name>+<hash hex>+<base64(type || public key)>}, where the type byte is 0x01 for a
 * log's note signatures and 0x04 for a witness's tlog-cosignature/v1 signatures ({@link SignatureType}).
 *
 * <p>Security guarantees: a key verifies only signatures of its own type; a cosignature/v1 key
 * verifies the timestamped message of C2SP tlog-cosignature and MUST reject a timestamp above
 * 2<sup>63</sup>-1. Public key material is not secret; this class is immutable and compares by
 * type, name and key.
 */
public final class NoteVerifier {

    private final SignatureType type;
    private final String name;
    private final int keyHash;
    private final byte[] rawPublicKey;
    private final PublicKey publicKey;

    private NoteVerifier(SignatureType type, String name, byte[] rawPublicKey, PublicKey publicKey) {
        this.type = type;
        this.name = name;
        this.rawPublicKey = rawPublicKey.clone();
        this.publicKey = publicKey;
        this.keyHash = keyHash(type, name, rawPublicKey);
    }

    static NoteVerifier ofRaw(SignatureType type, String name, byte[] rawPublicKey) {
        PublicKey key = Ed25519.publicKey(rawPublicKey);
        if (key == null) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return new NoteVerifier(type, name, rawPublicKey, key);
    }

    /**
     * Parses a verifier key in the note format, of either {@link SignatureType}; never throws for
     * bad input.
     *
     * @param vkey text such as {@code PeterNeumann+c74f20a3+ARpc2Qc...}
     */
    public static Parsed<NoteVerifier> parse(String vkey) {
        if (vkey == null) {
            return Parsed.invalid("verifier key", "missing");
        }
        String text = vkey.strip();
        String[] parts = text.split("\\+", 3);
        if (parts.length != 3) {
            return Parsed.invalid("verifier key", "expected <name>+<hash>+<key>, got " + parts.length + " '+'-separated parts");
        }
        String nameProblem = nameProblem(parts[0]);
        if (nameProblem != null) {
            return Parsed.invalid("verifier key name", nameProblem);
        }
        if (!parts[1].matches("[0-9a-f]{8}")) {
            return Parsed.invalid("verifier key hash", "expected 8 lowercase hex digits");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return Parsed.invalid("verifier key", "key is not base64");
        }
        SignatureType type = key.length == 1 + Ed25519.KEY_SIZE ? SignatureType.of(key[0]) : null;
        if (type == null) {
            return Parsed.invalid("verifier key",
                    "expected an Ed25519 key (0x01 or 0x04 followed by 32 bytes)");
        }
        byte[] raw = Arrays.copyOfRange(key, 1, key.length);
        PublicKey pk = Ed25519.publicKey(raw);
        if (pk == null) {
            return Parsed.invalid("verifier key", "not a valid Ed25519 public key");
        }
        NoteVerifier v = new NoteVerifier(type, parts[0], raw, pk);
        if (!HexFormat.of().toHexDigits(v.keyHash).equals(parts[1])) {
            return Parsed.invalid("verifier key hash", "does not match the name and key");
        }
        return Parsed.ok(v);
    }

    /** What this key verifies: a log's note signatures or a witness's cosignatures. */
    public SignatureType type() {
        return type;
    }

    /** The key name, which appears in signature lines. */
    public String name() {
        return name;
    }

    /** The 4-byte key hash as an unsigned big-endian value. */
    public int keyHash() {
        return keyHash;
    }

    /** Returns the verifier key in the note format {@code <name>+<hash>+<base64>}. */
    public String encoded() {
        byte[] key = new byte[1 + Ed25519.KEY_SIZE];
        key[0] = type.id();
        System.arraycopy(rawPublicKey, 0, key, 1, Ed25519.KEY_SIZE);
        return name + "+" + HexFormat.of().toHexDigits(keyHash) + "+" + Base64.getEncoder().encodeToString(key);
    }

    /**
     * Whether {@code signature}, the bytes of a signature line after the key hash, is this key's
     * signature over the note text {@code message}: for {@link SignatureType#COSIGNATURE_V1} an
     * 8-byte big-endian timestamp followed by the Ed25519 signature of the cosigned message.
     */
    boolean verifies(byte[] message, byte[] signature) {
        return switch (type) {
            case ED25519 -> Ed25519.verify(publicKey, message, signature);
            case COSIGNATURE_V1 -> {
                if (signature.length != Cosignature.TIMESTAMP_SIZE + Ed25519.SIGNATURE_SIZE) {
                    yield false;
                }
                long timestamp = ByteBuffer.wrap(signature).getLong();
                yield timestamp >= 0
                        && Ed25519.verify(publicKey, Cosignature.message(timestamp, message),
                                Arrays.copyOfRange(signature, Cosignature.TIMESTAMP_SIZE, signature.length));
            }
        };
    }

    /** The first four bytes of SHA-256(name || "\n" || type || public key), big-endian. */
    static int keyHash(SignatureType type, String name, byte[] rawPublicKey) {
        byte[] h = Merkle.sha256(name.getBytes(StandardCharsets.UTF_8), new byte[] {'\n', type.id()}, rawPublicKey);
        return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
    }

    /** Returns why a key name is not allowed, or {@code null} if it is. */
    static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "must not be empty";
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (cp == '+') {
                return "must not contain '+'";
            }
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)) {
                return "must not contain spaces or control characters";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteVerifier v && v.type == type && v.name.equals(name)
                && Arrays.equals(v.rawPublicKey, rawPublicKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, keyHash);
    }

    @Override
    public String toString() {
        return encoded();
    }
}
