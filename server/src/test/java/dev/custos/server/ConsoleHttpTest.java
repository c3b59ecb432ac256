package dev.custos.server;

import static dev.custos.server.CustomerWorld.ADA;
import static dev.custos.server.CustomerWorld.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's pages over plain HTTP (the browser tests in {@code e2e} drive them in Chromium): the
 * session rules, the form token, the headers, and that a page shows a customer exactly when the API
 * would, through the same broker and ledger.
 */
class ConsoleHttpTest {
  @TempDir
  static Path temp;
  static CustomerWorld world;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    world = new CustomerWorld(temp);
    StaffId agent = world.staff.get(Role.SUPPORT_L1);
    assertThat(world.ticket("created", "T-ADA", ADA, agent, "open", false).statusCode()).isEqualTo(200);
    assertThat(world.ticket("created", "T-BOB", BOB, world.otherAgent, "open", false).statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (world != null) {
      world.close();
    }
  }

  static HttpResponse<String> get(StaffClient c, String path) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(world.base().resolve(path)).GET();
    cookies(c, b);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> form(StaffClient c, String path, Map<String, String> fields) throws Exception {
    String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    HttpRequest.Builder b = HttpRequest.newBuilder(world.base().resolve(path))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
    cookies(c, b);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void cookies(StaffClient c, HttpRequest.Builder b) {
    if (c != null && !c.cookies.isEmpty()) {
      b.header("Cookie", c.cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining("; ")));
    }
  }

  @Test
  void withoutASessionCookie_aPageRedirectsToSignIn_andWithARefusedOne_saysTheSessionEnded() throws Exception {
    HttpResponse<String> none = get(null, "/console/queue");
    assertThat(none.statusCode()).isEqualTo(303);
    assertThat(none.headers().firstValue("Location")).hasValue("/login?continue=/console");

    StaffClient stale = new StaffClient();
    stale.cookies.put(StaffAuth.COOKIE, "cs1_" + "A".repeat(43));
    HttpResponse<String> ended = get(stale, "/console/queue");
    assertThat(ended.statusCode()).isEqualTo(401);
    assertThat(ended.body()).contains("Your session has ended");
    assertThat(ended.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
  }

  @Test
  void theTicketsCustomer_isShownMasked_withItsLedgerIndex_underTheStrictHeaders() throws Exception {
    StaffClient agent = world.login(world.staff.get(Role.SUPPORT_L1));
    HttpResponse<String> queue = get(agent, "/console/queue");
    assertThat(queue.statusCode()).isEqualTo(200);
    assertThat(queue.body()).contains("T-ADA").doesNotContain("T-BOB");

    HttpResponse<String> page = get(agent, "/console/tickets/T-ADA");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"customer\"", "class=\"watermark\"", "Recorded in the ledger at index")
        .doesNotContain(CustomerWorld.ADA_EMAIL).doesNotContain(CustomerWorld.ADA_PHONE);
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; script-src 'self'; "
        + "style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        + "base-uri 'none'");
    assertThat(page.headers().firstValue("Server-Timing")).hasValueSatisfying(t -> assertThat(t).startsWith("app;dur="));
    assertThat(page.body()).doesNotContain("<script>").doesNotContain("style=\"");

    HttpResponse<String> mark = get(agent, "/console/watermark.svg");
    assertThat(mark.statusCode()).isEqualTo(200);
    assertThat(mark.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
    assertThat(mark.body()).contains(world.staff.get(Role.SUPPORT_L1).value());
  }

  @Test
  void aReveal_needsTheFormToken_andAReason_andShowsTheValueOnce() throws Exception {
    StaffClient agent = world.login(world.staff.get(Role.SUPPORT_L1));
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("field", "email");
    fields.put("reason", "customer asks which e-mail address the statements go to");
    HttpResponse<String> noToken = form(agent, "/console/tickets/T-ADA/reveal", fields);
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).contains("This form has expired").doesNotContain(CustomerWorld.ADA_EMAIL);

    fields.put(ConsoleRoutes.CSRF_FIELD, agent.csrf);
    fields.put("reason", "x");
    HttpResponse<String> noReason = form(agent, "/console/tickets/T-ADA/reveal", fields);
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(noReason.body()).contains("Give a real reason").doesNotContain(CustomerWorld.ADA_EMAIL);

    fields.put("reason", "customer asks which e-mail address the statements go to");
    HttpResponse<String> shown = form(agent, "/console/tickets/T-ADA/reveal", fields);
    assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
    assertThat(shown.body()).contains(CustomerWorld.ADA_EMAIL, "Recorded in the ledger at index");
  }

