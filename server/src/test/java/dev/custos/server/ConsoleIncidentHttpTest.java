package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's incident screens over plain HTTP against a real server (and GreenMail for the notify
 * button): only security analysts; every form needs its token; the page's scope read is the API's
 * {@code scope.read} step; status, owner, notify and attribution go through the API's services and are
 * recorded the same way; the ledger page shows the background verify.
 */
class ConsoleIncidentHttpTest {
  static final String REASON = "customer locked out after a phone change, verifying identity";
  static final CustomerId KARL = new CustomerId("cust-karl");
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);

  @TempDir
  static Path temp;
  static CustomerWorld world;
  static GreenMail smtp;
  static StaffId insider;

  @BeforeAll
  static void start() throws Exception {
    smtp = CustomerWorld.startSmtp();
    world = CustomerWorld.notifyingTo(temp, smtp);
    Map<String, Object> karl = CustomerWorld.fullRecord("Karl Weierstrass", "karl@example.de", "+49 30 1234567", "DE12345");
    karl.put("nationality", "DE");
    assertThat(world.put(KARL, karl).statusCode()).isEqualTo(200);
    insider = world.staff.get(Role.SUPPORT_L2);
    StaffClient agent = world.login(insider);
    for (CustomerId c : List.of(CustomerWorld.ADA, KARL)) {
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

  static HttpResponse<String> get(StaffClient c, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(world.base().resolve(path)).header("Cookie", cookies(c)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> form(StaffClient c, String path, Map<String, String> fields) throws Exception {
    String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return HTTP.send(HttpRequest.newBuilder(world.base().resolve(path)).header("Cookie", cookies(c))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String cookies(StaffClient c) {
    return c.cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
  }

  static Map<String, String> openForm(StaffClient sec) {
    Instant now = world.clock.instant();
    Map<String, String> f = new LinkedHashMap<>();
    f.put(ConsoleRoutes.CSRF_FIELD, sec.csrf);
    f.put("title", "Customer list offered for sale");
    f.put("suspects", insider.value());
    f.put("from", LOCAL.format(now.minus(Duration.ofHours(2))));
    f.put("to", LOCAL.format(now.plus(Duration.ofHours(2))));
    f.put("notes", "seen on a forum");
    return f;
  }

  /** Opens an incident through the console's form; its id. */
  static String open(StaffClient sec) throws Exception {
    HttpResponse<String> opened = form(sec, "/console/security/incidents", openForm(sec));
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(303);
    String location = opened.headers().firstValue("Location").orElseThrow();
    assertThat(location).matches("/console/security/incidents/[^/?]+\\?done=opened");
    return location.replaceAll(".*/incidents/([^/?]+)\\?.*", "$1");
  }

  static String entry(long index) throws Exception {
    world.custos.ledger().publish();
    return new String(world.custos.ledger().entry(index), StandardCharsets.UTF_8);
  }

  static long entryOf(HttpResponse<String> redirect) {
    return Long.parseLong(redirect.headers().firstValue("Location").orElseThrow().replaceAll(".*entry=(\\d+).*", "$1"));
  }

  @Test
  void theIncidentScreens_areForSecurityAnalystsOnly() throws Exception {
    StaffClient sec = security();
    String id = open(sec);
    StaffClient agent = world.login(world.staff.get(Role.SUPPORT_L1));
    assertThat(get(agent, "/console/security/incidents/" + id).statusCode()).isEqualTo(403);
    for (String action : List.of("status", "assign", "actions", "notify", "attribute")) {
      HttpResponse<String> r = form(agent, "/console/security/incidents/" + id + "/" + action,
          Map.of(ConsoleRoutes.CSRF_FIELD, agent.csrf, "status", "contained", "version", "0", "sample", "customer_id\nx\n"));
      assertThat(r.statusCode()).as(action).isEqualTo(403);
    }
    StaffClient auditor = world.login(world.staff.get(Role.AUDITOR));
    assertThat(get(auditor, "/console/security/incidents/" + id).statusCode()).isEqualTo(403);
    HttpResponse<String> openByAgent = form(agent, "/console/security/incidents", openForm(agent));
    assertThat(openByAgent.statusCode()).isEqualTo(403);
  }

  @Test
  void openingFromTheForm_needsTheToken_andNamesABadField() throws Exception {
    StaffClient sec = security();
    Map<String, String> noToken = openForm(sec);
    noToken.remove(ConsoleRoutes.CSRF_FIELD);
    HttpResponse<String> refused = form(sec, "/console/security/incidents", noToken);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("This form has expired");

    Map<String, String> badWindow = openForm(sec);
    badWindow.put("to", "next tuesday");
    HttpResponse<String> bad = form(sec, "/console/security/incidents", badWindow);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("Please check the form", "to: an ISO-8601 instant");

    Map<String, String> noSuspects = openForm(sec);
    noSuspects.put("suspects", " , ");
    assertThat(form(sec, "/console/security/incidents", noSuspects).body()).contains("suspects: 1 to");
  }

  @Test
  void theIncidentPage_showsTheScopeTableChartAndJurisdictions_andIsRecordedAsTheApisScopeRead() throws Exception {
    StaffClient sec = security();
    String id = open(sec);
    assertThat(get(sec, "/console/security/incidents").body()).contains("href=\"/console/security/incidents/" + id + "\"");
    long before = world.custos.ledger().durableSize();
    HttpResponse<String> page = get(sec, "/console/security/incidents/" + id);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(page.body()).contains("id=\"scope\"", CustomerWorld.ADA.value(), KARL.value(), insider.value(),
        "<svg class=\"chart\"", "id=\"by-category\"", "id=\"by-jurisdiction\"", "<th scope=\"row\">DE</th>",
        "id=\"notifications\"", "id=\"attribute-form\"", "class=\"watermark\"", "Customer list offered for sale")
        .doesNotContain("style=\"", "<script>", CustomerWorld.ADA_EMAIL, "karl@example.de");
    assertThat(world.custos.ledger().durableSize()).isGreaterThan(before);

    JsonNode timeline = sec.get(world.base(), "/v1/incidents/" + id).json().get("timeline");
    JsonNode read = null;
    for (JsonNode step : timeline) {
      if (step.get("event").asText().equals("scope.read")) {
        read = step;
      }
    }
    assertThat(read).as("a scope.read step").isNotNull();
    assertThat(read.get("detail").get("format").asText()).isEqualTo("html");
    assertThat(read.get("detail").get("customers").asText()).isEqualTo("2");
    assertThat(entry(read.get("ledgerIndex").asLong())).contains("\"kind\":\"custos.incident/v1\"",
        "\"event\":\"scope.read\"").doesNotContain(CustomerWorld.ADA.value(), "Karl");

    assertThat(get(sec, "/console/security/incidents/inc-0000000000000000").statusCode()).isEqualTo(404);
    assertThat(get(sec, "/console/security/incidents/inc-nope").statusCode()).isEqualTo(400);
  }

  @Test
  void statusAndOwner_changeWithTheVersionRead_aStaleVersionIsRefused_andNotifyQueuesTheCustomers() throws Exception {
    StaffClient sec = security();
    String id = open(sec);
    String base = "/console/security/incidents/" + id;
    HttpResponse<String> contained = form(sec, base + "/status",
        Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf, "status", "contained", "version", "0"));
    assertThat(contained.statusCode()).as(contained.body()).isEqualTo(303);
    assertThat(entry(entryOf(contained))).contains("\"kind\":\"custos.incident/v1\"", "contained");
    HttpResponse<String> stale = form(sec, base + "/status",
        Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf, "status", "notifying", "version", "0"));
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(stale.body()).contains("Not done");
    HttpResponse<String> badVersion = form(sec, base + "/status",
        Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf, "status", "notifying", "version", "latest"));
    assertThat(badVersion.statusCode()).isEqualTo(400);
    assertThat(badVersion.body()).contains("version");

    HttpResponse<String> notAnAnalyst = form(sec, base + "/assign",
        Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf, "owner", insider.value(), "version", "1"));
    assertThat(notAnAnalyst.statusCode()).isEqualTo(400);
    assertThat(notAnAnalyst.body()).contains("is not an active security analyst");
    String analyst = world.staff.get(Role.SECURITY_ANALYST).value();
    HttpResponse<String> assigned = form(sec, base + "/assign",
        Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf, "owner", analyst, "version", "1"));
    assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(303);

    HttpResponse<String> noText = form(sec, base + "/actions",
        Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf, "type", "containment", "text", " "));
    assertThat(noText.statusCode()).isEqualTo(400);
    assertThat(noText.body()).contains("text: 1 to");
    HttpResponse<String> action = form(sec, base + "/actions",
        Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf, "type", "containment", "text", "suspended the insider's account"));
    assertThat(action.statusCode()).as(action.body()).isEqualTo(303);
    assertThat(entry(entryOf(action))).contains("\"kind\":\"custos.incident/v1\"", "containment");
    assertThat(get(sec, base).body()).contains("suspended the insider's account");

    HttpResponse<String> early = form(sec, base + "/notify", Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf));
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(early.body()).contains("move it to notifying first");
    JsonNode now = sec.get(world.base(), "/v1/incidents/" + id).json();
    assertThat(now.get("owner").asText()).isEqualTo(analyst);
    HttpResponse<String> notifying = form(sec, base + "/status", Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf,
        "status", "notifying", "version", now.get("version").asText()));
    assertThat(notifying.statusCode()).isEqualTo(303);
    assertThat(get(sec, base).body()).contains("Notify customers");
    HttpResponse<String> notify = form(sec, base + "/notify", Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf));
    assertThat(notify.statusCode()).as(notify.body()).isEqualTo(303);
    assertThat(notify.headers().firstValue("Location").orElseThrow()).contains("done=notifying", "queued=2");
    assertThat(entry(entryOf(notify))).contains("\"event\":\"notify\"", "\"customers\":2");
    HttpResponse<String> after = get(sec, notify.headers().firstValue("Location").orElseThrow());
    assertThat(after.body()).contains("Notifications started", "2 notification(s) by state");
  }

  @Test
  void aPastedSample_ranksTheInsiderFirst_isPostedNotInTheUrl_andRecordedAsTheApiRecordsIt() throws Exception {
    StaffClient sec = security();
    String id = open(sec);
    String base = "/console/security/incidents/" + id;
    HttpResponse<String> empty = form(sec, base + "/attribute", Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf, "sample", " "));
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).contains("sample: paste the published records");
    HttpResponse<String> noToken = form(sec, base + "/attribute",
        Map.of("sample", "customer_id\n" + CustomerWorld.ADA.value() + "\n"));
    assertThat(noToken.statusCode()).isEqualTo(403);

    HttpResponse<String> ranked = form(sec, base + "/attribute", Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf,
        "sample", "customer_id\n" + CustomerWorld.ADA.value() + "\n" + KARL.value() + "\ncust-nobody\n"));
    assertThat(ranked.statusCode()).as(ranked.body()).isEqualTo(200);
    String body = ranked.body();
    assertThat(body).contains("id=\"attribution-staff\"", "3 record(s) in the sample, 2 matched", "line 4")
        .doesNotContain("style=\"");
    String firstRow = body.substring(body.indexOf("id=\"attribution-staff\""));
    firstRow = firstRow.substring(firstRow.indexOf("<tbody>"));
    firstRow = firstRow.substring(0, firstRow.indexOf("</tr>"));
    assertThat(firstRow).contains("<td>1</td><th scope=\"row\">" + insider.value() + "</th><td>2</td>");
    long index = Long.parseLong(body.replaceAll("(?s).*<span id=\"ledger-index\">(\\d+)</span>.*", "$1"));
    assertThat(entry(index)).contains("\"kind\":\"custos.incident/v1\"", "\"event\":\"attributed\"",
        "\"incident\":\"" + id + "\"", "\"records\":3", "\"matched\":2")
        .doesNotContain(CustomerWorld.ADA.value(), KARL.value());
    HttpResponse<String> unknown = form(sec, "/console/security/incidents/inc-0000000000000000/attribute",
        Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf, "sample", "customer_id\n" + CustomerWorld.ADA.value() + "\n"));
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  @Test
  void theLedgerPage_showsTheLastBackgroundVerify() throws Exception {
    world.custos.ledger().publish();
    LedgerCheck.Outcome o = world.custos.ledgerCheck().runOnce();
    assertThat(o.ok()).as(o.problem()).isTrue();
    StaffClient sec = security();
    HttpResponse<String> page = get(sec, "/console/security/ledger");
    assertThat(page.statusCode()).isEqualTo(200);
    String cell = page.body().substring(page.body().indexOf("id=\"last-verify\""));
    assertThat(cell.substring(0, cell.indexOf("</td>"))).contains("<strong>ok</strong>", "up to size ");
  }
}
