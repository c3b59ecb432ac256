package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.custos.access.CanonicalJson;
import dev.custos.identity.Scope;
import dev.custos.ledger.Checkpoint;
import dev.custos.ledger.Hash;
import dev.custos.ledger.NoteSigner;
import dev.custos.server.Administration;
import dev.custos.server.ConfigLoader;
import dev.custos.server.Custos;
import dev.custos.server.CustosConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custos ledger verify-entry} against access logs served by a real Custos. */
class LedgerVerifyEntryTest {
  static final String ISSUER = "https://login.exchange.example";
  static final String AUDIENCE = "custos-transparency";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path temp;
  static Custos custos;
  static ECKey key;
  static String commitment;
  static Path logFile;
  static Path tokenFile;
  static String vkey;

  @BeforeAll
  static void start() throws Exception {
    key = new ECKeyGenerator(Curve.P_256).keyID("login-1").generate();
    Path jwks = temp.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    CustosConfig config = ConfigLoader.load(Map.of("data", temp.resolve("data").toString(), "http.port", "0"),
        Map.of("CUSTOS_CUSTOMER_JWKS", jwks.toString(), "CUSTOS_CUSTOMER_ISSUER", ISSUER,
            "CUSTOS_CUSTOMER_AUDIENCE", AUDIENCE), null, temp);
    String serviceToken;
    try (Administration admin = Administration.open(config, InstantSource.system(), RandomGenerator.getDefault())) {
      serviceToken = admin.issueToken("backend", Set.of(Scope.CUSTOMERS_WRITE), Optional.empty(), "test").token()
          .revealText();
    }
    custos = Custos.start(config, InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE);
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(custos.baseUri().resolve("/v1/customers/cust-ada"))
        .header("Authorization", "Bearer " + serviceToken).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"fields\":{\"name\":\"Ada Lovelace\"}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    tokenFile = temp.resolve("token");
    Files.writeString(tokenFile, token());
    commitment = JSON.readTree(apiLog()).get("commitment").asText();
    append("view", "permit");
    append("reveal", "permit");
    append("view", "deny");
    custos.ledger().publish();
    logFile = temp.resolve("access-log.json");
    Files.writeString(logFile, apiLog());
    vkey = custos.ledger().verifierKey().encoded();
  }

  @AfterAll
  static void stop() {
    if (custos != null) {
      custos.close();
    }
  }

  static void append(String action, String decision) throws Exception {
    append(custos, commitment, action, decision);
  }

  /** Appends an access entry by staff-alice on {@code commitment} to {@code custos}'s ledger. */
  static void append(Custos custos, String commitment, String action, String decision) throws Exception {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("kind", "custos.access/v1");
    e.put("at", Instant.now().toString());
    e.put("staff", "staff-alice");
    e.put("session", "s-1");
    e.put("roles", List.of("support-l1"));
    e.put("action", action);
    e.put("purpose", Map.of("type", "ticket", "id", "T-1"));
    e.put("customer", commitment);
    e.put("decision", decision);
    e.put("rules", List.of("request"));
    if (decision.equals("permit")) {
      e.put("fields", Map.of("name", action.equals("reveal") ? "none" : "initials"));
      e.put("obligations", List.of());
    } else {
      e.put("deny", "ticket-not-assigned");
    }
    custos.ledger().append(CanonicalJson.encode(e));
  }

  static String token() throws Exception {
    return token(key);
  }

