package dev.custos.vault;

import dev.custos.access.CustomerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * How a customer appears in the ledger: a hash of their id and their secret commitment salt, so
 * ledger tiles can be shown to auditors without naming customers, a customer given their salt can
 * find their own entries, and destroying the salt (erasure) leaves the entries unlinkable.
 *
 * <p>Definition: SHA-256 over {@code lp("custos.commitment/v1") || lp(salt) || lp(customer id)},
 * where lp(x) is x's length as 4 bytes big-endian followed by x (strings as UTF-8, the salt as its
 * 32 bytes). Not a secret: the value is meant to be published.
 */
public final class Commitment {
  static final String DOMAIN = "custos.commitment/v1";

  private final byte[] hash;

  private Commitment(byte[] hash) {
    this.hash = hash;
  }

  /** The commitment of {@code customer} under {@code salt}. */
  public static Commitment of(CommitmentSalt salt, CustomerId customer) {
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(customer, "customer");
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return new Commitment(sha.digest(Encoding.lengthPrefixed(DOMAIN, salt.bytes(), customer.value())));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  /** A commitment from its 32 bytes (as read from the ledger). */
  public static Commitment fromBytes(byte[] hash) {
    Objects.requireNonNull(hash, "hash");
    if (hash.length != 32) {
      throw new IllegalArgumentException("a commitment is 32 bytes, was " + hash.length);
    }
    return new Commitment(hash.clone());
  }

  /** A commitment from 64 lower-case hex digits. */
  public static Commitment parse(String hex) {
    if (!isLowerHex64(hex)) {
      throw new IllegalArgumentException("a commitment is 64 lower-case hex digits");
    }
    return new Commitment(HexFormat.of().parseHex(hex));
  }

  // A loop, not String.matches: that compiles its pattern on every call, and the access index parses
  // a commitment for every entry it follows.
  private static boolean isLowerHex64(String hex) {
    if (hex == null || hex.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = hex.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** The 32 bytes (a copy). */
  public byte[] toByteArray() {
    return hash.clone();
  }

  /** The 64 lower-case hex digits. */
  public String hex() {
    return HexFormat.of().formatHex(hash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Commitment c && MessageDigest.isEqual(c.hash, hash);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return hex();
  }
}
