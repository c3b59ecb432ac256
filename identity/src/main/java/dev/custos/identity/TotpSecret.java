package dev.custos.identity;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The shared key of a TOTP authenticator (RFC 4226 §4 R6: at least 128 bits; 160 recommended).
 * Custos stores it (encrypted by the store), and the authenticator app holds a copy; whoever has it
 * can mint codes, so it is handled like any key.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Not a record: {@link #toString()} is redacted, {@link #equals} compares in constant time.</li>
 *   <li>The bytes leave only through {@link #revealBytes()} and {@link #revealBase32()}, whose names
 *       make every use easy to find; copies go in and out, never the internal array.</li>
 * </ul>
 */
public final class TotpSecret {
  /** RFC 4226 R6's minimum. */
  public static final int MIN_BYTES = 16;
  /** HMAC-SHA-512's block size; longer keys are hashed down by HMAC anyway. */
  public static final int MAX_BYTES = 128;

  private final byte[] key;

  private TotpSecret(byte[] key) {
    this.key = key;
  }

  /** A fresh random secret of {@code algorithm}'s key size (20 bytes for SHA-1). */
  public static TotpSecret generate(TotpAlgorithm algorithm, SecureRandom random) {
    byte[] key = new byte[algorithm.keyBytes()];
    random.nextBytes(key);
    return new TotpSecret(key);
  }

  /**
   * A secret from raw bytes (as decrypted by the store, or a test vector's seed).
   *
   * @throws IllegalArgumentException when shorter than {@link #MIN_BYTES} or longer than {@link #MAX_BYTES}
   */
  public static TotpSecret ofBytes(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
      throw new IllegalArgumentException("a TOTP secret is " + MIN_BYTES + " to " + MAX_BYTES + " bytes, was " + key.length);
    }
    return new TotpSecret(key.clone());
  }

  /** A secret from base32 text (as shown in an otpauth URI); never throws. */
  public static Parsed<TotpSecret> parseBase32(String text) {
    return switch (Base32.decode(text, "TOTP secret")) {
      case Parsed.Invalid<byte[]> i -> Parsed.invalid(i.problem());
      case Parsed.Valid<byte[]> v when v.value().length < MIN_BYTES || v.value().length > MAX_BYTES ->
          Parsed.invalid("TOTP secret must be " + MIN_BYTES + " to " + MAX_BYTES + " bytes, was " + v.value().length);
      case Parsed.Valid<byte[]> v -> Parsed.valid(new TotpSecret(v.value()));
    };
  }

  /** A copy of the key bytes, for the store to encrypt. */
  public byte[] revealBytes() {
    return key.clone();
  }

  /** The key in upper-case unpadded base32, as authenticator apps expect it. */
  public String revealBase32() {
    return Base32.encode(key);
  }

  /** The key itself, for HMAC inside this package; callers MUST NOT modify or leak it. */
  byte[] keyForMac() {
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TotpSecret other && MessageDigest.isEqual(key, other.key);
  }

  @Override
  public int hashCode() {
    return key.length; // secrets are not meant as map keys; a content hash would be one more thing derived from the key
  }

  @Override
  public String toString() {
    return "TotpSecret[" + key.length + " bytes, ***]";
  }
}
