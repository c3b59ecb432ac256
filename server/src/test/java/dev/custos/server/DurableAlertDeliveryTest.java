package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.custos.access.StaffId;
import dev.custos.detect.Alert;
import dev.custos.detect.AlertStore;
import dev.custos.detect.AlertVerdict;
import dev.custos.detect.TrackedAlert;
import dev.custos.detect.Measure;
import dev.custos.store.AlertDeliveryTable;
import dev.custos.store.AlertTable;
import dev.custos.store.Database;
import dev.custos.store.DatabaseSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert delivery survives the process: an alert waiting for a webhook that is down when one process
 * stops is delivered by the next one, with the same idempotency key and its attempts counted on,
 * against a real PostgreSQL (embedded) and a real HTTP receiver on 127.0.0.1.
 */
class DurableAlertDeliveryTest {
  private static final byte[] SECRET = "a-webhook-secret-for-security".getBytes(StandardCharsets.UTF_8);
  /** Slow enough that the first process is still retrying when it stops. */
  private static final Backoff PATIENT = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 100);

  @TempDir
  static Path temp;
  static Database db;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private HttpServer receiver;

  @BeforeAll
  static void open() throws Exception {
    db = Database.embedded(temp.resolve("pg"), DatabaseSettings.defaults());
  }

  @AfterAll
  static void close() {
    if (db != null) {
      db.close();
    }
  }

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hooks/custos", ex -> {
      ex.getRequestBody().readAllBytes();
      received.add(ex.getRequestHeaders().getFirst(WebhookTransport.IDEMPOTENCY_HEADER));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  private AlertOutbox process(URI url, String owner) {
    InstantSource clock = InstantSource.system();
    AlertDeliveryTable table = new AlertDeliveryTable(db.dataSource());
    return new AlertOutbox("webhook", new WebhookTransport(url, new WebhookSignature(SECRET, WebhookSignature.DEFAULT_WINDOW,
        clock), clock), PATIENT, 100, new SplittableRandom(5), meters,
        new DeliveryJournal(table, new AlertTable(db.dataSource()), "webhook", owner), clock);
  }

  private static Alert stored(String id) {
    Alert alert = AlertFixtures.alert(id, Measure.SUSPEND);
    new AlertTable(db.dataSource()).add(alert);
    return alert;
  }

  private static String state(String id) {
    return new AlertDeliveryTable(db.dataSource()).state(id, "webhook").orElse("none");
  }

  private static URI nobodyListening() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + s.getLocalPort() + "/hooks/custos");
    }
  }

  @Test
  void anAlertWaitingForADownWebhookWhenTheProcessStops_isDeliveredByTheNextProcess() throws Exception {
    String id = "alert-" + UUID.randomUUID();
    Alert alert = stored(id);
    try (AlertOutbox first = process(nobodyListening(), "process-first")) {
      first.deliver(alert);
      AlertFixtures.await(() -> state(id).startsWith("pending/") && !state(id).equals("pending/0"));
    }
    String afterFirst = state(id);
    int attemptsBefore = Integer.parseInt(afterFirst.substring("pending/".length()));
    assertThat(received).isEmpty();

    URI up = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/custos");
    try (AlertOutbox next = process(up, "process-next")) {
      AlertFixtures.await(() -> state(id).startsWith("delivered/"));
    }

    assertThat(received).containsExactly(id);
    assertThat(state(id)).isEqualTo("delivered/" + (attemptsBefore + 1));
  }

  @Test
  void aDeliveredAlert_isNotSentAgainByTheNextProcess() throws Exception {
    String id = "alert-" + UUID.randomUUID();
    URI up = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/custos");
    try (AlertOutbox first = process(up, "process-a")) {
      first.deliver(stored(id));
      AlertFixtures.await(() -> state(id).equals("delivered/1"));
    }
    try (AlertOutbox next = process(up, "process-b")) {
      // the next process has taken over what was waiting (nothing of this alert) once it started
      AlertFixtures.await(() -> AlertFixtures.count(meters, "webhook", "delivered") >= 1);
      Thread.sleep(300);
    }

    assertThat(received).containsExactly(id);
  }

  @Test
  void aWaitingDeliveryWhoseAlertIsGone_isRecordedAsFailed_notRetriedForever() throws Exception {
    String id = "alert-" + UUID.randomUUID();
    stored(id);
    AlertDeliveryTable table = new AlertDeliveryTable(db.dataSource());
    table.enqueue(id, "webhook", "process-crashed", Instant.now().minusSeconds(600));
    URI up = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/custos");
    AlertTable real = new AlertTable(db.dataSource());
    // An alert store that has lost the alert (the delivery row outlived it).
    AlertStore forgetful = new AlertStore() {
      @Override public void add(Alert a) { real.add(a); }
      @Override public Optional<TrackedAlert> find(String alertId) { return Optional.empty(); }
      @Override public List<TrackedAlert> list(Optional<TrackedAlert.Status> s, int limit) { return real.list(s, limit); }
      @Override public boolean acknowledge(String a, StaffId by, Instant at) { return false; }
      @Override public boolean assign(String a, StaffId to, Instant at) { return false; }
      @Override public boolean close(String a, AlertVerdict v, String note, StaffId by, Instant at) { return false; }
    };
    DeliveryJournal journal = new DeliveryJournal(table, forgetful, "webhook", "process-x");
    try (AlertOutbox o = new AlertOutbox("webhook", new WebhookTransport(up, new WebhookSignature(SECRET,
        WebhookSignature.DEFAULT_WINDOW, InstantSource.system()), InstantSource.system()), PATIENT, 100,
        new SplittableRandom(5), meters, journal, InstantSource.system())) {
      AlertFixtures.await(() -> state(id).startsWith("failed/"));
    }
    assertThat(received).doesNotContain(id);
  }
}