  @Test
  void aCustomerWithoutATicketOfMine_isRefusedInWords_andTheRefusalIsRecorded() throws Exception {
    StaffClient agent = world.login(world.staff.get(Role.SUPPORT_L1));
    long before = world.custos.ledger().durableSize();
    HttpResponse<String> page = get(agent, "/console/tickets/T-BOB");
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.body()).contains("No ticket of yours for this customer", "recorded in the ledger at index")
        .doesNotContain("Bob Babbage");
    assertThat(world.custos.ledger().durableSize()).isGreaterThan(before);
    assertThat(get(agent, "/console/tickets/T-NOPE").statusCode()).isEqualTo(404);
  }

  @Test
  void securityPages_answerOnlyTheirRoles() throws Exception {
    StaffClient agent = world.login(world.staff.get(Role.SUPPORT_L1));
    HttpResponse<String> refused = get(agent, "/console/security/alerts");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("Not for your role");
    StaffClient sec = world.login(world.staff.get(Role.SECURITY_ANALYST));
    for (String path : new String[] {"/console/security/board", "/console/security/board/live", "/console/security/alerts",
        "/console/security/staff", "/console/approvals", "/console/security/break-glass", "/console/security/ledger",
        "/console/security/incidents"}) {
      HttpResponse<String> r = get(sec, path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
    }
    assertThat(get(sec, "/console/security/alerts?status=maybe").statusCode()).isEqualTo(400);
    HttpResponse<String> home = get(sec, "/console");
    assertThat(home.statusCode()).isEqualTo(303);
    assertThat(home.headers().firstValue("Location")).hasValue("/console/security/board");
  }

  @Test
  void containingFromTheConsole_endsTheOthersSessionAtTheirNextClick() throws Exception {
    StaffClient victim = new StaffClient();
    StaffId other = world.otherAgent;
    assertThat(victim.login(world.base(), other.value(), CustomerWorld.PASSWORD, world.totp.get(other)).status())
        .isEqualTo(200);
    assertThat(get(victim, "/console/queue").statusCode()).isEqualTo(200);
    StaffClient sec = world.login(world.staff.get(Role.SECURITY_ANALYST));
    HttpResponse<String> contained = form(sec, "/console/security/staff/" + other.value() + "/contain",
        Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf, "reason", "reading customers without tickets"));
    assertThat(contained.statusCode()).as(contained.body()).isEqualTo(303);
    assertThat(contained.headers().firstValue("Location").orElseThrow()).contains("done=contained");
    HttpResponse<String> next = get(victim, "/console/queue");
    assertThat(next.statusCode()).isEqualTo(401);
    assertThat(next.body()).contains("Your session has ended");
    world.custos.identity().admin.restore(other, "test over", world.staff.get(Role.SECURITY_ANALYST), "test");
  }

  @Test
  void anAlert_isAcknowledgedAssignedAndClosedFromTheConsole_eachChangeInTheLedgerFirst() throws Exception {
    dev.custos.store.AlertTable alerts = new dev.custos.store.AlertTable(world.dataSource);
    StaffId suspect = world.staff.get(Role.SUPPORT_L2);
    alerts.add(new dev.custos.detect.Alert("alert-console-1", new dev.custos.detect.Assessment(suspect,
        java.time.Instant.now(), dev.custos.detect.Measure.ALERT, 12.5, java.util.List.of()), 1));
    StaffClient sec = world.login(world.staff.get(Role.SECURITY_ANALYST));
    HttpResponse<String> list = get(sec, "/console/security/alerts?status=open");
    assertThat(list.body()).contains("alert-console-1", suspect.value(), "Acknowledge");

    HttpResponse<String> ack = form(sec, "/console/security/alerts/alert-console-1/acknowledge",
        Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf));
    assertThat(ack.statusCode()).as(ack.body()).isEqualTo(303);
    assertThat(entryAt(ack)).contains("\"event\":\"alert.acknowledged\"");
    HttpResponse<String> again = form(sec, "/console/security/alerts/alert-console-1/acknowledge",
        Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("Not done", "acknowledged");

    HttpResponse<String> assigned = form(sec, "/console/security/alerts/alert-console-1/assign",
        Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf, "assignee", world.staff.get(Role.SECURITY_ANALYST).value()));
    assertThat(assigned.statusCode()).isEqualTo(303);
    HttpResponse<String> badVerdict = form(sec, "/console/security/alerts/alert-console-1/close",
        Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf, "verdict", "guilty"));
    assertThat(badVerdict.statusCode()).isEqualTo(400);
    assertThat(badVerdict.body()).contains("Please check the form", "verdict");
    HttpResponse<String> closed = form(sec, "/console/security/alerts/alert-console-1/close",
        Map.of(ConsoleRoutes.CSRF_FIELD, sec.csrf, "verdict", "false-positive", "note", "asked by the team lead"));
    assertThat(closed.statusCode()).isEqualTo(303);
    assertThat(entryAt(closed)).contains("\"event\":\"alert.closed\"", "\"verdict\":\"false-positive\"")
        .doesNotContain("team lead");
    var stored = alerts.find("alert-console-1").orElseThrow();
    assertThat(stored.status()).isEqualTo(dev.custos.detect.TrackedAlert.Status.CLOSED);
    assertThat(stored.assignee()).contains(world.staff.get(Role.SECURITY_ANALYST));
  }

  /** The ledger entry whose index the console's redirect after a change names. */
  static String entryAt(HttpResponse<String> redirect) throws Exception {
    String location = redirect.headers().firstValue("Location").orElseThrow();
    long index = Long.parseLong(location.replaceAll(".*entry=(\\d+).*", "$1"));
    world.custos.ledger().publish();
    return new String(world.custos.ledger().entry(index), StandardCharsets.UTF_8);
  }

  static URI base() {
    return world.base();
  }
}
