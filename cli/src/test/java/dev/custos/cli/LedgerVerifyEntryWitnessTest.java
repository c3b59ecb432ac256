package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.custos.identity.Scope;
import dev.custos.ledger.Cosignature;
import dev.custos.ledger.Note;
import dev.custos.ledger.NoteSigner;
import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.SignatureType;
import dev.custos.ledger.SignedCheckpoint;
import dev.custos.ledger.TrustedLog;
import dev.custos.ledger.Witness;
import dev.custos.ledger.WitnessServer;
import dev.custos.server.Administration;
import dev.custos.server.ConfigLoader;
import dev.custos.server.Custos;
import dev.custos.server.CustosConfig;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custos ledger verify-entry --witness-key} against an access log served by a real Custos whose
 * checkpoints a real witness cosigns: the log carries the cosignature and names the witness's key.
 */
class LedgerVerifyEntryWitnessTest {
  @TempDir
  static Path temp;
  static ECKey key;
  static Witness witness;
  static WitnessServer witnessServer;
  static Custos custos;
  static String vkey;
  static String witnessKey;
  static Path logFile;
  static JsonNode log;

  @BeforeAll
  static void start() throws Exception {
    key = new ECKeyGenerator(Curve.P_256).keyID("login-1").generate();
    Path jwks = temp.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    Map<String, String> env = Map.of("CUSTOS_CUSTOMER_JWKS", jwks.toString(), "CUSTOS_CUSTOMER_ISSUER",
        LedgerVerifyEntryTest.ISSUER, "CUSTOS_CUSTOMER_AUDIENCE", LedgerVerifyEntryTest.AUDIENCE);
    Map<String, String> settings = Map.of("data", temp.resolve("data").toString(), "http.port", "0");
    CustosConfig first = ConfigLoader.load(settings, env, null, temp);
    String serviceToken;
    NoteVerifier logKey;
    try (Administration admin = Administration.open(first, InstantSource.system(), RandomGenerator.getDefault())) {
      serviceToken = admin.issueToken("backend", Set.of(Scope.CUSTOMERS_WRITE), Optional.empty(), "test").token()
          .revealText();
    }
    logKey = NoteSigner.load(first.ledgerSigningKeyFile()).verifier();
    NoteSigner witnessSigner = Witness.loadOrCreateKey(temp.resolve("witness"), "auditor.example/w1", new SecureRandom());
    witness = Witness.open(temp.resolve("witness"), witnessSigner, InstantSource.system());
    witness.trust(TrustedLog.of(logKey));
    witnessServer = WitnessServer.start(witness, new InetSocketAddress("127.0.0.1", 0));
    witnessKey = witness.verifierKey().encoded();
    Map<String, String> withWitness = new java.util.HashMap<>(env);
    withWitness.put("CUSTOS_LEDGER_WITNESSES", witnessServer.url() + " " + witnessKey);
    custos = Custos.start(ConfigLoader.load(settings, withWitness, null, temp), InstantSource.system(),
        RandomGenerator.getDefault(), Custos.Progress.NONE);
    HttpResponse<String> put = LedgerVerifyEntryTest.HTTP.send(HttpRequest.newBuilder(
        custos.baseUri().resolve("/v1/customers/cust-ada")).header("Authorization", "Bearer " + serviceToken)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"fields\":{\"name\":\"Ada Lovelace\"}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    String commitment = LedgerVerifyEntryTest.JSON.readTree(LedgerVerifyEntryTest.apiLog(custos, key))
        .get("commitment").asText();
    LedgerVerifyEntryTest.append(custos, commitment, "view", "permit");
    custos.ledger().publish();
    vkey = custos.ledger().verifierKey().encoded();
    // Each reading is itself recorded, so the checkpoint moves on; read until the one handed out is cosigned.
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    do {
      Thread.sleep(300);
      log = LedgerVerifyEntryTest.JSON.readTree(LedgerVerifyEntryTest.apiLog(custos, key));
    } while (!log.get("checkpoint").asText().contains("\u2014 auditor.example/w1 ") && Instant.now().isBefore(deadline));
    logFile = temp.resolve("access-log.json");
    Files.writeString(logFile, LedgerVerifyEntryTest.JSON.writeValueAsString(log));
  }

  @AfterAll
  static void stop() throws Exception {
    if (custos != null) {
      custos.close();
    }
    if (witnessServer != null) {
      witnessServer.close();
    }
    if (witness != null) {
      witness.close();
    }
  }

  @Test
  void accessLog_carriesTheWitnessCosignature_andNamesTheConfiguredWitnessKey() {
    assertThat(log.get("checkpoint").asText()).contains("\u2014 auditor.example/w1 ");
    assertThat(log.at("/witnesses/0/name").asText()).isEqualTo("auditor.example/w1");
    assertThat(log.at("/witnesses/0/key").asText()).isEqualTo(witnessKey);
  }

  @Test
  void witnessKey_ofTheWitnessThatCosigned_verifies_exit0() {
    var r = MainTest.run("ledger", "verify-entry", "--log", logFile.toString(), "--vkey", vkey, "--witness-key",
        witnessKey);
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("ok      cosigned by witness auditor.example/w1 (key hash "
        + witnessKey.split("\\+")[1] + ") at ").contains("cosigned by 1 of 1 witness(es) you trust");
  }

  @Test
  void withoutWitnessKeys_theCosignatureIsListed_notChecked() {
    var r = MainTest.run("ledger", "verify-entry", "--log", logFile.toString(), "--vkey", vkey);
    assertThat(r.code()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("note    cosignature line by witness auditor.example/w1").contains("not checked");
  }

  @Test
  void witnessKey_ofAWitnessThatDidNotCosign_exit1() {
    String other = NoteSigner.generate(SignatureType.COSIGNATURE_V1, "auditor.example/w9", new SecureRandom())
        .verifier().encoded();
    var r = MainTest.run("ledger", "verify-entry", "--log", logFile.toString(), "--vkey", vkey, "--witness-key",
        witnessKey, "--witness-key", other);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED  log: no cosignature by witness auditor.example/w9");
  }

  @Test
  void cosignatureWithAnAlteredTimestamp_exit1_namingTheWitness() throws Exception {
    SignedCheckpoint signed = SignedCheckpoint.parse(log.get("checkpoint").asText(),
        NoteVerifier.parse(vkey).orThrow()).orThrow();
    NoteVerifier w = NoteVerifier.parse(witnessKey).orThrow();
    List<Note.Signature> lines = new java.util.ArrayList<>();
    for (Note.Signature s : signed.note().signatures()) {
      if (s.keyName().equals(w.name())) {
        Cosignature c = Cosignature.fromNoteSignature(s).orThrow();
        lines.add(new Cosignature(c.keyName(), c.keyHash(), c.timestamp() - 86_400, c.signature()).noteSignature());
      } else {
        lines.add(s);
      }
    }
    ObjectNode tampered = log.deepCopy();
    tampered.put("checkpoint", new Note(signed.note().text(), lines).format());
    Path f = temp.resolve("tampered-cosignature.json");
    Files.writeString(f, LedgerVerifyEntryTest.JSON.writeValueAsString(tampered));
    var r = MainTest.run("ledger", "verify-entry", "--log", f.toString(), "--vkey", vkey, "--witness-key", witnessKey);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED  log: the cosignature by witness auditor.example/w1").contains("does not verify");
  }

  @Test
  void witnessKey_thatIsTheLogsKey_exit2() {
    var r = MainTest.run("ledger", "verify-entry", "--log", logFile.toString(), "--vkey", vkey, "--witness-key", vkey);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--witness-key").contains("cosignature/v1");
  }
}
