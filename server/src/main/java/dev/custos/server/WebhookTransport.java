package dev.custos.server;

import dev.custos.detect.Alert;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * POSTs alerts as signed JSON to security's webhook, the ticket webhook's scheme in reverse: the
 * header {@value #SIGNATURE_HEADER} is the base64 HMAC-SHA256, under the shared secret, of the
 * header {@value #TIMESTAMP_HEADER} (ISO-8601 UTC, signed afresh on each attempt) immediately
 * followed by the raw body; {@value #IDEMPOTENCY_HEADER} is the alert id, the same on every attempt.
 *
 * <p>A 2xx answer delivers; 408, 425, 429 and 5xx answers and network errors are retried; any other
 * answer is a permanent refusal (the receiver rejects the request as sent: a wrong secret or URL).
 * Redirects are not followed: a signed alert goes only where it was configured to go.
 */
final class WebhookTransport implements AlertOutbox.Transport {
  static final String SIGNATURE_HEADER = "X-Custos-Signature";
  static final String TIMESTAMP_HEADER = "X-Custos-Signature-Timestamp";
  static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

  private final URI url;
  private final WebhookSignature signer;
  private final InstantSource clock;
  private final HttpClient client;

  WebhookTransport(URI url, WebhookSignature signer, InstantSource clock) {
    this.url = Objects.requireNonNull(url, "url");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public void send(Alert alert) throws IOException, AlertOutbox.Refused {
    byte[] body = AlertDocuments.webhookBody(alert);
    String timestamp = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    HttpRequest request = HttpRequest.newBuilder(url)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header("User-Agent", "custos/" + Version.current())
        .header(TIMESTAMP_HEADER, timestamp)
        .header(SIGNATURE_HEADER, signer.sign(timestamp, body))
        .header(IDEMPOTENCY_HEADER, alert.id())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<Void> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    if (status == 408 || status == 425 || status == 429 || status >= 500) {
      throw new IOException("the webhook answered " + status);
    }
    throw new AlertOutbox.Refused("the webhook answered " + status);
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "WebhookTransport[" + url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "]";
  }
}
