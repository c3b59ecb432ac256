package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incidents through HTTP against a real server and a real SMTP server (GreenMail): only security
 * analysts; bad input named; one of two concurrent transitions wins; the scope as JSON and CSV with
 * jurisdictions; the incident-scope withdrawal rule; the report as JSON and a printable page. The
 * notifications themselves are in {@link IncidentNotificationHttpTest} (it restarts its server).
 */
class IncidentRoutesHttpTest {
  static final String REASON = "customer locked out after a phone change, verifying identity";
  static final CustomerId KARL = new CustomerId("cust-karl");
  static final CustomerId LATE = new CustomerId("cust-late");
  static final CustomerId UNSEEN = new CustomerId("cust-unseen");
  static final String KARL_EMAIL = "karl.weierstrass@example.de";
  static final String LATE_EMAIL = "late@example.com";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path temp;
  static CustomerWorld world;
  static GreenMail smtp;
  static StaffId insider;

  @BeforeAll
  static void start() throws Exception {
    smtp = CustomerWorld.startSmtp();
    world = CustomerWorld.notifyingTo(temp, smtp);
    Map<String, Object> karl = CustomerWorld.fullRecord("Karl Weierstrass", KARL_EMAIL, "+49 30 1234567", "DE12345");
    karl.put("nationality", "DE");
    assertThat(world.put(KARL, karl).statusCode()).isEqualTo(200);
    assertThat(world.put(LATE, CustomerWorld.fullRecord("Late Customer", LATE_EMAIL, "+44 20 7946 0777", "QQ777777L"))
        .statusCode()).isEqualTo(200);
    assertThat(world.put(UNSEEN, CustomerWorld.fullRecord("Unseen", "unseen@example.com", "+44 20 7946 0555",
        "QQ555555U")).statusCode()).isEqualTo(200);
    insider = world.staff.get(Role.SUPPORT_L2);
    StaffClient agent = world.login(insider);
    for (CustomerId c : List.of(CustomerWorld.ADA, CustomerWorld.BOB, KARL, LATE)) {
      StaffClient.Reply r = agent.post(world.base(), "/v1/access/break-glass", Map.of("customer", c.value(),
          "reason", REASON));
      assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
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

  static Map<String, Object> openBody() {
    Instant now = world.clock.instant();
    return Map.of("title", "Extortion e-mail claims our customer list", "suspects", List.of(insider.value()),
        "from", now.minus(Duration.ofHours(2)).toString(), "to", now.plus(Duration.ofHours(2)).toString(),
        "notes", "tip received by the CEO");
  }

  static JsonNode open() throws Exception {
    StaffClient.Reply r = security().post(world.base(), "/v1/incidents", openBody());
    assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
    return r.json();
  }

  static JsonNode move(String id, String status, long version) throws Exception {
    StaffClient.Reply r = security().post(world.base(), "/v1/incidents/" + id + "/status",
        Map.of("status", status, "version", version));
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    return r.json();
  }

  static String entry(long index) throws Exception {
    world.custos.ledger().publish();
    return new String(world.custos.ledger().entry(index), StandardCharsets.UTF_8);
  }

  @Test
  void open_asSecurityAnalyst_recordsTheStepWithoutTheTitle() throws Exception {
    JsonNode i = open();
    assertThat(i.get("status").asText()).isEqualTo("open");
    assertThat(i.get("version").asLong()).isZero();
    JsonNode first = i.get("timeline").get(0);
    assertThat(first.get("event").asText()).isEqualTo("opened");
    String e = entry(first.get("ledgerIndex").asLong());
    assertThat(e).contains("\"kind\":\"custos.incident/v1\"", "\"event\":\"opened\"", "title_sha256")
        .doesNotContain("Extortion", "CEO");
    StaffClient.Reply read = security().get(world.base(), "/v1/incidents/" + i.get("id").asText());
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("title").asText()).isEqualTo("Extortion e-mail claims our customer list");
    StaffClient.Reply list = security().get(world.base(), "/v1/incidents?status=open");
    assertThat(list.json().get("incidents").findValuesAsText("id")).contains(i.get("id").asText());
  }

  @Test
  void everyIncidentRoute_isForSecurityAnalystsOnly() throws Exception {
    String id = open().get("id").asText();
    List<String[]> routes = List.of(new String[] {"GET", "/v1/incidents"}, new String[] {"POST", "/v1/incidents"},
        new String[] {"GET", "/v1/incidents/" + id}, new String[] {"POST", "/v1/incidents/" + id + "/status"},
        new String[] {"POST", "/v1/incidents/" + id + "/assign"}, new String[] {"POST", "/v1/incidents/" + id + "/actions"},
        new String[] {"GET", "/v1/incidents/" + id + "/scope"}, new String[] {"POST", "/v1/incidents/" + id + "/notify"},
        new String[] {"GET", "/v1/incidents/" + id + "/notifications"},
        new String[] {"GET", "/v1/incidents/" + id + "/report"});
    for (Role role : Role.values()) {
      if (role == Role.SECURITY_ANALYST) {
        continue;
      }
      StaffClient c = world.login(world.staff.get(role));
      for (String[] r : routes) {
        StaffClient.Reply reply = c.send(world.base(), r[0], r[1], r[0].equals("POST") ? Map.of() : null);
        assertThat(reply.status()).as(role + " " + r[0] + " " + r[1]).isEqualTo(403);
      }
    }
    StaffClient anonymous = new StaffClient();
    for (String[] r : routes) {
      assertThat(anonymous.send(world.base(), r[0], r[1], r[0].equals("POST") ? Map.of() : null).status())
          .as("no session " + r[1]).isEqualTo(401);
    }
  }

  @Test
  void badInput_isAProblemNamingTheField() throws Exception {
    Map<String, Object> body = new HashMap<>(openBody());
    body.remove("title");
    assertProblem(security().post(world.base(), "/v1/incidents", body), 400, "field", "title");
    body = new HashMap<>(openBody());
    body.put("from", "yesterday");
    assertProblem(security().post(world.base(), "/v1/incidents", body), 400, "field", "from");
    body = new HashMap<>(openBody());
    body.put("to", body.get("from"));
    assertProblem(security().post(world.base(), "/v1/incidents", body), 400, "field", "to");
    body = new HashMap<>(openBody());
    body.put("suspects", List.of("not a staff id!"));
    assertProblem(security().post(world.base(), "/v1/incidents", body), 400, "field", "suspects");
    String id = open().get("id").asText();
    assertProblem(security().post(world.base(), "/v1/incidents/" + id + "/status", Map.of("status", "fixed",
        "version", 0)), 400, "field", "status");
    assertProblem(security().post(world.base(), "/v1/incidents/" + id + "/status", Map.of("status", "contained")),
        400, "field", "version");
    assertProblem(security().post(world.base(), "/v1/incidents/" + id + "/assign", Map.of("owner",
        world.staff.get(Role.SUPPORT_L1).value(), "version", 0)), 400, "field", "owner");
    assertProblem(security().post(world.base(), "/v1/incidents/" + id + "/actions", Map.of("type", "cleanup",
        "text", "x")), 400, "field", "type");
    assertProblem(security().get(world.base(), "/v1/incidents/INC-1"), 400, "parameter", "id");
    assertProblem(security().get(world.base(), "/v1/incidents?limit=0"), 400, "parameter", "limit");
    StaffClient.Reply missing = security().get(world.base(), "/v1/incidents/inc-0000000000000000");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
  }

  static void assertProblem(StaffClient.Reply r, int status, String member, String name) {
    assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
    assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(r.json().path(member).asText()).as(r.raw().body()).isEqualTo(name);
  }

  @Test
  void twoConcurrentTransitionsFromOneVersion_exactlyOneWins() throws Exception {
    String id = open().get("id").asText();
    StaffClient analyst = security();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (String status : List.of("contained", "closed")) {
        Callable<Integer> call = () -> {
          go.await();
          return analyst.post(world.base(), "/v1/incidents/" + id + "/status", Map.of("status", status, "version", 0))
              .status();
        };
        results.add(pool.submit(call));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : results) {
        statuses.add(f.get());
      }
      assertThat(statuses).containsExactlyInAnyOrder(200, 409);
    } finally {
      pool.shutdownNow();
    }
    JsonNode now = security().get(world.base(), "/v1/incidents/" + id).json();
    assertThat(now.get("version").asLong()).isEqualTo(1);
    assertThat(now.get("timeline").findValuesAsText("event")).containsExactly("opened", "status");
  }

