package dev.custos.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.custos.cli.AccessLogCheck;
import dev.custos.identity.oidc.CustomerTokenSettings;
import dev.custos.ledger.NoteVerifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The customer's side: Ada (cust-1001) signs in at the exchange, asks Custos who accessed her data,
 * and verifies every line against the signed checkpoint with nothing but the published verifier
 * key — the same check as {@code custos ledger verify-entry} and the page {@code /me}. Then one
 * entry is altered in transit, and the check names it.
 */
final class TransparencyChapter implements Chapter {
  @Override
  public String title() {
    return "A customer sees who accessed their data, and verifies the proofs themselves";
  }

  @Override
  public void play(Scene scene) throws Exception {
    Narrator n = scene.narrator();
    // The demo plays the exchange's customer login: its signing key, its published JWK set.
    ECKey login = new ECKeyGenerator(Curve.P_256).keyID("exchange-login-1").generate();
    Path jwks = scene.config().data().resolve("demo-customer-login.jwks.json");
    Files.writeString(jwks, new JWKSet(login.toPublicJWK()).toString());
    n.step("restarting Custos to trust the exchange's customer login (customer.jwks, issuer, audience)");
    scene.reconfigure(scene.config().withCustomerTokens(Optional.of(new CustomerTokenSettings(Optional.empty(),
        Optional.of(jwks), "https://login.exchange.example", "custos-transparency", "sub", Set.of("ES256"),
        Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(10)))));
    URI base = scene.custos().baseUri();
    scene.custos().ledger().publish();

    Instant now = Instant.now();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("exchange-login-1").build(),
        new JWTClaimsSet.Builder().issuer("https://login.exchange.example").audience("custos-transparency")
            .subject("cust-1001").issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600))).build());
    jwt.sign(new ECDSASigner(login));
    Browser ada = new Browser("cust-1001");
    Browser.Reply anonymous = ada.get(base, "/v1/me/access-log");
    Browser.Reply reply = ada.send(base, "GET", "/v1/me/access-log", null, Map.of("Authorization", "Bearer " + jwt.serialize()));
    n.step("GET /v1/me/access-log without a token -> " + anonymous.status() + "; with Ada's token from the exchange's login -> "
        + reply.status() + ", " + reply.json().path("items").size() + " lines against the checkpoint of "
        + reply.json().path("treeSize") + " entries");
    scene.check(anonymous.status() == 401 && reply.status() == 200 && reply.json().path("items").size() > 0,
        "the customer authenticates with the exchange's own token; without one, nothing");

    NoteVerifier published = scene.custos().ledger().verifierKey(); // what the exchange publishes at /ledger/vkey
    byte[] raw = Browser.JSON.writeValueAsBytes(reply.json());
    AccessLogCheck.Report report = AccessLogCheck.verify(AccessLogCheck.parse(raw), published, Optional.empty(),
        Optional.of(new dev.custos.access.CustomerId("cust-1001")));
    for (AccessLogCheck.Line l : report.verified()) {
      n.step("  verified #" + l.index() + " " + l.staff() + ": " + l.action() + " for " + l.purpose() + ", " + l.decision()
          + ("permit".equals(l.decision()) ? " " + l.fields() : ""));
    }
    scene.check(report.clean() && report.verified().size() == reply.json().path("items").size(),
        "every line verified with the published key alone: checkpoint signature, inclusion proof, her commitment "
            + "recomputed from her salt, and the entry says what the line says; staff appear as pseudonyms");

    ObjectNode forged = (ObjectNode) Browser.JSON.readTree(raw);
    JsonNode first = forged.path("items").get(0);
    String entry = new String(Base64.getDecoder().decode(first.get("entry").asText()), StandardCharsets.UTF_8);
    ((ObjectNode) first).put("entry", Base64.getEncoder().encodeToString(
        entry.replace("\"ticket\"", "\"case\"").getBytes(StandardCharsets.UTF_8)));
    AccessLogCheck.Report tampered = AccessLogCheck.verify(AccessLogCheck.parse(Browser.JSON.writeValueAsBytes(forged)),
        published, Optional.empty(), Optional.empty());
    n.step("the same log with one entry rewritten in transit -> " + tampered.findings().stream()
        .map(f -> "#" + f.index() + ": " + f.problem()).findFirst().orElse("no finding"));
    scene.check(!tampered.clean(), "a rewritten entry no longer leads to the signed checkpoint, and the check names it");
    n.step("the customer page " + base.resolve("/me") + " runs the same checks in the browser (WebCrypto); "
        + "custos ledger verify-entry on the command line");
  }
}