  /** A customer token for cust-ada signed by {@code key}. */
  static String token(ECKey key) throws Exception {
    Instant now = Instant.now();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("login-1").build(),
        new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("cust-ada")
            .issueTime(Date.from(now.minusSeconds(5))).expirationTime(Date.from(now.plusSeconds(900))).build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  static String apiLog() throws Exception {
    return apiLog(custos, key);
  }

  /** cust-ada's access log from {@code custos}, with a token signed by {@code key}. */
  static String apiLog(Custos custos, ECKey key) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(custos.baseUri().resolve("/v1/me/access-log"))
        .header("Authorization", "Bearer " + token(key)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  Path tampered(java.util.function.Consumer<ObjectNode> change) throws Exception {
    ObjectNode log = (ObjectNode) JSON.readTree(Files.readString(logFile));
    change.accept(log);
    Path f = Files.createTempFile(temp, "tampered", ".json");
    Files.writeString(f, JSON.writeValueAsString(log));
    return f;
  }

  @Test
  void savedLog_verifies_exit0() {
    var r = MainTest.run("ledger", "verify-entry", "--log", logFile.toString(), "--vkey", vkey);
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("ok: 3 entries verified").contains("reveal (ticket T-1) permit");
  }

  @Test
  void fromTheServer_thenAgainWithTheSavedCheckpoint_provesTheLogOnlyGrew() throws Exception {
    Path saved = temp.resolve("seen.checkpoint");
    var first = MainTest.run("ledger", "verify-entry", "--url", custos.baseUri().toString(), "--token-file",
        tokenFile.toString(), "--vkey", vkey, "--save-checkpoint", saved.toString());
    assertThat(first.code()).as(first.out() + first.err()).isZero();
    append("view", "permit");
    custos.ledger().publish();
    var second = MainTest.run("ledger", "verify-entry", "--url", custos.baseUri().toString(), "--token-file",
        tokenFile.toString(), "--vkey", vkey, "--last-checkpoint", saved.toString());
    assertThat(second.code()).as(second.out() + second.err()).isZero();
    assertThat(second.out()).contains("which extends the one of size");
  }

  @Test
  void tamperedEntry_exit1_namingTheEntry() throws Exception {
    Path f = tampered(log -> {
      ObjectNode item = (ObjectNode) log.get("items").get(1);
      String entry = new String(Base64.getDecoder().decode(item.get("entry").asText()), StandardCharsets.UTF_8);
      item.put("entry", Base64.getEncoder().encodeToString(entry.replace("\"none\"", "\"initials\"")
          .getBytes(StandardCharsets.UTF_8)));
    });
    var r = MainTest.run("ledger", "verify-entry", "--log", f.toString(), "--vkey", vkey);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED  #").contains("inclusion proof does not lead to the signed checkpoint");
  }

  @Test
  void summaryThatDiffersFromTheEntry_exit1() throws Exception {
    Path f = tampered(log -> ((ObjectNode) log.get("items").get(2)).put("decision", "permit"));
    var r = MainTest.run("ledger", "verify-entry", "--log", f.toString(), "--vkey", vkey);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("differs from the signed entry");
  }

  @Test
  void anotherCustomersId_exit1_onTheCommitment() {
    var r = MainTest.run("ledger", "verify-entry", "--log", logFile.toString(), "--vkey", vkey, "--customer", "cust-bob");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("commitment recomputed").contains("about someone else");
  }

  @Test
  void anotherVerifierKey_exit1_onTheCheckpoint() {
    String other = NoteSigner.generate("custos.example/other", new SecureRandom()).verifier().encoded();
    var r = MainTest.run("ledger", "verify-entry", "--log", logFile.toString(), "--vkey", other);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED  log: checkpoint");
  }

  @Test
  void lastCheckpointOfAFork_exit1_notConsistent() throws Exception {
    // The operator's key signs a checkpoint of another history (a split view shown to this customer earlier).
    NoteSigner operator = NoteSigner.load(custos.config().ledgerSigningKeyFile());
    Checkpoint real = custos.ledger().latestCheckpoint().checkpoint();
    Path fork = temp.resolve("fork.checkpoint");
    Files.write(fork, new Checkpoint(real.origin(), 2, new Hash(new byte[32])).sign(operator).bytes());
    var r = MainTest.run("ledger", "verify-entry", "--url", custos.baseUri().toString(), "--token-file",
        tokenFile.toString(), "--vkey", vkey, "--last-checkpoint", fork.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("not consistent with the checkpoint seen last");
  }

  @Test
  void notJson_missingVkey_orUrlWithoutToken_exit2() throws Exception {
    Path junk = temp.resolve("junk.json");
    Files.writeString(junk, "not json");
    var notJson = MainTest.run("ledger", "verify-entry", "--log", junk.toString(), "--vkey", vkey);
    assertThat(notJson.code()).isEqualTo(2);
    assertThat(notJson.err()).contains("not JSON").doesNotContain("Exception");
    assertThat(MainTest.run("ledger", "verify-entry", "--log", logFile.toString()).code()).isEqualTo(2);
    var noToken = MainTest.run("ledger", "verify-entry", "--url", custos.baseUri().toString(), "--vkey", vkey);
    assertThat(noToken.code()).isEqualTo(2);
    assertThat(noToken.err()).contains("--token-file");
  }

  @Test
  void scan_ofTheServersTiles_findsNothingOmitted_exit0() {
    var r = MainTest.run("ledger", "verify-entry", "--log", logFile.toString(), "--vkey", vkey, "--scan",
        custos.baseUri().resolve("/ledger").toString());
    assertThat(r.code()).as(r.out() + r.err()).isZero();
  }

  @Test
  void scan_findsAnEntryTheLogOmits_exit1() throws Exception {
    Path f = tampered(log -> ((com.fasterxml.jackson.databind.node.ArrayNode) log.get("items")).remove(0));
    var r = MainTest.run("ledger", "verify-entry", "--log", f.toString(), "--vkey", vkey, "--scan",
        custos.config().ledgerDir().toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("names you, but the access log omits it");
  }
}