  @Test
  void assignAndActions_appearOnTheTimeline() throws Exception {
    String id = open().get("id").asText();
    StaffClient.Reply assigned = security().post(world.base(), "/v1/incidents/" + id + "/assign",
        Map.of("owner", world.staff.get(Role.SECURITY_ANALYST).value(), "version", 0));
    assertThat(assigned.status()).as(assigned.raw().body()).isEqualTo(200);
    assertThat(assigned.json().get("owner").asText()).isEqualTo(world.staff.get(Role.SECURITY_ANALYST).value());
    StaffClient.Reply acted = security().post(world.base(), "/v1/incidents/" + id + "/actions",
        Map.of("type", "remediation", "text", "rotated the support tool's export credentials"));
    assertThat(acted.status()).as(acted.raw().body()).isEqualTo(200);
    assertThat(entry(acted.json().get("changeLedgerIndex").asLong())).contains("text_sha256")
        .doesNotContain("export credentials");
    assertThat(acted.json().get("timeline").findValuesAsText("event")).containsExactly("opened", "assigned", "action");
  }

  @Test
  void scope_asJson_listsTheCustomersTheSuspectSaw_byCategoryAndJurisdiction_andIsRecorded() throws Exception {
    String id = open().get("id").asText();
    StaffClient.Reply r = security().get(world.base(), "/v1/incidents/" + id + "/scope");
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    JsonNode s = r.json();
    assertThat(s.get("customers").asInt()).isEqualTo(4);
    assertThat(s.get("exposures").findValuesAsText("customer")).containsExactlyInAnyOrder("cust-ada", "cust-bob",
        "cust-karl", "cust-late");
    assertThat(s.get("byJurisdiction").get("DE").asInt()).isEqualTo(1);
    assertThat(s.get("byJurisdiction").get("GB").asInt()).isEqualTo(3);
    assertThat(s.get("byCategory").get("contact").asInt()).isEqualTo(4);
    JsonNode timeline = security().get(world.base(), "/v1/incidents/" + id).json().get("timeline");
    JsonNode read = timeline.get(timeline.size() - 1);
    assertThat(read.get("event").asText()).isEqualTo("scope.read");
    assertThat(entry(read.get("ledgerIndex").asLong())).contains("\"event\":\"scope.read\"", "\"customers\":4");
    String reads = entry(read.get("ledgerIndex").asLong() + 1);
    assertThat(reads).contains("\"event\":\"customers.read\"", "\"purpose\":\"scope\"", "\"fields\":[\"nationality\"]")
        .doesNotContain("cust-ada");
  }

