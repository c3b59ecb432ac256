package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.ledger.Hash;
import dev.custos.ledger.InclusionProof;
import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.Receipt;
import dev.custos.ledger.SignedCheckpoint;
import dev.custos.ledger.TileReader;
import dev.custos.ledger.Verifier;
import dev.custos.ledger.VerifyResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger served over HTTP: tiles a generic tlog-tiles client can verify, and JSON proofs. */
class LedgerRoutesTest {
  @TempDir
  static Path temp;

  static Custos custos;
  static final HttpClient client = HttpClient.newHttpClient();
  static final List<Receipt> receipts = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    custos = Custos.start(ConfigLoader.load(Map.of("data", temp.resolve("d").toString(), "http.port", "0"), Map.of(), null, temp),
        InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE);
    for (int i = 0; i < 300; i++) {
      receipts.add(custos.ledger().append(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
    }
    custos.ledger().publish();
  }

  @AfterAll
  static void stop() {
    custos.close();
  }

  static HttpResponse<byte[]> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(custos.baseUri().resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void servedTiles_verifyWithTheServedKey_asAnAuditorWould() throws Exception {
    NoteVerifier key = NoteVerifier.parse(new String(get("/ledger/vkey").body(), StandardCharsets.UTF_8).strip()).orThrow();
    URI base = custos.baseUri().resolve("/ledger/");
    TileReader remote = TileReader.of(path -> {
      try {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        return r.statusCode() == 404 ? Optional.empty() : Optional.of(r.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted");
      }
    });
    VerifyResult result = Verifier.verify(remote, key);
    assertThat(result).isInstanceOf(VerifyResult.Clean.class);
  }

  @Test
  void fullTiles_areImmutable_andCheckpointIsNotCached() throws Exception {
    var full = get("/ledger/tile/0/000");
    assertThat(full.statusCode()).isEqualTo(200);
    assertThat(full.body()).hasSize(256 * 32);
    assertThat(full.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
    assertThat(get("/ledger/checkpoint").headers().firstValue("Cache-Control")).hasValue("no-cache");
  }

  @Test
  void traversalOrMalformedTilePaths_are404() throws Exception {
    assertThat(get("/ledger/tile/../ledger.vkey").statusCode()).isEqualTo(404);
    assertThat(get("/ledger/tile/0/1").statusCode()).isEqualTo(404);
    assertThat(get("/ledger/tile/0/999").statusCode()).isEqualTo(404);
  }

  @Test
  void inclusionProof_verifiesAgainstTheCheckpoint() throws Exception {
    SignedCheckpoint cp = custos.ledger().latestCheckpoint();
    Receipt r = receipts.get(123);
    JsonNode body = Json.MAPPER.readTree(get("/v1/ledger/proof/inclusion?index=123&size=" + cp.checkpoint().size()).body());
    List<Hash> path = new ArrayList<>();
    body.path("path").forEach(h -> path.add(new Hash(java.util.Base64.getDecoder().decode(h.asText()))));
    InclusionProof proof = new InclusionProof(123, cp.checkpoint().size(), path);
    assertThat(proof.verifies(r.leafHash(), cp.checkpoint().rootHash())).isTrue();
  }

  @Test
  void inclusionProof_withBadParameters_isProblem400_namingTheParameter() throws Exception {
    var r = get("/v1/ledger/proof/inclusion?index=abc&size=10");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(r.body()).path("parameter").asText()).isEqualTo("index");
    var tooBig = get("/v1/ledger/proof/inclusion?index=1&size=999999");
    assertThat(Json.MAPPER.readTree(tooBig.body()).path("parameter").asText()).isEqualTo("size");
    var missing = get("/v1/ledger/proof/consistency?to=5");
    assertThat(Json.MAPPER.readTree(missing.body()).path("parameter").asText()).isEqualTo("from");
  }

  @Test
  void consistencyProof_isServed() throws Exception {
    var r = get("/v1/ledger/proof/consistency?from=10&to=300");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(r.body()).path("path").size()).isPositive();
  }
}
