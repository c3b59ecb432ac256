package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.ledger.NoteSigner;
import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.Parsed;
import dev.custos.ledger.SignedCheckpoint;
import dev.custos.ledger.TrustedLog;
import dev.custos.ledger.Witness;
import dev.custos.ledger.WitnessServer;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custos pushing its checkpoints to a real witness over HTTP and serving the cosigned checkpoint. */
class WitnessingTest {
  @TempDir
  Path temp;

  static final HttpClient client = HttpClient.newHttpClient();

  static HttpResponse<String> get(Custos custos, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(custos.baseUri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private Custos start(Path data, String witnesses) throws Exception {
    return Custos.start(ConfigLoader.load(Map.of("data", data.toString(), "http.port", "0"),
        Map.of("CUSTOS_LEDGER_WITNESSES", witnesses), null, temp), InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE);
  }

  /** Starts Custos once without witnesses to learn its log key (created at first start). */
  private NoteVerifier logKey(Path data) throws Exception {
    try (Custos custos = Custos.start(ConfigLoader.load(Map.of("data", data.toString(), "http.port", "0"), Map.of(), null, temp),
        InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE)) {
      return custos.ledger().verifierKey();
    }
  }

  private static String waitForHeader(Custos custos, String expected) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    String header = "";
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r = get(custos, "/ledger/checkpoint");
      header = r.headers().firstValue("Custos-Cosignatures").orElse("");
      if (header.equals(expected)) {
        return r.body();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("Custos-Cosignatures stayed '" + header + "', expected " + expected);
  }

  @Test
  void checkpoints_areCosignedByTheWitness_andServedWithTheCosignature() throws Exception {
    Path data = temp.resolve("custos");
    NoteVerifier logKey = logKey(data);
    NoteSigner witnessKey = Witness.loadOrCreateKey(temp.resolve("witness"), "auditor.example/w1", new SecureRandom());
    try (Witness witness = Witness.open(temp.resolve("witness"), witnessKey, InstantSource.system());
        WitnessServer server = WitnessServer.start(witness, new InetSocketAddress("127.0.0.1", 0))) {
      witness.trust(TrustedLog.of(logKey));
      try (Custos custos = start(data, server.url() + " " + witness.verifierKey().encoded())) {
        for (int i = 0; i < 10; i++) {
          custos.ledger().append(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        custos.ledger().publish();

        String body = waitForHeader(custos, "1/1");

        SignedCheckpoint served = ((Parsed.Ok<SignedCheckpoint>) SignedCheckpoint.parse(
            body.getBytes(StandardCharsets.UTF_8), logKey)).value();
        assertThat(served.checkpoint().size()).isEqualTo(custos.ledger().latestCheckpoint().checkpoint().size());
        assertThat(served.cosignature(witness.verifierKey())).isPresent();
        assertThat(witness.checkpoint(served.checkpoint().origin()).orElseThrow().checkpoint())
            .isEqualTo(served.checkpoint());
        JsonNode status = Json.MAPPER.readTree(get(custos, "/v1/ledger/witnesses").body());
        assertThat(status.at("/witnesses/0/cosignedSize").asLong()).isEqualTo(served.checkpoint().size());
        assertThat(status.at("/witnesses/0/lastProblem").isNull()).isTrue();

        custos.ledger().append("{\"n\":10}".getBytes(StandardCharsets.UTF_8));
        custos.ledger().publish();
        String grown = waitForHeader(custos, "1/1");
        assertThat(grown).startsWith(served.checkpoint().origin() + "\n" + (served.checkpoint().size() + 1) + "\n");
      }
    }
  }

  @Test
  void witnessThatDoesNotTrustTheLog_isReported_andTheCheckpointStillServed() throws Exception {
    Path data = temp.resolve("custos");
    NoteSigner witnessKey = Witness.loadOrCreateKey(temp.resolve("witness"), "auditor.example/w2", new SecureRandom());
    try (Witness witness = Witness.open(temp.resolve("witness"), witnessKey, InstantSource.system());
        WitnessServer server = WitnessServer.start(witness, new InetSocketAddress("127.0.0.1", 0));
        Custos custos = start(data, server.url() + " " + witness.verifierKey().encoded())) {
      custos.ledger().append("{}".getBytes(StandardCharsets.UTF_8));
      custos.ledger().publish();

      Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
      JsonNode status;
      do {
        Thread.sleep(50);
        status = Json.MAPPER.readTree(get(custos, "/v1/ledger/witnesses").body());
      } while (status.at("/witnesses/0/lastProblem").isNull() && Instant.now().isBefore(deadline));

      assertThat(status.at("/witnesses/0/lastProblem").asText()).startsWith("UNKNOWN_LOG");
      HttpResponse<String> checkpoint = get(custos, "/ledger/checkpoint");
      assertThat(checkpoint.statusCode()).isEqualTo(200);
      assertThat(checkpoint.headers().firstValue("Custos-Cosignatures")).contains("0/1");
    }
  }

  @Test
  void witnessesSetting_withALogKeyInsteadOfACosignerKey_isRefused() {
    String logKey = NoteSigner.generate("custos/x", new SecureRandom()).verifier().encoded();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(
            Map.of("data", temp.toString()), Map.of("CUSTOS_LEDGER_WITNESSES", "http://127.0.0.1:1 " + logKey), null, temp))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ledger.witnesses").hasMessageContaining("cosignature");
  }

  @Test
  void witnessesSetting_withoutAKey_isRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(
            Map.of("data", temp.toString()), Map.of("CUSTOS_LEDGER_WITNESSES", "http://127.0.0.1:1"), null, temp))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'<url> <cosigner vkey>'");
  }

  @Test
  void witnessUrl_withCredentials_isRefused() {
    String key = NoteSigner.generate(dev.custos.ledger.SignatureType.COSIGNATURE_V1, "w", new SecureRandom()).verifier().encoded();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(Map.of("data", temp.toString()),
            Map.of("CUSTOS_LEDGER_WITNESSES", "https://user:secret@w.example/ " + key), null, temp))
        .isInstanceOf(ConfigException.class).hasMessageContaining("user info").hasMessageNotContaining("secret@");
  }
}
