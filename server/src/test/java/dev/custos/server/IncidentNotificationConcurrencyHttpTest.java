package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications sent concurrently ({@link Notifier#SENDERS} at a time, and several passes racing as
 * several instances would) against a real SMTP server (GreenMail): still exactly one e-mail per customer.
 */
class IncidentNotificationConcurrencyHttpTest {
  static final String REASON = "customer locked out after a phone change, verifying identity";
  static final int CUSTOMERS = 12;

  @TempDir
  static Path temp;
  static CustomerWorld world;
  static GreenMail smtp;

  @BeforeAll
  static void start() throws Exception {
    smtp = CustomerWorld.startSmtp();
    world = CustomerWorld.notifyingTo(temp, smtp);
    for (int i = 0; i < CUSTOMERS; i++) {
      assertThat(world.put(new CustomerId("cust-many-" + i), CustomerWorld.fullRecord("Customer " + i,
          "customer" + i + "@example.com", "+44 20 7946 " + (1000 + i), "QQ" + (100000 + i) + "A")).statusCode())
          .isEqualTo(200);
    }
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

  @Test
  void notifications_sentConcurrently_byRacingPasses_stillGoOutExactlyOncePerCustomer() throws Exception {
    StaffId agent = world.staff.get(Role.FRAUD_ANALYST);
    StaffClient fraud = world.login(agent);
    for (int i = 0; i < CUSTOMERS; i++) {
      assertThat(fraud.post(world.base(), "/v1/access/break-glass", Map.of("customer", "cust-many-" + i,
          "reason", REASON)).status()).isEqualTo(200);
    }
    Instant now = world.clock.instant();
    StaffClient.Reply opened = security().post(world.base(), "/v1/incidents", Map.of("title", "Fraud desk leak",
        "suspects", List.of(agent.value()), "from", now.minus(Duration.ofHours(1)).toString(),
        "to", now.plus(Duration.ofHours(1)).toString()));
    assertThat(opened.status()).as(opened.raw().body()).isEqualTo(201);
    String id = opened.json().get("id").asText();
    for (String[] step : new String[][] {{"contained", "0"}, {"notifying", "1"}}) {
      StaffClient.Reply r = security().post(world.base(), "/v1/incidents/" + id + "/status",
          Map.of("status", step[0], "version", Long.parseLong(step[1])));
      assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    }
    StaffClient.Reply started = security().post(world.base(), "/v1/incidents/" + id + "/notify", Map.of());
    assertThat(started.status()).as(started.raw().body()).isEqualTo(202);
    assertThat(started.json().get("queuedNow").asInt()).isEqualTo(CUSTOMERS);
    // Three more passes at once beside the background one: as several instances sharing the table.
    Notifier notifier = world.custos.notifier().orElseThrow();
    ExecutorService racers = Executors.newFixedThreadPool(3);
    List<Future<Integer>> passes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      passes.add(racers.submit(notifier::runOnce));
    }
    for (Future<Integer> f : passes) {
      f.get();
    }
    racers.shutdown();
    assertThat(smtp.waitForIncomingEmail(30_000, CUSTOMERS)).isTrue();
    JsonNode counts = null;
    for (int i = 0; i < 200; i++) {
      counts = security().get(world.base(), "/v1/incidents/" + id + "/notifications").json();
      if (counts.get("done").asBoolean()) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(counts.get("byState").get("sent").asInt()).isEqualTo(CUSTOMERS);
    Thread.sleep(1500); // a late duplicate, were there one, would arrive within a pass or two
    List<String> recipients = new ArrayList<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      if (m.getHeader("Message-ID")[0].startsWith("<" + id + ".")) {
        recipients.add(IncidentNotificationHttpTest.to(m));
      }
    }
    assertThat(recipients).hasSize(CUSTOMERS).doesNotHaveDuplicates()
        .allMatch(r -> r.matches("customer[0-9]+@example\\.com"));
  }
}
