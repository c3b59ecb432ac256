package dev.custos.identity;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226): the code for time step
 * {@code floor(unixSeconds / period)} (T0 = 0) is the dynamically truncated HMAC of the step
 * number, modulo {@code 10^digits}, zero-padded. This type computes codes; {@link TotpVerifier}
 * decides whether a presented code is accepted.
 *
 * @param algorithm the HMAC
 * @param digits code length, 6 to 8 (RFC 4226 requires at least 6; apps show 6 or 8)
 * @param period the time step, whole seconds from 1 s to 5 min
 */
public record Totp(TotpAlgorithm algorithm, int digits, Duration period) {
  /** What every authenticator app expects: SHA-1, 6 digits, 30 seconds. */
  public static final Totp DEFAULT = new Totp(TotpAlgorithm.SHA1, 6, Duration.ofSeconds(30));

  private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

  public Totp {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(period, "period");
    if (digits < 6 || digits > 8) {
      throw new IllegalArgumentException("TOTP digits must be 6 to 8, was " + digits);
    }
    if (period.getNano() != 0 || period.getSeconds() < 1 || period.getSeconds() > 300) {
      throw new IllegalArgumentException("TOTP period must be whole seconds from 1 to 300, was " + period);
    }
  }

  /** The time step that {@code t} falls in. */
  public long stepAt(Instant t) {
    return Math.floorDiv(t.getEpochSecond(), period.getSeconds());
  }

  /** The code at time {@code t}: what an authenticator app shows then. */
  public String codeAt(TotpSecret secret, Instant t) {
    return code(secret, stepAt(t));
  }

  /**
   * The code for time step {@code step}.
   *
   * @throws IllegalArgumentException when the step is negative (a time before 1970)
   */
  public String code(TotpSecret secret, long step) {
    if (step < 0) {
      throw new IllegalArgumentException("a TOTP time step is never negative, was " + step);
    }
    byte[] mac;
    try {
      Mac hmac = Mac.getInstance(algorithm.jcaName());
      hmac.init(new SecretKeySpec(secret.keyForMac(), algorithm.jcaName()));
      mac = hmac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + algorithm.jcaName(), e);
    }
    int offset = mac[mac.length - 1] & 0x0f;
    int binary = ((mac[offset] & 0x7f) << 24) | ((mac[offset + 1] & 0xff) << 16) | ((mac[offset + 2] & 0xff) << 8)
        | (mac[offset + 3] & 0xff);
    String digitsText = Integer.toString(binary % POW10[digits]);
    return "0".repeat(digits - digitsText.length()) + digitsText;
  }
}
