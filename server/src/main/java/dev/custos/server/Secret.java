package dev.custos.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A configuration secret such as a database password. Never a record: its {@code toString} is
 * redacted, and equality is constant-time.
 */
public final class Secret {
  private final char[] value;

  private Secret(char[] value) {
    this.value = value.clone();
  }

  static Secret of(String value) {
    return new Secret(value.toCharArray());
  }

  /** The secret characters; a copy the caller should clear when done. */
  public char[] reveal() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && MessageDigest.isEqual(bytes(), s.bytes());
  }

  private byte[] bytes() {
    return new String(value).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public int hashCode() {
    return 0; // constant: a hash of the value would leak information about it
  }

  @Override
  public String toString() {
    return "***";
  }
}