  @Test
  void scope_asCsv_hasOneRowPerCustomer() throws Exception {
    String id = open().get("id").asText();
    HttpRequest.Builder b = HttpRequest.newBuilder(world.base().resolve("/v1/incidents/" + id + "/scope"))
        .header("Accept", "text/csv");
    StaffClient analyst = security();
    b.header("Cookie", String.join("; ", analyst.cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .toList()));
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    List<String> lines = r.body().lines().toList();
    assertThat(lines.get(0)).isEqualTo("customer_id,commitment,jurisdiction,first,last,accesses,staff,fields");
    assertThat(lines).hasSize(5);
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("cust-karl,").contains(",DE,", "email=masked"));
  }

  @Test
  void withdrawal_ofACustomerInAnOpenIncidentsScope_meetsTheIncidentScopeRule() throws Exception {
    open();
    world.custos.ledger().publish(); // the index reads what the ledger published (every second)
    world.custos.indexing().catchUp(); // the background catch-up runs every second; the test does not wait for it
    String wallet = world.custos.serviceTokens().issue("wallet-incident", Set.of(Scope.WITHDRAWALS_EVALUATE),
        Optional.empty()).revealText();
    // The withdrawal rule reads the access index as the background catch-up left it (about a second behind).
    world.custos.ledger().publish();
    world.custos.indexing().catchUp();
    assertThat(evaluate(wallet, "cust-ada")).contains("incident-scope");
    assertThat(evaluate(wallet, UNSEEN.value())).doesNotContain("incident-scope");
  }

  static String evaluate(String token, String account) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(world.base() + "/v1/withdrawals/evaluate"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString("{\"account\":\"" + account
            + "\",\"asset\":\"BTC\",\"amount\":\"0.5\",\"destination\":\"bc1qnew\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  @Test
  void report_asJsonAndAsAPrintablePage_countsAndTimeline() throws Exception {
    String id = open().get("id").asText();
    security().post(world.base(), "/v1/incidents/" + id + "/actions", Map.of("type", "containment",
        "text", "suspended the agent's account and sessions"));
    StaffClient.Reply json = security().get(world.base(), "/v1/incidents/" + id + "/report");
    assertThat(json.status()).as(json.raw().body()).isEqualTo(200);
    assertThat(json.json().get("scope").get("customers").asInt()).isEqualTo(4);
    assertThat(json.json().get("scope").get("byJurisdiction").get("DE").asInt()).isEqualTo(1);
    assertThat(json.json().get("containment").get("actions").get(0).get("text").asText())
        .isEqualTo("suspended the agent's account and sessions");
    assertThat(json.json().get("notifications").get("total").asInt()).isZero();
    assertThat(json.json().has("timeline")).isTrue();

    StaffClient analyst = security();
    HttpResponse<String> html = HTTP.send(HttpRequest.newBuilder(world.base().resolve("/v1/incidents/" + id + "/report"))
        .header("Accept", "text/html").header("Cookie", String.join("; ", analyst.cookies.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).toList())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(html.statusCode()).isEqualTo(200);
    assertThat(html.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(html.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'",
        "script-src 'self'");
    assertThat(html.body()).contains("/assets/incident-report.css", "By jurisdiction", "DE", "suspended the agent")
        .doesNotContain("<script", "style=");
    HttpResponse<String> css = HTTP.send(HttpRequest.newBuilder(world.base().resolve("/assets/incident-report.css"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.body()).contains("@media print");
  }

  @Test
  void notify_beforeNotifying_isAConflict() throws Exception {
    String id = open().get("id").asText();
    StaffClient.Reply r = security().post(world.base(), "/v1/incidents/" + id + "/notify", Map.of());
    assertThat(r.status()).isEqualTo(409);
  }

}
