package dev.custos.identity;

import java.util.Arrays;
import java.util.Optional;

/** The HMAC behind a TOTP code (RFC 6238 §1.2). SHA-1 is the default because every authenticator app supports it. */
public enum TotpAlgorithm {
  /** HMAC-SHA-1: RFC 4226's function, still sound as a MAC; the only one all apps implement. */
  SHA1("HmacSHA1", 20),
  SHA256("HmacSHA256", 32),
  SHA512("HmacSHA512", 64);

  private final String jcaName;
  private final int keyBytes;

  TotpAlgorithm(String jcaName, int keyBytes) {
    this.jcaName = jcaName;
    this.keyBytes = keyBytes;
  }

  /** The JCA {@code Mac} name. */
  String jcaName() {
    return jcaName;
  }

  /** The secret length this algorithm is keyed with by default: its output size, as RFC 6238's reference does. */
  public int keyBytes() {
    return keyBytes;
  }

  /** The {@code algorithm} parameter of an otpauth URI ({@code SHA1}, {@code SHA256}, {@code SHA512}). */
  public String uriName() {
    return name();
  }

  /** The algorithm called {@code name} in an otpauth URI, case-insensitively. */
  public static Optional<TotpAlgorithm> fromUriName(String name) {
    return Arrays.stream(values()).filter(a -> a.name().equalsIgnoreCase(name)).findFirst();
  }
}
