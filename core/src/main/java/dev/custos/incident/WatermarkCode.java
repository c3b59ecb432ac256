package dev.custos.incident;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The short code the console draws into every page that shows customer data, so that a photo,
 * screenshot or video of the screen names its session: 8 characters of Crockford base32 (40 bits)
 * of {@code SHA-256("custos.watermark/v1" || 0x00 || session handle)}. Session handles are in the
 * ledger, so attribution finds the session of a code by computing the codes of the sessions there.
 * Not a secret and not an authenticator: it identifies, nothing more.
 */
public final class WatermarkCode {
  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final byte[] DOMAIN = "custos.watermark/v1\0".getBytes(StandardCharsets.US_ASCII);
  /** The length of a code. */
  public static final int LENGTH = 8;

  private WatermarkCode() {}

  /** The code of a session handle. */
  public static String of(String sessionHandle) {
    Objects.requireNonNull(sessionHandle, "session handle");
    byte[] digest;
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(DOMAIN);
      digest = sha.digest(sessionHandle.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
    long bits = 0;
    for (int i = 0; i < 5; i++) {
      bits = (bits << 8) | (digest[i] & 0xff);
    }
    char[] code = new char[LENGTH];
    for (int i = LENGTH - 1; i >= 0; i--) {
      code[i] = ALPHABET.charAt((int) (bits & 31));
      bits >>>= 5;
    }
    return new String(code);
  }

  /**
   * A code as read back by a person from a picture: case-insensitive, with Crockford's confusable
   * letters mapped (O to 0, I and L to 1) and spaces or hyphens ignored; empty if it cannot be a code.
   */
  public static Optional<String> normalise(String read) {
    if (read == null) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder(LENGTH);
    for (char c : read.toUpperCase(Locale.ROOT).toCharArray()) {
      if (c == ' ' || c == '-') {
        continue;
      }
      char mapped = switch (c) {
        case 'O' -> '0';
        case 'I', 'L' -> '1';
        default -> c;
      };
      if (ALPHABET.indexOf(mapped) < 0) {
        return Optional.empty();
      }
      out.append(mapped);
    }
    return out.length() == LENGTH ? Optional.of(out.toString()) : Optional.empty();
  }
}
