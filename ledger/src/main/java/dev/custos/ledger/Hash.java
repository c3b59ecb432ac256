package dev.custos.ledger;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A SHA-256 value of a Merkle tree: a leaf hash, an interior node hash or a root hash.
 *
 * <p>Immutable: bytes are copied in and out. Equality is by content. (A final class rather than a
 * record so that the hashing hot paths can wrap a fresh digest without a second copy.)
 */
public final class Hash {

    /** The length of every hash in bytes. */
    public static final int SIZE = 32;

    private final byte[] bytes;

    /**
     * Copies 32 bytes.
     *
     * @throws IllegalArgumentException if {@code bytes} is not exactly 32 bytes long
     */
    public Hash(byte[] bytes) {
        this(check(bytes).clone(), true);
    }

    private Hash(byte[] owned, boolean ignored) {
        this.bytes = owned;
    }

    /** Takes ownership of a fresh 32-byte array; callers MUST NOT keep or modify it. */
    static Hash wrap(byte[] owned) {
        return new Hash(check(owned), true);
    }

    /** Copies the 32 bytes at {@code offset} of {@code src}. */
    static Hash copyOf(byte[] src, int offset) {
        return new Hash(Arrays.copyOfRange(src, offset, offset + SIZE), true);
    }

    private static byte[] check(byte[] bytes) {
        if (bytes == null || bytes.length != SIZE) {
            throw new IllegalArgumentException(
                    "hash must be " + SIZE + " bytes, got " + (bytes == null ? "null" : bytes.length));
        }
        return bytes;
    }

    /** Returns a copy of the 32 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Parses 64 hexadecimal characters.
     *
     * @throws IllegalArgumentException if the text is not 64 hexadecimal characters
     */
    public static Hash ofHex(String hex) {
        if (hex == null || hex.length() != 2 * SIZE) {
            throw new IllegalArgumentException("hash must be 64 hex characters");
        }
        return wrap(HexFormat.of().parseHex(hex));
    }

    /** Returns the hash as 64 lowercase hexadecimal characters. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Returns the hash in standard base64, as in a checkpoint. */
    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Copies the hash into {@code dst} at {@code offset} without allocating. */
    void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, SIZE);
    }

    /** Whether the 32 bytes at {@code offset} of {@code src} are this hash. */
    boolean equalsAt(byte[] src, int offset) {
        return Arrays.equals(bytes, 0, SIZE, src, offset, offset + SIZE);
    }

    /** Returns the internal array; callers MUST NOT modify it. */
    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
