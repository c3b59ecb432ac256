package dev.custos.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Argon2id password hash as stored for a staff account, in the PHC string format that the
 * reference implementation and libsodium write:
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}, salt and hash in base64
 * without padding.
 *
 * <p>Not a record, and {@link #toString()} shows only the cost: the hash is not a credential, but
 * a copy of it is what an offline guessing attack starts from, so it stays out of logs.
 */
public final class PasswordHash {
  static final int MIN_SALT_BYTES = 8;
  static final int MAX_SALT_BYTES = 64;
  static final int MIN_HASH_BYTES = 16;
  static final int MAX_HASH_BYTES = 64;
  /** Far above any hash this class writes; bounds the work of parsing hostile text. */
  private static final int MAX_ENCODED_LENGTH = 512;
  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=(?<m>0|[1-9][0-9]{0,9}),t=(?<t>0|[1-9][0-9]{0,9}),p=(?<p>0|[1-9][0-9]{0,9})"
          + "\\$(?<salt>[A-Za-z0-9+/]+)\\$(?<hash>[A-Za-z0-9+/]+)");

  private final Argon2Cost cost;
  private final byte[] salt;
  private final byte[] hash;

  PasswordHash(Argon2Cost cost, byte[] salt, byte[] hash) {
    this.cost = Objects.requireNonNull(cost, "cost");
    if (salt.length < MIN_SALT_BYTES || salt.length > MAX_SALT_BYTES) {
      throw new IllegalArgumentException("an Argon2 salt is " + MIN_SALT_BYTES + " to " + MAX_SALT_BYTES + " bytes");
    }
    if (hash.length < MIN_HASH_BYTES || hash.length > MAX_HASH_BYTES) {
      throw new IllegalArgumentException("an Argon2 hash is " + MIN_HASH_BYTES + " to " + MAX_HASH_BYTES + " bytes");
    }
    this.salt = salt.clone();
    this.hash = hash.clone();
  }

  /**
   * Parses a stored PHC string. Never throws: anything other than an Argon2id v19 string within
   * the bounds of {@link Argon2Cost}, with canonical unpadded base64, a salt of 8-64 bytes and a
   * hash of 16-64 bytes, is {@link Parsed.Invalid}.
   */
  public static Parsed<PasswordHash> parse(String encoded) {
    if (encoded == null) {
      return Parsed.invalid("password hash is missing");
    }
    if (encoded.length() > MAX_ENCODED_LENGTH) {
      return Parsed.invalid("password hash is longer than " + MAX_ENCODED_LENGTH + " characters");
    }
    Matcher m = PHC.matcher(encoded);
    if (!m.matches()) {
      return Parsed.invalid("password hash is not a PHC string of the form $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>");
    }
    long memory = Long.parseLong(m.group("m"));
    long iterations = Long.parseLong(m.group("t"));
    long parallelism = Long.parseLong(m.group("p"));
    if (memory > Argon2Cost.MAX_MEMORY_KIB || iterations > Argon2Cost.MAX_ITERATIONS
        || parallelism > Argon2Cost.MAX_PARALLELISM) {
      return Parsed.invalid("password hash has Argon2 parameters above the accepted limits (m<=" + Argon2Cost.MAX_MEMORY_KIB
          + ", t<=" + Argon2Cost.MAX_ITERATIONS + ", p<=" + Argon2Cost.MAX_PARALLELISM + ")");
    }
    Argon2Cost cost;
    try {
      cost = new Argon2Cost((int) memory, (int) iterations, (int) parallelism);
    } catch (IllegalArgumentException e) {
      return Parsed.invalid("password hash has invalid Argon2 parameters: " + e.getMessage());
    }
    byte[] salt = decodeCanonical(m.group("salt"));
    if (salt == null || salt.length < MIN_SALT_BYTES || salt.length > MAX_SALT_BYTES) {
      return Parsed.invalid("password hash salt must be canonical unpadded base64 of " + MIN_SALT_BYTES + " to "
          + MAX_SALT_BYTES + " bytes");
    }
    byte[] hash = decodeCanonical(m.group("hash"));
    if (hash == null || hash.length < MIN_HASH_BYTES || hash.length > MAX_HASH_BYTES) {
      return Parsed.invalid("password hash value must be canonical unpadded base64 of " + MIN_HASH_BYTES + " to "
          + MAX_HASH_BYTES + " bytes");
    }
    return Parsed.valid(new PasswordHash(cost, salt, hash));
  }

  /** The PHC string to store. */
  public String encoded() {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$argon2id$v=19$m=" + cost.memoryKiB() + ",t=" + cost.iterations() + ",p=" + cost.parallelism()
        + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  /** The cost this hash was made with. */
  public Argon2Cost cost() {
    return cost;
  }

  byte[] salt() {
    return salt.clone();
  }

  byte[] hash() {
    return hash.clone();
  }

  int hashLength() {
    return hash.length;
  }

  int saltLength() {
    return salt.length;
  }

  /** Same cost, salt and hash (compared in constant time, though neither side is a secret to the caller). */
  @Override
  public boolean equals(Object o) {
    return o instanceof PasswordHash other && cost.equals(other.cost)
        && MessageDigest.isEqual(encoded().getBytes(StandardCharsets.US_ASCII), other.encoded().getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(salt);
  }

  @Override
  public String toString() {
    return "PasswordHash[argon2id, m=" + cost.memoryKiB() + ", t=" + cost.iterations() + ", p=" + cost.parallelism() + ", ***]";
  }

  /** Base64 that decodes and re-encodes to exactly the same text (no padding, no stray low bits), else null. */
  private static byte[] decodeCanonical(String text) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return Base64.getEncoder().withoutPadding().encodeToString(bytes).equals(text) ? bytes : null;
  }
}
