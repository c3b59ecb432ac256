package dev.custos.server;

import static dev.custos.server.CustomerWorld.ADA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.detect.DetectionPolicy;
import dev.custos.identity.Password;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffAdmin;
import dev.custos.identity.TotpSecret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection and containment through HTTP against a real server: an insider scraping customers off
 * their tickets is suspended and their next request is 401; touching a decoy contains at once while
 * the answer looks like a real customer's; alerts are worked by security; restore needs a security
 * analyst and a reason. Each insider is a fresh account, so the tests do not depend on each other.
 */
class ContainmentHttpTest {
  @TempDir
  static Path temp;
  static CustomerWorld world;
  static final String REASON = "customer locked out after a phone change, verifying identity";
  static int next;

  @BeforeAll
  static void start() throws Exception {
    // Warm-up off: a fresh installation has learnt nothing, and these tests want the detector to act.
    Containment.Settings detection = new Containment.Settings(
        DetectionPolicy.defaults().toBuilder().warmUp(Duration.ZERO).build(), Duration.ofSeconds(20));
    world = new CustomerWorld(temp, detection, Map.of("quota.break-glass-customers-per-day", "1000"));
    for (int i = 0; i < 60; i++) {
      CustomerId id = new CustomerId("cust-real-" + i);
      world.put(id, CustomerWorld.fullRecord("Customer " + i, "c" + i + "@example.com", "+44 20 7946 " + (1000 + i),
          "QQ" + (100000 + i) + "A"));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (world != null) {
      world.close();
    }
  }

  /** A new member of staff with {@code role}, logged in. */
  static StaffClient insider(Role role, StaffId[] out) throws Exception {
    StaffId id = new StaffId("insider-" + (next++));
    try (var admin = new StaffAdminHandle(world); Password p = Password.copyOf(CustomerWorld.PASSWORD.toCharArray())) {
      StaffAccount account = StaffAccount.create(id, "Insider", Set.of(role), Optional.of("desk-1"),
          StaffAccount.Origin.LOCAL, Instant.now());
      TotpSecret totp = ((StaffAdmin.Outcome.Done<StaffAdmin.Enrolment>) admin.admin().createLocal(account, p, "test"))
          .value().totp().secret();
      world.totp.put(id, totp);
    }
    out[0] = id;
    return world.login(id);
  }

  /** The running server's staff administration (the same one HTTP uses). */
  record StaffAdminHandle(CustomerWorld world) implements AutoCloseable {
    StaffAdmin admin() {
      return world.custos.identity().admin;
    }

    @Override
    public void close() {}
  }

  static StaffClient security() throws Exception {
    return world.login(world.staff.get(Role.SECURITY_ANALYST));
  }

  static List<CustomerId> decoys() throws Exception {
    StaffClient.Reply r = security().get(world.base(), "/v1/decoys");
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    List<CustomerId> out = new ArrayList<>();
    r.json().get("decoys").forEach(n -> out.add(new CustomerId(n.asText())));
    assertThat(out).isNotEmpty();
    return out;
  }

  static String entry(long index) throws Exception {
    world.custos.ledger().publish();
    return new String(world.custos.ledger().entry(index), StandardCharsets.UTF_8);
  }

  @Test
  void insiderScrapingOffTicketCustomers_isSuspended_andTheirNextRequestIs401() throws Exception {
    StaffId[] who = new StaffId[1];
    StaffClient agent = insider(Role.SUPPORT_L2, who);
    int seen = 0;
    int asked = 0;
    for (int i = 0; i < 60; i++) {
      StaffClient.Reply r = agent.post(world.base(), "/v1/access/break-glass",
          Map.of("customer", "cust-real-" + i, "reason", REASON));
      if (r.status() != 200) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(401);
        break;
      }
      asked++;
      seen++;
    }
    assertThat(asked).as("records seen before containment").isLessThan(60);
    System.out.println("records seen before containment: " + seen);
    assertThat(agent.get(world.base(), "/v1/customers/" + ADA.value() + "?ticket=t-none").status()).isEqualTo(401);
    StaffClient.Reply alerts = security().get(world.base(), "/v1/alerts");
    JsonNode suspend = find(alerts.json().get("alerts"), who[0], "suspend");
    assertThat(suspend).isNotNull();
    assertThat(suspend.get("explanation").asText()).contains(who[0].value());
    assertThat(entry(suspend.get("ledgerIndex").asLong())).contains("\"kind\":\"custos.detection/v1\"")
        .contains("\"measure\":\"suspend\"").contains("\"staff\":\"" + who[0].value() + "\"");
    assertThat(world.delivered).anyMatch(a -> a.staff().equals(who[0]) && a.measure().wireName().equals("suspend"));
    assertThat(world.custos.identity().directory.find(who[0]).orElseThrow().isActive()).isFalse();
  }

  static JsonNode find(JsonNode alerts, StaffId staff, String measure) {
    for (Iterator<JsonNode> it = alerts.elements(); it.hasNext(); ) {
      JsonNode a = it.next();
      if (a.get("staff").asText().equals(staff.value()) && a.get("measure").asText().equals(measure)) {
        return a;
      }
    }
    return null;
  }
}
