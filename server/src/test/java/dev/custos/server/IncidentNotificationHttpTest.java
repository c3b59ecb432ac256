package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Customer notifications through HTTP against a real SMTP server (GreenMail): one e-mail per
 * customer in their language, saying which data, when and what to do; never a second one, across a
 * restart and with a notification left claimed by a sender that "crashed" between send and mark.
 */
class IncidentNotificationHttpTest {
  static final String REASON = "customer locked out after a phone change, verifying identity";
  static final CustomerId KARL = new CustomerId("cust-karl");
  static final CustomerId LATE = new CustomerId("cust-late");
  static final String KARL_EMAIL = "karl.weierstrass@example.de";
  static final String LATE_EMAIL = "late@example.com";

  @TempDir
  static Path temp;
  static CustomerWorld world;
  static GreenMail smtp;

  @BeforeAll
  static void start() throws Exception {
    smtp = CustomerWorld.startSmtp();
    world = CustomerWorld.notifyingTo(temp, smtp);
    Map<String, Object> karl = CustomerWorld.fullRecord("Karl Weierstrass", KARL_EMAIL, "+49 30 1234567", "DE12345");
    karl.put("nationality", "DE");
    assertThat(world.put(KARL, karl).statusCode()).isEqualTo(200);
    assertThat(world.put(LATE, CustomerWorld.fullRecord("Late Customer", LATE_EMAIL, "+44 20 7946 0777", "QQ777777L"))
        .statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (world != null) {
      world.close();
    }
    if (smtp != null) {
      smtp.stop();
    }
  }

  static StaffClient security() throws Exception {
    return world.login(world.staff.get(Role.SECURITY_ANALYST));
  }

  static JsonNode move(String id, String status, long version) throws Exception {
    StaffClient.Reply r = security().post(world.base(), "/v1/incidents/" + id + "/status",
        Map.of("status", status, "version", version));
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    return r.json();
  }

  /**
   * One e-mail per customer in their language; again is nothing new; after a restart, and with one
   * notification left claimed by a "crashed" sender, still nothing new and the gap is counted.
   */
  @Test
  void notifications_goOutOncePerCustomer_inTheirLanguage_evenAcrossARestart() throws Exception {
    // Its own incident over one agent's window, with its own customers, so no other test's mail mixes in.
    StaffId agent = world.staff.get(Role.FRAUD_ANALYST);
    StaffClient fraud = world.login(agent);
    for (CustomerId c : List.of(CustomerWorld.ADA, KARL)) {
      assertThat(fraud.post(world.base(), "/v1/access/break-glass", Map.of("customer", c.value(), "reason", REASON))
          .status()).isEqualTo(200);
    }
    Instant now = world.clock.instant();
    StaffClient.Reply opened = security().post(world.base(), "/v1/incidents", Map.of("title", "Fraud desk leak",
        "suspects", List.of(agent.value()), "from", now.minus(Duration.ofHours(1)).toString(),
        "to", now.plus(Duration.ofHours(1)).toString()));
    assertThat(opened.status()).as(opened.raw().body()).isEqualTo(201);
    String id = opened.json().get("id").asText();
    move(id, "contained", 0);
    move(id, "notifying", 1);
    int before = smtp.getReceivedMessages().length;
    StaffClient.Reply started = security().post(world.base(), "/v1/incidents/" + id + "/notify", Map.of());
    assertThat(started.status()).as(started.raw().body()).isEqualTo(202);
    assertThat(started.json().get("queuedNow").asInt()).isEqualTo(2);
    assertThat(smtp.waitForIncomingEmail(20_000, before + 2)).isTrue();
    awaitDone(id, 2);

    List<MimeMessage> mine = messagesFor(id);
    assertThat(mine).hasSize(2);
    MimeMessage german = mine.stream().filter(m -> to(m).equals(KARL_EMAIL)).findFirst().orElseThrow();
    assertThat(german.getSubject()).contains("Ihre persönlichen Daten");
    assertThat(text(german)).contains("Hardware-Sicherheitsschlüssel", "Kontaktdaten", id);
    MimeMessage english = mine.stream().filter(m -> to(m).equals(CustomerWorld.ADA_EMAIL)).findFirst().orElseThrow();
    assertThat(english.getSubject()).startsWith("Example Exchange:");
    assertThat(text(english)).contains("hardware security key", "claim to come from Example Exchange",
        "contact details", id);
    assertThat(english.getHeader("Message-ID")[0]).startsWith("<" + id + ".");

    // Again: nothing new is queued or sent.
    StaffClient.Reply again = security().post(world.base(), "/v1/incidents/" + id + "/notify", Map.of());
    assertThat(again.json().get("queuedNow").asInt()).isZero();

    // A "crash" between send and mark: LATE's notification claimed long ago and never marked.
    CustosConfig config = world.custos.config();
    String lateCommitment = world.custos.customers().vault.commitment(LATE).orElseThrow().hex();
    world.custos.close();
    try (Connection c = world.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO incident_notification (incident, customer, customer_id, state, attempts, next_at, claimed_at, "
            + "error, updated_at) VALUES (?, ?, ?, 'sending', 1, now(), now() - interval '10 minutes', NULL, now())")) {
      ps.setString(1, id);
      ps.setString(2, lateCommitment);
      ps.setString(3, LATE.value());
      ps.executeUpdate();
    }
    try (Custos restarted = Custos.start(config, world.clock, RandomGenerator.getDefault(), Custos.Progress.NONE)) {
      StaffClient analyst = new StaffClient();
      analyst.cookies.putAll(security().cookies);
      analyst.csrf = security().csrf;
      restarted.notifier().orElseThrow().runOnce();
      StaffClient.Reply resumed = analyst.post(restarted.baseUri(), "/v1/incidents/" + id + "/notify", Map.of());
      assertThat(resumed.status()).as(resumed.raw().body()).isEqualTo(202);
      assertThat(resumed.json().get("queuedNow").asInt()).isZero();
      restarted.notifier().orElseThrow().runOnce();
      JsonNode counts = analyst.get(restarted.baseUri(), "/v1/incidents/" + id + "/notifications").json();
      assertThat(counts.get("byState").get("sent").asInt()).isEqualTo(2);
      assertThat(counts.get("byState").get("uncertain").asInt()).isEqualTo(1);
      assertThat(counts.get("done").asBoolean()).isTrue();
      assertThat(counts.get("needsAttention")).singleElement().satisfies(n -> {
        assertThat(n.get("customer").asText()).isEqualTo(LATE.value());
        assertThat(n.get("state").asText()).isEqualTo("uncertain");
        assertThat(n.get("reason").asText()).isEqualTo("claim-expired");
      });
    }
    assertThat(messagesFor(id)).hasSize(2);
    assertThat(java.util.Arrays.stream(smtp.getReceivedMessages()).map(IncidentNotificationHttpTest::to))
        .doesNotContain(LATE_EMAIL);
  }

  static void awaitDone(String id, int sent) throws Exception {
    for (int i = 0; i < 100; i++) {
      JsonNode counts = security().get(world.base(), "/v1/incidents/" + id + "/notifications").json();
      if (counts.get("byState").get("sent").asInt() == sent) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("notifications of " + id + " not all sent");
  }

  static List<MimeMessage> messagesFor(String id) throws Exception {
    List<MimeMessage> out = new ArrayList<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      if (m.getHeader("Message-ID")[0].startsWith("<" + id + ".")) {
        out.add(m);
      }
    }
    return out;
  }

  static String to(MimeMessage m) {
    try {
      return m.getAllRecipients()[0].toString();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(MimeMessage m) throws Exception {
    return m.getContent().toString();
  }
}
