package dev.custos.ledger;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A C2SP signed-note verifier key for Ed25519: a key name, its 4-byte key hash and the public key,
 * encoded as {@code <name>+<hash hex>+<base64(0x01 || public key)>}.
 *
 * <p>Public key material is not secret; this class is immutable and compares by name, hash and key.
 */
public final class NoteVerifier {

    static final byte ALG_ED25519 = 0x01;

    private final String name;
    private final int keyHash;
    private final byte[] rawPublicKey;
    private final PublicKey publicKey;

    private NoteVerifier(String name, byte[] rawPublicKey, PublicKey publicKey) {
        this.name = name;
        this.rawPublicKey = rawPublicKey.clone();
        this.publicKey = publicKey;
        this.keyHash = keyHash(name, rawPublicKey);
    }

    static NoteVerifier ofRaw(String name, byte[] rawPublicKey) {
        PublicKey key = Ed25519.publicKey(rawPublicKey);
        if (key == null) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return new NoteVerifier(name, rawPublicKey, key);
    }

    /**
     * Parses a verifier key in the note format; never throws for bad input.
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
        if (key.length != 1 + Ed25519.KEY_SIZE || key[0] != ALG_ED25519) {
            return Parsed.invalid("verifier key", "expected an Ed25519 key (0x01 followed by 32 bytes)");
        }
        byte[] raw = Arrays.copyOfRange(key, 1, key.length);
        PublicKey pk = Ed25519.publicKey(raw);
        if (pk == null) {
            return Parsed.invalid("verifier key", "not a valid Ed25519 public key");
        }
        NoteVerifier v = new NoteVerifier(parts[0], raw, pk);
        if (!HexFormat.of().toHexDigits(v.keyHash).equals(parts[1])) {
            return Parsed.invalid("verifier key hash", "does not match the name and key");
        }
        return Parsed.ok(v);
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
        key[0] = ALG_ED25519;
        System.arraycopy(rawPublicKey, 0, key, 1, Ed25519.KEY_SIZE);
        return name + "+" + HexFormat.of().toHexDigits(keyHash) + "+" + Base64.getEncoder().encodeToString(key);
    }

    boolean verifies(byte[] message, byte[] signature) {
        return Ed25519.verify(publicKey, message, signature);
    }

    /** The first four bytes of SHA-256(name || "\n" || 0x01 || public key), big-endian. */
    static int keyHash(String name, byte[] rawPublicKey) {
        byte[] h = Merkle.sha256(name.getBytes(StandardCharsets.UTF_8), new byte[] {'\n', ALG_ED25519}, rawPublicKey);
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
        return o instanceof NoteVerifier v && v.name.equals(name) && Arrays.equals(v.rawPublicKey, rawPublicKey);
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
