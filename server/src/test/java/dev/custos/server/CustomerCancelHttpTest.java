package dev.custos.server;

import static dev.custos.server.CustomerWorld.ADA;
import static dev.custos.server.CustomerWorld.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.custos.access.Role;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The customer's side of approvals and withdrawals: a customer told of a time-locked change to their
 * account stops it with their own login token (the notice the backend receives says how; nobody
 * else's token and no other moment works); a withdrawal waits while the last agent who saw the
 * account is contained.
 */
class CustomerCancelHttpTest {
  static final String ISSUER = "https://login.exchange.example";
  static final String AUDIENCE = "custos-transparency";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path temp;
  static CustomerWorld world;
  static ECKey key;
  static HttpServer backend;
  static final List<JsonNode> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    key = new ECKeyGenerator(Curve.P_256).keyID("login-1").generate();
    Path jwks = temp.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    Path policy = temp.resolve("approvals.policy");
    Files.writeString(policy, "2fa-reset.required = 1\n2fa-reset.distinct-team = false\n2fa-reset.time-lock = 1h\n");
    Path secret = temp.resolve("hook.secret");
    Files.writeString(secret, "a-secret-of-the-backend-hook\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext("/hook", exchange -> {
      events.add(Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes()));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    backend.start();
    world = new CustomerWorld(temp.resolve("w"), Containment.Settings.defaults(), Map.of("customer.jwks", jwks.toString(),
        "customer.issuer", ISSUER, "customer.audience", AUDIENCE, "approvals.policy-file", policy.toString(),
        "approvals.webhook.url", "http://127.0.0.1:" + backend.getAddress().getPort() + "/hook",
        "approvals.webhook.secret-file", secret.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (world != null) {
      world.close();
    }
    if (backend != null) {
      backend.stop(0);
    }
  }

  static String token(String customer) throws Exception {
    Instant now = Instant.now();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("login-1").build(),
        new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(customer)
            .issueTime(Date.from(now.minusSeconds(5))).expirationTime(Date.from(now.plusSeconds(600))).build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  static HttpResponse<String> cancel(String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(world.base().resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"note\":\"I did not ask for this\"}"));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A 2FA reset for {@code customer}, approved, and (bounded wait) time-locked after the notice. */
  static String timeLockedReset(String customer) throws Exception {
    StaffClient agent = world.login(world.staff.get(Role.SUPPORT_L1));
    StaffClient.Reply made = agent.post(world.base(), "/v1/approvals",
        Map.of("action", "2fa-reset", "customer", customer, "parameters", Map.of("reason", "lost phone")));
    assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
    String id = made.json().get("id").asText();
    StaffClient.Reply ok = world.login(world.staff.get(Role.APPROVER)).post(world.base(), "/v1/approvals/" + id + "/approve",
        Map.of("bindingHash", made.json().get("bindingHash").asText()));
    assertThat(ok.status()).as(ok.raw().body()).isEqualTo(200);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    String state;
    do {
      Thread.sleep(50);
      state = agent.get(world.base(), "/v1/approvals/" + id).json().get("state").asText();
    } while (!state.equals("time-locked") && Instant.now().isBefore(deadline));
    assertThat(state).isEqualTo("time-locked");
    return id;
  }

  @Test
  void theCustomer_cancelsDuringTheTimeLock_throughThePathTheNoticeGave() throws Exception {
    String id = timeLockedReset(ADA.value());
    JsonNode notice = events.stream().filter(e -> e.get("event").asText().equals("approval.customer-notice")
        && e.get("request").asText().equals(id)).findFirst().orElseThrow();
    String path = notice.get("cancel").get("path").asText();
    assertThat(path).isEqualTo("/v1/me/approvals/" + id + "/cancel");
    assertThat(notice.get("cancel").get("method").asText()).isEqualTo("POST");

    assertThat(cancel(path, null).statusCode()).as("no token").isEqualTo(401);
    assertThat(cancel(path, "Bearer " + token(BOB.value())).statusCode()).as("another customer").isEqualTo(404);
    HttpResponse<String> done = cancel(path, "Bearer " + token(ADA.value()));
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(done.body()).get("state").asText()).isEqualTo("cancelled");
    HttpResponse<String> again = cancel(path, "Bearer " + token(ADA.value()));
    assertThat(again.statusCode()).as("a cancelled request stays cancelled").isEqualTo(409);
    long index = Json.MAPPER.readTree(done.body()).get("ledgerIndex").asLong();
    world.custos.ledger().publish();
    assertThat(new String(world.custos.ledger().entry(index), StandardCharsets.UTF_8))
        .contains("\"event\":\"cancel\"", "\"staff\":\"customer\"").doesNotContain(ADA.value());
  }

  @Test
  void theCustomer_cannotCancelBeforeTheyWereTold() throws Exception {
    StaffClient agent = world.login(world.staff.get(Role.SUPPORT_L1));
    StaffClient.Reply made = agent.post(world.base(), "/v1/approvals",
        Map.of("action", "2fa-reset", "customer", BOB.value(), "parameters", Map.of("reason", "lost phone")));
    HttpResponse<String> r = cancel("/v1/me/approvals/" + made.json().get("id").asText() + "/cancel",
        "Bearer " + token(BOB.value()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
  }

  @Test
  void aWithdrawal_isHeld_whenTheLastAgentToSeeTheAccountIsContained() throws Exception {
    String wallet = world.custos.serviceTokens().issue("wallet", java.util.Set.of(dev.custos.identity.Scope.WITHDRAWALS_EVALUATE),
        java.util.Optional.empty()).revealText();
    String body = "{\"account\":\"" + BOB.value() + "\",\"asset\":\"BTC\",\"amount\":\"0.1\",\"destination\":\"bc1qx\"}";
    assertThat(rules(evaluate(wallet, body))).doesNotContain("staff-contained");

    assertThat(world.ticket("created", "t-bob", BOB, world.otherAgent, "open", false).statusCode()).isEqualTo(200);
    assertThat(world.login(world.otherAgent).get(world.base(), "/v1/customers/" + BOB.value() + "?ticket=t-bob").status())
        .isEqualTo(200);
    world.custos.ledger().publish();
    world.custos.indexing().catchUp(); // the background catch-up runs every second; the test does not wait for it
    assertThat(world.login(world.staff.get(Role.SECURITY_ANALYST)).post(world.base(),
        "/v1/staff/" + world.otherAgent.value() + "/suspend", Map.of("reason", "bribed, per the fraud team")).status())
        .isEqualTo(200);
    JsonNode held = evaluate(wallet, body);
    assertThat(rules(held)).contains("staff-contained");
    assertThat(held.get("decision").asText()).isIn("hold", "block");
  }

  static JsonNode evaluate(String token, String body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(world.base().resolve("/v1/withdrawals/evaluate"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  static List<String> rules(JsonNode decision) {
    return decision.get("rules").findValuesAsText("rule");
  }
}
