package dev.custos.vault;

import java.security.MessageDigest;
import java.util.Objects;

/**
 * A customer's secret commitment salt: 32 random bytes that, with the customer id, make their
 * {@link Commitment}. Whoever holds it can recognise the customer's ledger entries, so it is kept
 * sealed under the customer's data key, handed only to the customer, and destroyed on erasure.
 *
 * <p>A secret: not a record; {@link #toString()} is redacted; equality is constant-time.
 */
public final class CommitmentSalt {
  /** Length in bytes. */
  public static final int LENGTH = 32;

  private final byte[] salt;

  private CommitmentSalt(byte[] salt) {
    this.salt = salt;
  }

  /** A salt from its 32 bytes (copied). */
  public static CommitmentSalt fromBytes(byte[] salt) {
    Objects.requireNonNull(salt, "salt");
    if (salt.length != LENGTH) {
      throw new IllegalArgumentException("a commitment salt is " + LENGTH + " bytes, was " + salt.length);
    }
    return new CommitmentSalt(salt.clone());
  }

  /** The salt's bytes (a copy), to hand to the customer. The caller MUST NOT log or store them. */
  public byte[] revealBytes() {
    return salt.clone();
  }

  /** The salt without a copy, for hashing inside the vault. */
  byte[] bytes() {
    return salt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CommitmentSalt s && MessageDigest.isEqual(s.salt, salt);
  }

  @Override
  public int hashCode() {
    // Constant: a hash of the salt would be a few bits of it wherever hash codes are printed.
    return CommitmentSalt.class.hashCode();
  }

  @Override
  public String toString() {
    return "CommitmentSalt[***]";
  }
}
