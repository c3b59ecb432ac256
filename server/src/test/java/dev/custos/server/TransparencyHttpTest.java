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
import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.ledger.ConsistencyProof;
import dev.custos.ledger.Hash;
import dev.custos.ledger.InclusionProof;
import dev.custos.ledger.Merkle;
import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.Parsed;
import dev.custos.ledger.SignedCheckpoint;
import dev.custos.vault.Commitment;
import dev.custos.vault.CommitmentSalt;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A customer reads who accessed their data, with proofs a Java verifier accepts, authenticated by the exchange's JWT. */
class TransparencyHttpTest {
  static final String ISSUER = "https://login.exchange.example";
  static final String AUDIENCE = "custos-transparency";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path temp;
  static CustomerWorld world;
  static ECKey key;
  static StaffId agent;

  @BeforeAll
  static void start() throws Exception {
    key = new ECKeyGenerator(Curve.P_256).keyID("login-1").generate();
    Path jwks = temp.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    world = new CustomerWorld(temp, Containment.Settings.defaults(), Map.of("customer.jwks", jwks.toString(),
        "customer.issuer", ISSUER, "customer.audience", AUDIENCE));
    agent = world.staff.get(Role.SUPPORT_L1);
    assertThat(world.ticket("created", "t-ada", ADA, agent, "open", false).statusCode()).isEqualTo(200);
    assertThat(world.login(agent).get(world.base(), "/v1/customers/" + ADA.value() + "?ticket=t-ada").status())
        .isEqualTo(200);
    // Another agent tries the same ticket: refused, and the customer will see the attempt.
    assertThat(world.login(world.otherAgent).get(world.base(), "/v1/customers/" + ADA.value() + "?ticket=t-ada").status())
        .isEqualTo(403);
    world.custos.ledger().publish();
  }

  @AfterAll
  static void stop() throws Exception {
    if (world != null) {
      world.close();
    }
  }

