package dev.custos.server;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the signature of a ticket-system webhook, in Zendesk's scheme: the header
 * {@value #SIGNATURE_HEADER} is the base64 HMAC-SHA256, under the shared signing secret, of the
 * timestamp header {@value #TIMESTAMP_HEADER} (ISO-8601, as sent) immediately followed by the raw
 * body. A delivery older or newer than the replay window is refused even when correctly signed.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>The signature is compared in constant time ({@link MessageDigest#isEqual}).</li>
 *   <li>The timestamp is inside the signed bytes, so moving a captured delivery into the window
 *       breaks its signature; within the window a replay is harmless because ticket events apply
 *       only when newer than the stored ticket (idempotent by version).</li>
 *   <li>Every refusal says which check failed but never echoes the expected signature.</li>
 * </ul>
 */
public final class WebhookSignature {
  public static final String SIGNATURE_HEADER = "X-Zendesk-Webhook-Signature";
  public static final String TIMESTAMP_HEADER = "X-Zendesk-Webhook-Signature-Timestamp";
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

  /** Why a delivery was refused. */
  enum Refusal {
    MISSING_HEADERS("the signature or timestamp header is missing"),
    BAD_TIMESTAMP("the timestamp is not an ISO-8601 instant"),
    OUTSIDE_WINDOW("the timestamp is outside the replay window"),
    BAD_SIGNATURE("the signature does not match");

    final String explanation;

    Refusal(String explanation) {
      this.explanation = explanation;
    }
  }

  private final SecretKeySpec key;
  private final Duration window;
  private final InstantSource clock;

  public WebhookSignature(byte[] secret, Duration window, InstantSource clock) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("the webhook signing secret must be at least 16 bytes");
    }
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.window = window;
    this.clock = clock;
  }

  /** The signature a sender computes, base64; used by tests, the demo and {@code custos} tools. */
  public String sign(String timestamp, byte[] body) {
    return Base64.getEncoder().encodeToString(mac(timestamp, body));
  }

  /** Why the delivery must be refused, or {@code null} when it is authentic and fresh. */
  Refusal check(String signature, String timestamp, byte[] body) {
    if (signature == null || timestamp == null || signature.isBlank() || timestamp.isBlank()) {
      return Refusal.MISSING_HEADERS;
    }
    Instant at;
    try {
      at = Instant.parse(timestamp.strip());
    } catch (DateTimeParseException e) {
      return Refusal.BAD_TIMESTAMP;
    }
    byte[] presented;
    try {
      presented = Base64.getDecoder().decode(signature.strip());
    } catch (IllegalArgumentException e) {
      return Refusal.BAD_SIGNATURE;
    }
    // Check the signature before the window, so a forged delivery learns nothing about our clock.
    if (!MessageDigest.isEqual(presented, mac(timestamp, body))) {
      return Refusal.BAD_SIGNATURE;
    }
    Duration skew = Duration.between(at, clock.instant()).abs();
    return skew.compareTo(window) > 0 ? Refusal.OUTSIDE_WINDOW : null;
  }

  private byte[] mac(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookSignature[window=" + window + ", secret=redacted]";
  }
}
