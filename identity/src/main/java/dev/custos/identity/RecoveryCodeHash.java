package dev.custos.identity;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * What is stored of one recovery code: SHA-256 over a domain label, the account and the code
 * (see {@link RecoveryCodes} for why a fast hash is enough here).
 *
 * @param value 32 bytes
 */
public record RecoveryCodeHash(byte[] value) {
  public RecoveryCodeHash {
    if (value == null || value.length != 32) {
      throw new IllegalArgumentException("a recovery code hash is 32 bytes (SHA-256)");
    }
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecoveryCodeHash other && java.security.MessageDigest.isEqual(value, other.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  /** The first 4 bytes only: enough to tell rows apart in a log, useless for guessing. */
  @Override
  public String toString() {
    return "RecoveryCodeHash[" + HexFormat.of().formatHex(value, 0, 4) + "…]";
  }
}
