package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.custos.detect.Measure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook delivery against a real HTTP server on 127.0.0.1. */
class WebhookDeliveryTest {
  private static final byte[] SECRET = "a-webhook-secret-for-security".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.parse("2026-11-21T10:16:00Z");

  /** One request as the receiver saw it. */
  record Received(String signature, String timestamp, String idempotencyKey, String contentType, byte[] body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 503;
  private volatile CountDownLatch hold = new CountDownLatch(0);
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private HttpServer server;
  private AlertOutbox outbox;

  @BeforeEach
  void startReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hooks/custos", this::handle);
    server.start();
  }

  private void handle(HttpExchange ex) throws IOException {
    try {
      hold.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] body = ex.getRequestBody().readAllBytes();
    received.add(new Received(ex.getRequestHeaders().getFirst(WebhookTransport.SIGNATURE_HEADER),
        ex.getRequestHeaders().getFirst(WebhookTransport.TIMESTAMP_HEADER),
        ex.getRequestHeaders().getFirst(WebhookTransport.IDEMPOTENCY_HEADER),
        ex.getRequestHeaders().getFirst("Content-Type"), body));
    int status = failuresLeft.getAndDecrement() > 0 ? failureStatus : 204;
    ex.sendResponseHeaders(status, -1);
    ex.close();
  }

  @AfterEach
  void stop() {
    hold.countDown();
    if (outbox != null) {
      outbox.close();
    }
    server.stop(0);
  }

  private AlertOutbox outbox() {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/custos");
    InstantSource clock = InstantSource.fixed(NOW);
    outbox = new AlertOutbox("webhook", new WebhookTransport(url, new WebhookSignature(SECRET, WebhookSignature.DEFAULT_WINDOW,
        clock), clock), AlertFixtures.QUICK, 100, new SplittableRandom(3), meters);
    return outbox;
  }

  @Test
  void aReceiverFailingTheFirstAttempts_getsTheAlertOnARetry_withTheSameIdempotencyKey() throws Exception {
    failuresLeft.set(2);
    outbox().deliver(AlertFixtures.alert("alert-0001", Measure.SUSPEND));

    AlertFixtures.await(() -> AlertFixtures.count(meters, "webhook", "delivered") == 1);
    assertThat(received).hasSize(3);
    assertThat(received).extracting(Received::idempotencyKey).containsOnly("alert-0001");
    assertThat(AlertFixtures.count(meters, "webhook", "retried")).isEqualTo(2);
    assertThat(received.get(2).contentType()).isEqualTo("application/json");
    JsonNode body = Json.MAPPER.readTree(received.get(2).body());
    assertThat(body.get("id").asText()).isEqualTo("alert-0001");
    assertThat(body.get("measure").asText()).isEqualTo("suspend");
  }

  @Test
  void everyAttempt_isSignedOverTheTimestampAndBody_asTheTicketWebhookChecksIt() throws Exception {
    failuresLeft.set(1);
    outbox().deliver(AlertFixtures.alert("alert-0002", Measure.ALERT));

    AlertFixtures.await(() -> AlertFixtures.count(meters, "webhook", "delivered") == 1);
    WebhookSignature receiver = new WebhookSignature(SECRET, WebhookSignature.DEFAULT_WINDOW, InstantSource.fixed(NOW));
    assertThat(received).hasSize(2).allSatisfy(r -> {
      assertThat(r.timestamp()).isEqualTo("2026-11-21T10:16:00Z");
      assertThat(receiver.check(r.signature(), r.timestamp(), r.body())).isNull();
    });
    WebhookSignature wrongSecret = new WebhookSignature("another-secret-of-16+".getBytes(StandardCharsets.UTF_8),
        WebhookSignature.DEFAULT_WINDOW, InstantSource.fixed(NOW));
    Received r = received.get(0);
    assertThat(wrongSecret.check(r.signature(), r.timestamp(), r.body())).isEqualTo(WebhookSignature.Refusal.BAD_SIGNATURE);
  }

  @Test
  void aClientError_isNotRetried() throws Exception {
    failuresLeft.set(1);
    failureStatus = 401;
    outbox().deliver(AlertFixtures.alert("alert-0003", Measure.ALERT));

    AlertFixtures.await(() -> AlertFixtures.count(meters, "webhook", "failed") == 1);
    assertThat(received).hasSize(1);
    assertThat(AlertFixtures.count(meters, "webhook", "delivered")).isZero();
  }

  @Test
  void aReceiverThatKeepsFailing_isGivenUpOnAfterTheBoundedAttempts_andTheNextAlertStillGoes() throws Exception {
    failuresLeft.set(AlertFixtures.QUICK.attempts());
    AlertOutbox o = outbox();
    o.deliver(AlertFixtures.alert("alert-0004", Measure.ALERT));
    o.deliver(AlertFixtures.alert("alert-0005", Measure.ALERT));

    AlertFixtures.await(() -> AlertFixtures.count(meters, "webhook", "delivered") == 1);
    assertThat(AlertFixtures.count(meters, "webhook", "failed")).isEqualTo(1);
    assertThat(received).extracting(Received::idempotencyKey).filteredOn("alert-0004"::equals)
        .hasSize(AlertFixtures.QUICK.attempts());
    assertThat(received.getLast().idempotencyKey()).isEqualTo("alert-0005");
  }

  @Test
  void deliver_handsOverWithoutWaitingForTheReceiver() throws Exception {
    hold = new CountDownLatch(1); // the receiver hangs until released
    AlertOutbox o = outbox();
    o.deliver(AlertFixtures.alert("alert-0006", Measure.ALERT));
    o.deliver(AlertFixtures.alert("alert-0007", Measure.ALERT));
    o.deliver(AlertFixtures.alert("alert-0008", Measure.ALERT));

    assertThat(received).isEmpty(); // every deliver returned while the receiver was still holding the first
    hold.countDown();
    AlertFixtures.await(() -> AlertFixtures.count(meters, "webhook", "delivered") == 3);
    assertThat(received).extracting(Received::idempotencyKey).containsExactly("alert-0006", "alert-0007", "alert-0008");
  }

  @Test
  void aFullQueue_dropsAndCountsTheAlert_insteadOfBlocking() throws Exception {
    hold = new CountDownLatch(1);
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/custos");
    InstantSource clock = InstantSource.fixed(NOW);
    outbox = new AlertOutbox("webhook", new WebhookTransport(url, new WebhookSignature(SECRET, WebhookSignature.DEFAULT_WINDOW,
        clock), clock), AlertFixtures.QUICK, 1, new SplittableRandom(3), meters);
    outbox.deliver(AlertFixtures.alert("first", Measure.ALERT));
    AlertFixtures.await(() -> outbox.waiting() == 0); // the first is in flight, held by the receiver
    outbox.deliver(AlertFixtures.alert("second", Measure.ALERT));
    outbox.deliver(AlertFixtures.alert("third", Measure.ALERT));

    assertThat(AlertFixtures.count(meters, "webhook", "dropped")).isEqualTo(1);
    hold.countDown();
    AlertFixtures.await(() -> AlertFixtures.count(meters, "webhook", "delivered") == 2);
    assertThat(received).extracting(Received::idempotencyKey).containsExactly("first", "second");
  }
}
