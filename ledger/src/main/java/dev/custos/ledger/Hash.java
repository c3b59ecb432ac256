package dev.custos.ledger;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A SHA-256 value of a Merkle tree: a leaf hash, an interior node hash or a root hash.
 *
 * <p>The bytes are copied in and out, so a {@code Hash} is immutable; equality is by content.
 *
 * @param bytes the 32 bytes of the hash
 */
public record Hash(byte[] bytes) {

    /** The length of every hash in bytes. */
    public static final int SIZE = 32;

    /**
     * Checks the length and takes a private copy.
     *
     * @throws IllegalArgumentException if {@code bytes} is not exactly 32 bytes long
     */
    public Hash {
        if (bytes == null || bytes.length != SIZE) {
            throw new IllegalArgumentException(
                    "hash must be " + SIZE + " bytes, got " + (bytes == null ? "null" : bytes.length));
        }
        bytes = bytes.clone();
    }

    /** Returns a copy of the 32 bytes. */
    @Override
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
        return new Hash(HexFormat.of().parseHex(hex));
    }

    /** Returns the hash as 64 lowercase hexadecimal characters. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** Returns the hash in standard base64, as in a checkpoint. */
    public String base64() {
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }

    /** Copies the hash into {@code dst} at {@code offset} without allocating. */
    void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, SIZE);
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