  static String token(JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("login-1").build(), claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  static JWTClaimsSet.Builder claims(String customer) {
    Instant now = world.clock.instant();
    return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(customer)
        .issueTime(Date.from(now.minusSeconds(5))).expirationTime(Date.from(now.plusSeconds(600)));
  }

  static HttpResponse<String> accessLog(String query, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(world.base().resolve("/v1/me/access-log" + query));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode read(CustomerId customer, String query) throws Exception {
    HttpResponse<String> r = accessLog(query, "Bearer " + token(claims(customer.value()).build()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void customer_seesTheViewAndTheRefusedAttempt_underPseudonyms_withTheirTicket() throws Exception {
    JsonNode log = read(ADA, "");
    List<JsonNode> items = new ArrayList<>();
    log.get("items").forEach(items::add);
    assertThat(items).extracting(i -> i.get("decision").asText()).containsExactly("permit", "deny");
    JsonNode view = items.get(0);
    assertThat(view.get("action").asText()).isEqualTo("view");
    assertThat(view.get("purpose").get("type").asText()).isEqualTo("ticket");
    assertThat(view.get("purpose").get("id").asText()).isEqualTo("t-ada");
    assertThat(view.get("team").asText()).isEqualTo("desk-1");
    assertThat(view.get("staff").asText()).matches("Agent [0-9A-HJKMNP-TV-Z]{6}").doesNotContain(agent.value());
    assertThat(view.get("fields").size()).isPositive();
    assertThat(items.get(1).get("staff").asText()).isNotEqualTo(view.get("staff").asText());
    assertThat(items.get(1).get("deny").asText()).isNotBlank();
  }

  @Test
  void everyItem_verifiesAgainstTheSignedCheckpoint_andNamesTheRecomputedCommitment() throws Exception {
    JsonNode log = read(ADA, "");
    NoteVerifier vkey = ((Parsed.Ok<NoteVerifier>) NoteVerifier.parse(log.get("verifierKey").asText())).value();
    assertThat(vkey).isEqualTo(world.custos.ledger().verifierKey());
    SignedCheckpoint cp = ((Parsed.Ok<SignedCheckpoint>) SignedCheckpoint.parse(log.get("checkpoint").asText(), vkey)).value();
    CommitmentSalt salt = CommitmentSalt.fromBytes(Base64.getDecoder().decode(log.get("salt").asText()));
    String mine = Commitment.of(salt, ADA).hex();
    assertThat(log.get("commitment").asText()).isEqualTo(mine);
    for (JsonNode item : log.get("items")) {
      byte[] entry = Base64.getDecoder().decode(item.get("entry").asText());
      List<Hash> path = new ArrayList<>();
      item.get("inclusion").forEach(h -> path.add(new Hash(Base64.getDecoder().decode(h.asText()))));
      assertThat(new InclusionProof(item.get("index").asLong(), cp.checkpoint().size(), path)
          .verifies(Merkle.leafHash(entry), cp.checkpoint().rootHash())).isTrue();
      JsonNode e = Json.MAPPER.readTree(entry);
      assertThat(e.get("kind").asText()).isEqualTo("custos.access/v1");
      assertThat(e.get("customer").asText()).isEqualTo(mine);
      assertThat(e.get("at").asText()).isEqualTo(item.get("at").asText());
    }
  }

  @Test
  void since_givesAConsistencyProofFromTheCheckpointTheCustomerSaw() throws Exception {
    JsonNode first = read(ADA, "");
    NoteVerifier vkey = world.custos.ledger().verifierKey();
    SignedCheckpoint old = ((Parsed.Ok<SignedCheckpoint>) SignedCheckpoint.parse(first.get("checkpoint").asText(), vkey)).value();
    world.login(agent).get(world.base(), "/v1/customers/" + ADA.value() + "?ticket=t-ada");
    world.custos.ledger().publish();
    JsonNode second = read(ADA, "?since=" + old.checkpoint().size());
    SignedCheckpoint now = ((Parsed.Ok<SignedCheckpoint>) SignedCheckpoint.parse(second.get("checkpoint").asText(), vkey)).value();
    assertThat(now.checkpoint().size()).isGreaterThan(old.checkpoint().size());
    JsonNode c = second.get("consistency");
    List<Hash> path = new ArrayList<>();
    c.get("path").forEach(h -> path.add(new Hash(Base64.getDecoder().decode(h.asText()))));
    assertThat(new ConsistencyProof(c.get("from").asLong(), c.get("to").asLong(), path)
        .verifies(old.checkpoint().rootHash(), now.checkpoint().rootHash())).isTrue();
    assertThat(second.get("items").size()).isGreaterThan(first.get("items").size());
  }

  @Test
  void anotherCustomer_seesNoneOfAdasEntries() throws Exception {
    JsonNode bob = read(BOB, "");
    assertThat(bob.get("items").size()).isZero();
    assertThat(bob.get("commitment").asText()).isNotEqualTo(read(ADA, "").get("commitment").asText());
  }

  @Test
  void reading_isRecordedInTheLedger_withTheCommitmentOnly() throws Exception {
    JsonNode log = read(ADA, "");
    world.custos.ledger().publish();
    byte[] entry = world.custos.ledger().entry(log.get("readIndex").asLong());
    String text = new String(entry, StandardCharsets.UTF_8);
    assertThat(text).contains("\"kind\":\"custos.transparency/v1\"").contains(log.get("commitment").asText())
        .doesNotContain(ADA.value());
  }

  @Test
  void noToken_expiredToken_wrongAudience_orUnknownKey_areTheSame401() throws Exception {
    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("login-1").generate();
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("login-1").build(),
        claims(ADA.value()).build());
    forged.sign(new ECDSASigner(stranger));
    List<String> headers = List.of("", "Basic abc", "Bearer ",
        "Bearer " + token(claims(ADA.value()).expirationTime(Date.from(world.clock.instant().minusSeconds(120))).build()),
        "Bearer " + token(claims(ADA.value()).audience("other").build()),
        "Bearer " + token(claims(ADA.value()).subject(null).build()),
        "Bearer " + forged.serialize(),
        "Bearer eyJhbGciOiJub25lIn0." + Base64.getUrlEncoder().withoutPadding().encodeToString(
            ("{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"cust-ada\",\"exp\":9999999999}")
                .getBytes(StandardCharsets.UTF_8)) + ".");
    List<String> details = new ArrayList<>();
    for (String h : headers) {
      HttpResponse<String> r = accessLog("", h.isEmpty() ? null : h);
      assertThat(r.statusCode()).as(h).isEqualTo(401);
      assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("application/problem+json");
      JsonNode p = Json.MAPPER.readTree(r.body());
      assertThat(p.get("type").asText()).isEqualTo("urn:custos:problem:unauthorized");
      details.add(p.get("detail").asText());
    }
    assertThat(details).containsOnly(details.get(0));
  }

  @Test
  void sinceBeyondTheCheckpoint_isABadParameter() throws Exception {
    HttpResponse<String> r = accessLog("?since=999999999", "Bearer " + token(claims(ADA.value()).build()));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(r.body()).get("parameter").asText()).isEqualTo("since");
    assertThat(accessLog("?since=abc", "Bearer " + token(claims(ADA.value()).build())).statusCode()).isEqualTo(400);
  }

  @Test
  void customerUnknownToTheVault_is404() throws Exception {
    HttpResponse<String> r = accessLog("", "Bearer " + token(claims("cust-nobody").build()));
    assertThat(r.statusCode()).isEqualTo(404);
  }

  @Test
  void page_andScript_areServedUnderTheStrictCsp_withoutInlineScript() throws Exception {
    HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(world.base().resolve("/me")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-security-policy").orElseThrow()).contains("script-src 'self'");
    assertThat(page.body()).contains("<script src=\"/assets/me.js\"").doesNotContainPattern("<script>[^<]");
    HttpResponse<String> js = HTTP.send(HttpRequest.newBuilder(URI.create(world.base() + "/assets/me.js")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.body()).contains("crypto.subtle");
  }
}
