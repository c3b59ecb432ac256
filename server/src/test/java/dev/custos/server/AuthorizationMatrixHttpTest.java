package dev.custos.server;

import static dev.custos.server.CustomerWorld.ADA;
import static dev.custos.server.CustomerWorld.ADA_EMAIL;
import static dev.custos.server.CustomerWorld.ADA_GOV_ID;
import static dev.custos.server.CustomerWorld.ADA_PHONE;
import static dev.custos.server.CustomerWorld.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.CaseId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.vault.Classification;
import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldSpec;
import dev.custos.vault.Mask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The access path end to end over HTTP: role × purpose × field class, IDOR, mass assignment,
 * reveals, quotas and search, against a real server, database and ledger. Every cell of the matrix
 * is asserted: the status, and for a permit exactly the fields the catalogue gives the role, each
 * with its mask; and no PII value of the test customers reaches any log line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthorizationMatrixHttpTest {
  @TempDir
  static Path temp;
  static CustomerWorld world;
  static ListAppender<ILoggingEvent> logs;
  static final FieldCatalogue CATALOGUE = FieldCatalogue.exchangeDefault();
  static final Set<Role> DESK = EnumSet.of(Role.SUPPORT_L1, Role.SUPPORT_L2, Role.KYC_REVIEWER, Role.FRAUD_ANALYST,
      Role.SECURITY_ANALYST, Role.APPROVER);
  static final Set<Role> BREAK_GLASS = EnumSet.of(Role.SUPPORT_L2, Role.FRAUD_ANALYST, Role.SECURITY_ANALYST);
  static final String REASON = "customer called about a blocked withdrawal, verifying identity";

  enum Purpose { OWN_OPEN_TICKET, OTHER_AGENTS_TICKET, CLOSED_TICKET, NO_TICKET, CASE, BREAK_GLASS }

  @BeforeAll
  static void start() throws Exception {
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    world = new CustomerWorld(temp);
  }

  @AfterAll
  static void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    if (world != null) {
      world.close();
    }
  }

  private static String path(String id, String query) {
    return "/v1/customers/" + id + (query == null ? "" : "?" + query);
  }

  @Test
  @Order(1)
  void matrix_roleByPurposeByFieldClass_hasNoUnexpectedPermit() throws Exception {
    assertThat(world.ticket("created", "T-other", ADA, world.otherAgent, "open", false).statusCode()).isEqualTo(200);
    Map<String, String> failures = new LinkedHashMap<>();
    int cells = 0;
    for (Role role : Role.values()) {
      StaffId me = world.staff.get(role);
      String own = "T-own-" + role.wireName();
      String closed = "T-closed-" + role.wireName();
      assertThat(world.ticket("assigned", own, ADA, me, "open", false).statusCode()).isEqualTo(200);
      assertThat(world.ticket("created", closed, ADA, me, "open", false).statusCode()).isEqualTo(200);
      assertThat(world.ticket("closed", closed, ADA, me, "closed", false).statusCode()).isEqualTo(200);
      CaseId kase = world.approvedCase(Set.of(ADA), Set.of(me));
      StaffClient client = world.login(me);
      for (Purpose purpose : Purpose.values()) {
        StaffClient.Reply reply = switch (purpose) {
          case OWN_OPEN_TICKET -> client.get(world.base(), path(ADA.value(), "ticket=" + own));
          case OTHER_AGENTS_TICKET -> client.get(world.base(), path(ADA.value(), "ticket=T-other"));
          case CLOSED_TICKET -> client.get(world.base(), path(ADA.value(), "ticket=" + closed));
          case NO_TICKET -> client.get(world.base(), path(ADA.value(), null));
          case CASE -> client.get(world.base(), path(ADA.value(), "case=" + kase.value()));
          case BREAK_GLASS -> client.post(world.base(), "/v1/access/break-glass", Map.of("customer", ADA.value(),
              "reason", REASON));
        };
        cells++;
        String cell = role.wireName() + " × " + purpose;
        boolean expectPermit = switch (purpose) {
          case OWN_OPEN_TICKET, CASE -> DESK.contains(role);
          case BREAK_GLASS -> BREAK_GLASS.contains(role);
          default -> false;
        };
        assertCell(cell, role, expectPermit, reply, failures);
      }
    }
    assertThat(cells).isEqualTo(Role.values().length * Purpose.values().length);
    assertThat(failures).as("cells that differ from the expectation").isEmpty();
  }

  /** A permit shows exactly the role's fields with their catalogue masks; a refusal shows no field. */
  private static void assertCell(String cell, Role role, boolean expectPermit, StaffClient.Reply reply,
      Map<String, String> failures) {
    JsonNode body = reply.json();
    if (!body.has("ledgerIndex")) {
      failures.put(cell, "no ledger index in " + reply.raw().body());
      return;
    }
    if (!expectPermit) {
      if (reply.status() != 403 && reply.status() != 404 || body.has("fields")) {
        failures.put(cell, "expected a refusal without fields, got " + reply.status() + " " + reply.raw().body());
      }
      return;
    }
    if (reply.status() != 200) {
      failures.put(cell, "expected a permit, got " + reply.status() + " " + reply.raw().body());
      return;
    }
    Map<Classification, Set<String>> expected = new EnumMap<>(Classification.class);
    Map<Classification, Set<String>> actual = new EnumMap<>(Classification.class);
    for (FieldSpec spec : CATALOGUE.specs()) {
      if (spec.visibleTo(role)) {
        expected.computeIfAbsent(spec.classification(), c -> new TreeSet<>()).add(spec.field().name());
      }
    }
    body.path("fields").fieldNames().forEachRemaining(name -> actual
        .computeIfAbsent(CATALOGUE.spec(new Field(name)).orElseThrow().classification(), c -> new TreeSet<>()).add(name));
    if (!expected.equals(actual)) {
      failures.put(cell, "fields by class expected " + expected + " but got " + actual);
    }
    body.path("masks").fields().forEachRemaining(e -> {
      Mask want = CATALOGUE.spec(new Field(e.getKey())).orElseThrow().defaultMask();
      if (!want.wireName().equals(e.getValue().asText())) {
        failures.put(cell + " " + e.getKey(), "mask " + e.getValue().asText() + " instead of " + want.wireName());
      }
    });
    String shown = body.path("fields").toString();
    for (String secret : List.of(ADA_EMAIL, ADA_PHONE, ADA_GOV_ID, "GB29NWBK60161331926819", "221B Baker Street", "12500.10")) {
      if (shown.contains(secret)) {
        failures.put(cell + " leak", "a masked view shows " + secret);
      }
    }
  }

  @Test
  @Order(2)
  void idor_anotherCustomersIdWithOwnTicket_isA404LikeAMissingCustomer() throws Exception {
    StaffId me = world.staff.get(Role.SUPPORT_L1);
    StaffClient client = world.login(me);
    StaffClient.Reply other = client.get(world.base(), path(BOB.value(), "ticket=T-own-support-l1"));
    StaffClient.Reply missing = client.get(world.base(), path("cust-nobody", "ticket=T-own-support-l1"));

    assertThat(other.status()).isEqualTo(404);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(strip(other.json(), BOB.value())).isEqualTo(strip(missing.json(), "cust-nobody"));
    assertThat(other.raw().headers().map().keySet()).isEqualTo(missing.raw().headers().map().keySet());
  }

  private static String strip(JsonNode problem, String id) {
    var copy = problem.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove("ledgerIndex");
    return copy.toString().replace(id, "<id>");
  }

  @Test
  @Order(3)
  void massAssignment_unknownMembersAreRefusedNamingTheField() throws Exception {
    StaffClient client = world.login(world.staff.get(Role.SUPPORT_L2));
    StaffClient.Reply reveal = client.post(world.base(), path(ADA.value(), null) + "/reveal",
        Map.of("ticket", "T-own-support-l2", "fields", List.of("phone"), "reason", REASON, "role", "admin"));
    assertThat(reveal.status()).isEqualTo(400);
    assertThat(reveal.json().path("field").asText()).isEqualTo("role");

    var put = world.put(ADA, Map.of());
    assertThat(put.statusCode()).isEqualTo(400);
    var approved = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            world.base().resolve("/v1/customers/cust-ada")).header("Authorization", "Bearer " + world.token)
        .header("Content-Type", "application/json")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"fields\":{\"email\":\"x@example.com\"},\"approved\":true}"))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(approved.statusCode()).isEqualTo(400);
    assertThat(approved.body()).contains("\"field\":\"approved\"");
    var unknownField = world.put(ADA, Map.of("favourite_colour", "blue"));
    assertThat(unknownField.statusCode()).isEqualTo(400);
    assertThat(unknownField.body()).contains("favourite_colour");
  }

  @Test
  @Order(4)
  void reveal_byARoleThatMayNot_isRefused_andARealReasonIsRequired() throws Exception {
    StaffClient l1 = world.login(world.staff.get(Role.SUPPORT_L1));
    StaffClient.Reply notAllowed = l1.post(world.base(), path(ADA.value(), null) + "/reveal",
        Map.of("ticket", "T-own-support-l1", "fields", List.of("government_id"), "reason", REASON));
    assertThat(notAllowed.status()).isEqualTo(403);
    assertThat(notAllowed.json().path("reason").asText()).isIn("role-may-not-reveal", "role-may-not-view");
    assertThat(notAllowed.raw().body()).doesNotContain(ADA_GOV_ID);

    StaffClient l2 = world.login(world.staff.get(Role.SUPPORT_L2));
    StaffClient.Reply dot = l2.post(world.base(), path(ADA.value(), null) + "/reveal",
        Map.of("ticket", "T-own-support-l2", "fields", List.of("phone"), "reason", "."));
    assertThat(dot.status()).isEqualTo(400);
    assertThat(dot.json().path("reason").asText()).isEqualTo("reason-required");
  }

  @Test
  @Order(5)
  void reveal_withReasonAndRecentSecondFactor_showsThePlaintext_thenAStaleFactorNeedsAStepUp() throws Exception {
    StaffClient l2 = world.login(world.staff.get(Role.SUPPORT_L2));
    StaffClient.Reply revealed = l2.post(world.base(), path(ADA.value(), null) + "/reveal",
        Map.of("ticket", "T-own-support-l2", "fields", List.of("phone"), "reason", REASON));
    assertThat(revealed.status()).isEqualTo(200);
    assertThat(revealed.json().path("fields").path("phone").asText()).isEqualTo(ADA_PHONE);
    long index = revealed.json().path("ledgerIndex").asLong();
    world.custos.ledger().publish();
    String entry = new String(world.custos.ledger().entry(index), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(entry).contains("\"action\":\"reveal\"").contains("\"reason_sha256\"").doesNotContain(REASON)
        .doesNotContain(ADA.value());
    assertThat(new dev.custos.store.ReasonTable(world.dataSource).reason(index)).contains(REASON);

    world.clock.advance(Duration.ofMinutes(10));
    StaffClient.Reply stale = l2.post(world.base(), path(ADA.value(), null) + "/reveal",
        Map.of("ticket", "T-own-support-l2", "fields", List.of("phone"), "reason", REASON));
    assertThat(stale.status()).isEqualTo(403);
    assertThat(stale.json().path("type").asText()).isEqualTo("urn:custos:problem:step-up-required");
  }

  @Test
  @Order(6)
  void quota_aViewThroughATicketStaffCreatedThemselves_stopsAtTheOffTicketQuota() throws Exception {
    StaffId me = world.staff.get(Role.SUPPORT_L1);
    assertThat(world.ticket("created", "T-self", BOB, me, "open", true).statusCode()).isEqualTo(200);
    StaffClient client = world.login(me);
    StaffClient.Reply reply = client.get(world.base(), path(BOB.value(), "ticket=T-self"));
    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.json().path("quota").asText()).isEqualTo("off-ticket-customers-per-hour");
    assertThat(reply.json().has("fields")).isFalse();
    // A limit of 0 frees no slot: Retry-After is the whole window.
    assertThat(reply.raw().headers().firstValue("Retry-After")).contains("3600");
    assertThat(reply.json().path("retryAfter").asLong()).isEqualTo(3600);
  }

  @Test
  @Order(10)
  void quota_theSearchAfterTheLast_is429WithRetryAfterUntilTheOldestSearchLeavesTheHour() throws Exception {
    StaffClient client = world.login(world.staff.get(Role.FRAUD_ANALYST));
    for (int i = 0; i < 30; i++) {
      assertThat(client.get(world.base(), "/v1/customers/search?phone=%2B1555000" + (1000 + i)).status())
          .as("search %d of the 30 an hour allows", i + 1).isEqualTo(200);
    }
    world.clock.advance(Duration.ofMinutes(10));
    StaffClient.Reply over = client.get(world.base(), "/v1/customers/search?phone=%2B15550009999");
    assertThat(over.status()).isEqualTo(429);
    assertThat(over.json().path("quota").asText()).isEqualTo("searches-per-hour");
    long seconds = Long.parseLong(over.raw().headers().firstValue("Retry-After").orElseThrow());
    assertThat(seconds).as("the first search leaves the window 50 minutes from now").isBetween(2900L, 3000L);
    assertThat(over.json().path("retryAfter").asLong()).isEqualTo(seconds);
  }

  @Test
  @Order(7)
  void search_byEmail_givesMaskedStubsOnly() throws Exception {
    StaffClient client = world.login(world.staff.get(Role.SUPPORT_L1));
    StaffClient.Reply reply = client.get(world.base(), "/v1/customers/search?email=ADA.LOVELACE%40example.com");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().path("matches")).hasSize(1);
    assertThat(reply.json().path("matches").get(0).path("customer").asText()).isEqualTo(ADA.value());
    assertThat(reply.raw().body()).doesNotContain(ADA_EMAIL).doesNotContain("Lovelace");
    StaffClient.Reply both = client.get(world.base(), "/v1/customers/search?email=a%40b.c&phone=123");
    assertThat(both.status()).isEqualTo(400);
  }

  @Test
  @Order(8)
  void ticketWebhook_badSignatureOrStaleTimestamp_isRefused() throws Exception {
    byte[] body = "{\"event\":\"closed\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    var old = world.signedTicket(body, world.clock.instant().minus(Duration.ofMinutes(10)).toString());
    assertThat(old.statusCode()).isEqualTo(401);
    var unsigned = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            world.base().resolve("/v1/integrations/tickets")).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(401);
    var malformed = world.signedTicket(body, world.clock.instant().toString());
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("\"field\":\"ticket\"");
  }

  @Test
  @Order(9)
  void closingTheTicket_endsTheAccessAtOnce() throws Exception {
    StaffId me = world.staff.get(Role.KYC_REVIEWER);
    StaffClient client = world.login(me);
    assertThat(client.get(world.base(), path(ADA.value(), "ticket=T-own-kyc-reviewer")).status()).isEqualTo(200);
    assertThat(world.ticket("solved", "T-own-kyc-reviewer", ADA, me, "solved", false).statusCode()).isEqualTo(200);
    StaffClient.Reply after = client.get(world.base(), path(ADA.value(), "ticket=T-own-kyc-reviewer"));
    assertThat(after.status()).isEqualTo(403);
    assertThat(after.json().path("reason").asText()).isEqualTo("ticket-closed");
  }

  @Test
  @Order(100)
  void noLogLineCarriesACustomersPii() {
    List<String> leaks = new ArrayList<>();
    for (ILoggingEvent e : logs.list) {
      String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
      for (String pii : List.of(ADA_EMAIL, ADA_PHONE, ADA_GOV_ID, "Ada Lovelace", "Bob Babbage", "bob@example.com",
          "GB29NWBK60161331926819", "221B Baker Street", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "198.51.100.23",
          REASON)) {
        if (line.contains(pii)) {
          leaks.add(pii + " in: " + line);
        }
      }
    }
    assertThat(logs.list).as("the test captured the server's logs").isNotEmpty();
    assertThat(leaks).isEmpty();
  }
}
