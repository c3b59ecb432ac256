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
    return login(id);
  }

  static final Map<StaffId, StaffClient> clients = new java.util.concurrent.ConcurrentHashMap<>();

  /** The logged-in client of {@code id}; many sign-ins from one address meet the login throttle: wait as it says. */
  static StaffClient login(StaffId id) throws Exception {
    StaffClient cached = clients.get(id);
    if (cached != null) {
      return cached;
    }
    for (int attempt = 0; ; attempt++) {
      StaffClient c = new StaffClient();
      StaffClient.Reply r = c.login(world.base(), id.value(), CustomerWorld.PASSWORD, world.totp.get(id));
      if (r.status() == 200) {
        clients.put(id, c);
        return c;
      }
      if (r.status() != 429 || attempt > 20) {
        throw new IllegalStateException("login of " + id + " failed: " + r.raw().body());
      }
      Thread.sleep(6000); // the address bucket refills one attempt every 3 s
    }
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
    return login(world.staff.get(Role.SECURITY_ANALYST));
  }

  /** The decoys, read from the server's own desk (over HTTP the list needs an approval: OwnActionsHttpTest). */
  static List<CustomerId> decoys() throws Exception {
    List<CustomerId> out = world.custos.containment().decoys().map(DecoyDesk::open).orElse(List.of());
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

  @Test
  void breakGlassOnADecoy_containsBeforeTheAnswer_whichLooksLikeARealCustomers() throws Exception {
    CustomerId decoy = decoys().get(0);
    StaffId[] honest = new StaffId[1];
    StaffClient.Reply real = insider(Role.SUPPORT_L2, honest).post(world.base(), "/v1/access/break-glass",
        Map.of("customer", "cust-real-7", "reason", REASON));
    StaffId[] who = new StaffId[1];
    StaffClient agent = insider(Role.SUPPORT_L2, who);
    StaffClient.Reply fake = agent.post(world.base(), "/v1/access/break-glass",
        Map.of("customer", decoy.value(), "reason", REASON));

    assertThat(fake.status()).isEqualTo(real.status()).isEqualTo(200);
    assertThat(names(fake.json())).isEqualTo(names(real.json()));
    assertThat(names(fake.json().get("fields"))).isEqualTo(names(real.json().get("fields")));
    assertThat(fake.json().get("masks")).isEqualTo(real.json().get("masks"));
    assertThat(fake.raw().headers().map().keySet()).isEqualTo(real.raw().headers().map().keySet());
    // Contained before the answer left: the directory already says so, and the next request is refused.
    assertThat(world.custos.identity().directory.find(who[0]).orElseThrow().isActive()).isFalse();
    assertThat(agent.get(world.base(), "/v1/customers/" + ADA.value() + "?ticket=t-none").status()).isEqualTo(401);
    assertThat(world.custos.containment().measure(who[0]).wireName()).isEqualTo("suspend");
    assertThat(world.custos.containment().measure(honest[0]).wireName()).isNotEqualTo("suspend");
  }

  @Test
  void viewOfADecoyWithOnesOwnTicket_answersLikeAnyOtherCustomer_andContains() throws Exception {
    CustomerId decoy = decoys().get(1);
    StaffId[] who = new StaffId[1];
    StaffClient agent = insider(Role.SUPPORT_L1, who);
    assertThat(world.ticket("created", "t-" + who[0].value(), ADA, who[0], "open", false).statusCode()).isEqualTo(200);
    StaffClient.Reply other = agent.get(world.base(), "/v1/customers/cust-real-3?ticket=t-" + who[0].value());
    StaffClient.Reply fake = agent.get(world.base(), "/v1/customers/" + decoy.value() + "?ticket=t-" + who[0].value());

    assertThat(fake.status()).isEqualTo(other.status()).isEqualTo(404);
    assertThat(names(fake.json())).isEqualTo(names(other.json()));
    assertThat(fake.json().get("type")).isEqualTo(other.json().get("type"));
    assertThat(fake.json().get("detail").asText().replace(decoy.value(), "X"))
        .isEqualTo(other.json().get("detail").asText().replace("cust-real-3", "X"));
    assertThat(agent.get(world.base(), "/v1/customers/" + ADA.value() + "?ticket=t-" + who[0].value()).status())
        .isEqualTo(401);
  }

  @Test
  void searchMatchingADecoy_showsItOnlyToTheStaffItIsAssignedTo() throws Exception {
    DecoyDesk desk = world.custos.containment().decoys().orElseThrow();
    StaffId[] a = new StaffId[1];
    StaffClient owner = insider(Role.SUPPORT_L1, a);
    StaffId[] b = new StaffId[1];
    StaffClient other = insider(Role.SUPPORT_L1, b);
    CustomerId decoy = desk.assignedTo(a[0]).stream().filter(d -> !desk.assigned(b[0], d)).findFirst().orElseThrow();
    String email = ((dev.custos.vault.FieldValue.Text) desk.find(decoy).orElseThrow().fields()
        .get(new dev.custos.vault.Field("email"))).value();
    String q = "/v1/customers/search?email=" + java.net.URLEncoder.encode(email, StandardCharsets.UTF_8);

    StaffClient.Reply hidden = other.get(world.base(), q);
    StaffClient.Reply shown = owner.get(world.base(), q);

    assertThat(hidden.status()).isEqualTo(200);
    assertThat(hidden.json().get("matches")).isEmpty();
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.json().get("matches").get(0).get("customer").asText()).isEqualTo(decoy.value());
    // Searching is not touching: both carry on.
    assertThat(owner.get(world.base(), "/v1/me/factors").status()).isEqualTo(200);
    assertThat(other.get(world.base(), "/v1/me/factors").status()).isEqualTo(200);
  }

  @Test
  void stepUpMeasure_requiresAFreshSecondFactorBeforeTheNextCustomerAccess() throws Exception {
    StaffId[] who = new StaffId[1];
    StaffClient agent = insider(Role.SUPPORT_L2, who);
    world.custos.containment().apply(new dev.custos.detect.Assessment(who[0], world.clock.instant().plusSeconds(1),
        dev.custos.detect.Measure.STEP_UP, 10.5, List.of()));

    StaffClient.Reply r = agent.post(world.base(), "/v1/access/break-glass",
        Map.of("customer", "cust-real-11", "reason", REASON));

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().get("type").asText()).isEqualTo("urn:custos:problem:step-up-required");
    assertThat(r.json().has("fields")).isFalse();
    assertThat(find(security().get(world.base(), "/v1/alerts").json().get("alerts"), who[0], "step-up")).isNotNull();
  }

  @Test
  void throttleMeasure_allowsOneCustomerAccessPerInterval() throws Exception {
    StaffId[] who = new StaffId[1];
    StaffClient agent = insider(Role.SUPPORT_L2, who);
    world.custos.containment().apply(new dev.custos.detect.Assessment(who[0], world.clock.instant(),
        dev.custos.detect.Measure.THROTTLE, 12.5, List.of()));

    StaffClient.Reply first = agent.post(world.base(), "/v1/access/break-glass",
        Map.of("customer", "cust-real-12", "reason", REASON));
    StaffClient.Reply second = agent.post(world.base(), "/v1/access/break-glass",
        Map.of("customer", "cust-real-13", "reason", REASON));

    assertThat(first.status()).isEqualTo(200);
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.json().get("quota").asText()).isEqualTo("containment-throttle");
    assertThat(second.raw().headers().firstValue("Retry-After")).isPresent();
    assertThat(second.json().has("fields")).isFalse();
  }

  @Test
  void ticketCreatedByStaffForADecoy_suspendsItsAssignee() throws Exception {
    CustomerId decoy = decoys().get(6);
    StaffId[] who = new StaffId[1];
    StaffClient agent = insider(Role.SUPPORT_L1, who);
    var r = world.ticket("created", "t-fabricated-" + (next++), decoy, who[0], "open", true);
    assertThat(Json.MAPPER.readTree(r.body()).get("outcome").asText()).isEqualTo("ignored");
    assertThat(agent.get(world.base(), "/v1/me/factors").status()).isEqualTo(401);
  }

  @Test
  void highValueFlag_isComputedAtIngest_fromTierOrBalance() throws Exception {
    var facts = new dev.custos.store.DetectionFacts(world.dataSource);
    Map<String, Object> rich = CustomerWorld.fullRecord("Rich", "rich@example.com", "+44 20 7946 3001", "QQ300001A");
    rich.put("account_tier", "standard");
    rich.put("balances", Map.of("BTC", "0.1", "USDT", "250000"));
    Map<String, Object> modest = CustomerWorld.fullRecord("Modest", "modest@example.com", "+44 20 7946 3002", "QQ300002A");
    modest.put("account_tier", "standard");
    modest.put("balances", Map.of("USD", "99.50"));
    world.put(new CustomerId("cust-rich"), rich);
    world.put(new CustomerId("cust-modest"), modest);
    assertThat(facts.highValue(new CustomerId("cust-rich"))).isTrue();
    assertThat(facts.highValue(new CustomerId("cust-modest"))).isFalse();
    assertThat(facts.highValue(ADA)).as("tier vip").isTrue();
    world.put(new CustomerId("cust-modest"), Map.of("account_tier", "vip"));
    assertThat(facts.highValue(new CustomerId("cust-modest"))).as("a later tier change").isTrue();
  }

  @Test
  void ticketNamingADecoy_isRecordedButIgnored() throws Exception {
    CustomerId decoy = decoys().get(2);
    var r = world.ticket("created", "t-decoy-" + (next++), decoy, null, "new", false);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.get("outcome").asText()).isEqualTo("ignored");
    assertThat(body.has("ledgerIndex")).isTrue();
  }

  @Test
  void alert_isAcknowledgedAssignedAndClosedWithAVerdict_eachChangeInTheLedger() throws Exception {
    StaffId[] who = new StaffId[1];
    insider(Role.SUPPORT_L2, who).post(world.base(), "/v1/access/break-glass",
        Map.of("customer", decoys().get(3).value(), "reason", REASON));
    StaffClient sec = security();
    JsonNode alert = find(sec.get(world.base(), "/v1/alerts?status=open").json().get("alerts"), who[0], "suspend");
    assertThat(alert).isNotNull();
    assertThat(alert.get("signals").get(0).get("signal").asText()).isEqualTo("decoy");
    String path = "/v1/alerts/" + alert.get("id").asText();

    StaffClient.Reply ack = sec.post(world.base(), path + "/acknowledge", null);
    assertThat(ack.status()).isEqualTo(200);
    assertThat(ack.json().get("status").asText()).isEqualTo("acknowledged");
    assertThat(entry(ack.json().get("changeLedgerIndex").asLong())).contains("\"event\":\"alert.acknowledged\"");
    assertThat(sec.post(world.base(), path + "/acknowledge", null).status()).isEqualTo(409);

    StaffClient.Reply noAssignee = sec.post(world.base(), path + "/assign", Map.of());
    assertThat(noAssignee.status()).isEqualTo(400);
    assertThat(noAssignee.json().get("field").asText()).isEqualTo("assignee");
    StaffClient.Reply assigned = sec.post(world.base(), path + "/assign",
        Map.of("assignee", world.staff.get(Role.SECURITY_ANALYST).value()));
    assertThat(assigned.status()).isEqualTo(200);
    assertThat(assigned.json().get("assignee").asText()).isEqualTo(world.staff.get(Role.SECURITY_ANALYST).value());

    StaffClient.Reply badVerdict = sec.post(world.base(), path + "/close", Map.of("verdict", "guilty"));
    assertThat(badVerdict.status()).isEqualTo(400);
    assertThat(badVerdict.json().get("field").asText()).isEqualTo("verdict");
    assertThat(badVerdict.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
    StaffClient.Reply closed = sec.post(world.base(), path + "/close",
        Map.of("verdict", "true-positive", "note", "decoy touched; confirmed with the team lead"));
    assertThat(closed.status()).isEqualTo(200);
    assertThat(closed.json().get("verdict").asText()).isEqualTo("true-positive");
    assertThat(entry(closed.json().get("changeLedgerIndex").asLong())).contains("\"event\":\"alert.closed\"")
        .contains("\"verdict\":\"true-positive\"").doesNotContain("team lead");
    assertThat(sec.post(world.base(), path + "/close", Map.of("verdict", "benign")).status()).isEqualTo(409);
    assertThat(sec.get(world.base(), "/v1/alerts?status=maybe").json().get("parameter").asText()).isEqualTo("status");
    assertThat(sec.get(world.base(), "/v1/alerts/alert-nope").status()).isEqualTo(404);
  }

  @Test
  void restore_needsASecurityAnalystAndAReason_andResetsTheDetector() throws Exception {
    StaffId[] who = new StaffId[1];
    insider(Role.SUPPORT_L2, who).post(world.base(), "/v1/access/break-glass",
        Map.of("customer", decoys().get(4).value(), "reason", REASON));
    assertThat(world.custos.containment().measure(who[0]).wireName()).isEqualTo("suspend");
    String path = "/v1/staff/" + who[0].value() + "/restore";

    StaffClient admin = login(world.staff.get(Role.ADMINISTRATOR));
    assertThat(admin.post(world.base(), path, Map.of("reason", "false alarm")).status()).isEqualTo(403);
    StaffClient.Reply noReason = security().post(world.base(), path, Map.of());
    assertThat(noReason.status()).isEqualTo(400);
    StaffClient.Reply ok = security().post(world.base(), path,
        Map.of("reason", "the decoy id was typed from a phishing report we asked them to check"));
    assertThat(ok.status()).as(ok.raw().body()).isEqualTo(200);
    assertThat(ok.json().get("status").asText()).isEqualTo("active");
    assertThat(world.custos.containment().measure(who[0]).wireName()).isEqualTo("none");
  }

  @Test
  void newRoutes_answerOnlyTheRolesAllowed() throws Exception {
    for (Role role : Role.values()) {
      StaffClient c = login(world.staff.get(role));
      boolean reader = role == Role.SECURITY_ANALYST || role == Role.AUDITOR;
      boolean worker = role == Role.SECURITY_ANALYST;
      assertThat(c.get(world.base(), "/v1/alerts").status()).as("list alerts as %s", role.wireName())
          .isEqualTo(reader ? 200 : 403);
      assertThat(c.get(world.base(), "/v1/alerts/alert-none").status()).as("read an alert as %s", role.wireName())
          .isEqualTo(reader ? 404 : 403);
      for (String change : List.of("acknowledge", "assign", "close")) {
        assertThat(c.post(world.base(), "/v1/alerts/alert-none/" + change, Map.of()).status())
            .as("%s as %s", change, role.wireName()).isEqualTo(worker ? 404 : 403);
      }
      assertThat(c.get(world.base(), "/v1/decoys").status())
          .as("decoys as %s, without an approved decoy-list-read request", role.wireName()).isEqualTo(403);
    }
    assertThat(new StaffClient().get(world.base(), "/v1/alerts").status()).isEqualTo(401);
  }

  static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
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
