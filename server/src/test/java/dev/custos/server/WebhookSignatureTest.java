package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  private static final byte[] SECRET = "a-shared-webhook-signing-secret".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  private static final byte[] BODY = "{\"event\":\"created\"}".getBytes(StandardCharsets.UTF_8);
  private final WebhookSignature signature =
      new WebhookSignature(SECRET, WebhookSignature.DEFAULT_WINDOW, InstantSource.fixed(NOW));

  @Test
  void sign_isBase64HmacSha256OfTimestampThenBody_asZendeskDefinesIt() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
    mac.update("2026-11-21T10:00:00Z".getBytes(StandardCharsets.UTF_8));
    String expected = Base64.getEncoder().encodeToString(mac.doFinal(BODY));

    assertThat(signature.sign("2026-11-21T10:00:00Z", BODY)).isEqualTo(expected);
  }

  @Test
  void check_acceptsAFreshCorrectlySignedDelivery() {
    String ts = "2026-11-21T09:58:00Z";
    assertThat(signature.check(signature.sign(ts, BODY), ts, BODY)).isNull();
  }

  @Test
  void check_refusesAChangedBody() {
    String ts = "2026-11-21T10:00:00Z";
    byte[] changed = "{\"event\":\"closed\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(signature.check(signature.sign(ts, BODY), ts, changed)).isEqualTo(WebhookSignature.Refusal.BAD_SIGNATURE);
  }

  @Test
  void check_refusesATimestampMovedIntoTheWindow_becauseItIsSigned() {
    String old = "2026-11-21T08:00:00Z";
    String sig = signature.sign(old, BODY);
    assertThat(signature.check(sig, "2026-11-21T10:00:00Z", BODY)).isEqualTo(WebhookSignature.Refusal.BAD_SIGNATURE);
  }

  @Test
  void check_refusesACorrectlySignedDeliveryOutsideTheReplayWindow() {
    String old = "2026-11-21T09:54:59Z";
    assertThat(signature.check(signature.sign(old, BODY), old, BODY)).isEqualTo(WebhookSignature.Refusal.OUTSIDE_WINDOW);
    String future = "2026-11-21T10:05:01Z";
    assertThat(signature.check(signature.sign(future, BODY), future, BODY)).isEqualTo(WebhookSignature.Refusal.OUTSIDE_WINDOW);
  }

  @Test
  void check_refusesMissingOrMalformedHeaders() {
    assertThat(signature.check(null, "2026-11-21T10:00:00Z", BODY)).isEqualTo(WebhookSignature.Refusal.MISSING_HEADERS);
    assertThat(signature.check("abc", " ", BODY)).isEqualTo(WebhookSignature.Refusal.MISSING_HEADERS);
    assertThat(signature.check("abc", "yesterday", BODY)).isEqualTo(WebhookSignature.Refusal.BAD_TIMESTAMP);
    assertThat(signature.check("not base64!", "2026-11-21T10:00:00Z", BODY)).isEqualTo(WebhookSignature.Refusal.BAD_SIGNATURE);
  }

  @Test
  void check_refusesASignatureUnderAnotherSecret() {
    WebhookSignature other = new WebhookSignature("another-secret-of-enough-length".getBytes(StandardCharsets.UTF_8),
        Duration.ofMinutes(5), InstantSource.fixed(NOW));
    String ts = "2026-11-21T10:00:00Z";
    assertThat(signature.check(other.sign(ts, BODY), ts, BODY)).isEqualTo(WebhookSignature.Refusal.BAD_SIGNATURE);
  }

  @Test
  void aShortSecretIsRefused_andToStringNeverShowsTheSecret() {
    assertThatThrownBy(() -> new WebhookSignature(new byte[8], Duration.ofMinutes(5), InstantSource.fixed(NOW)))
        .hasMessageContaining("at least 16 bytes");
    assertThat(signature.toString()).doesNotContain("shared-webhook");
  }
}
