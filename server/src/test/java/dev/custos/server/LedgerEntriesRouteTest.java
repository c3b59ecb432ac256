package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.identity.IssuedToken;
import dev.custos.identity.Scope;
import dev.custos.ledger.Merkle;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/ledger/entries}: other internal systems' audit entries, with a scoped service token. */
class LedgerEntriesRouteTest {
  @TempDir
  static Path temp;

  static Custos custos;
  static IssuedToken token;
  static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    custos = Custos.start(ConfigLoader.load(Map.of("data", temp.resolve("d").toString(), "http.port", "0"), Map.of(), null, temp),
        InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE);
    token = custos.serviceTokens().issue("payments-admin", Set.of(Scope.LEDGER_APPEND), Optional.empty());
  }

  @AfterAll
  static void stop() {
    custos.close();
  }

  static HttpResponse<String> post(String body, String contentType, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(custos.baseUri().resolve("/v1/ledger/entries"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String body) throws Exception {
    return post(body, "application/json", "Bearer " + token.revealText());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  @Test
  void append_withScopedToken_isDurableAndNamesItsSource() throws Exception {
    HttpResponse<String> r = post("{\"staff\": \"ops-17\", \"action\": \"viewed-payout\", \"n\": [1, 2]}");

    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode body = json(r);
    long index = body.get("index").asLong();
    byte[] stored = Base64.getDecoder().decode(body.get("entry").asText());
    custos.ledger().publish();
    assertThat(custos.ledger().entry(index)).isEqualTo(stored);
    assertThat(Merkle.leafHash(stored).base64()).isEqualTo(body.get("leafHash").asText());
    JsonNode entry = Json.MAPPER.readTree(stored);
    assertThat(entry.get("kind").asText()).isEqualTo("custos.external/v1");
    assertThat(entry.at("/source/token").asText()).isEqualTo(token.token().id());
    assertThat(entry.at("/source/name").asText()).isEqualTo("payments-admin");
    assertThat(entry.get("entry")).isEqualTo(Json.MAPPER.readTree("{\"staff\":\"ops-17\",\"action\":\"viewed-payout\",\"n\":[1,2]}"));
  }

  @Test
  void append_keepsTheCallersJsonByteForByte() throws Exception {
    String sent = "{\"amount\": 12345678901234567.89, \"fee\": 1.10, \"n\": 1e2, \"who\": \"\\u00e9\"}";
    HttpResponse<String> r = post(sent);

    assertThat(r.statusCode()).isEqualTo(201);
    String stored = new String(Base64.getDecoder().decode(json(r).get("entry").asText()), StandardCharsets.UTF_8);
    assertThat(stored).endsWith(",\"entry\":" + sent + "}");
  }

  @Test
  void append_nestedTooDeeply_isRefusedAs400() throws Exception {
    String deep = "{\"a\":".repeat(1200) + "1" + "}".repeat(1200);
    HttpResponse<String> r = post(deep);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
  }

  @Test
  void append_withoutToken_is401WithAChallenge() throws Exception {
    HttpResponse<String> r = post("{}", "application/json", null);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(json(r).get("type").asText()).isEqualTo("urn:custos:problem:unauthorized");
  }

  @Test
  void revokedAndUnknownTokens_getTheSameAnswer() throws Exception {
    IssuedToken revoked = custos.serviceTokens().issue("old", Set.of(Scope.LEDGER_APPEND), Optional.empty());
    assertThat(post("{}", "application/json", "Bearer " + revoked.revealText()).statusCode()).isEqualTo(201);
    custos.serviceTokens().revoke(revoked.token().id());
    long sizeBefore = custos.ledger().durableSize();

    HttpResponse<String> afterRevoke = post("{}", "application/json", "Bearer " + revoked.revealText());
    HttpResponse<String> unknown = post("{}", "application/json", "Bearer cst_aaaaaaaaaaaaaaaa_" + "A".repeat(43));
    HttpResponse<String> garbage = post("{}", "application/json", "Bearer nonsense");

    for (HttpResponse<String> r : List.of(afterRevoke, unknown, garbage)) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(json(r).get("detail").asText()).isEqualTo("the service token is not valid");
    }
    assertThat(custos.ledger().durableSize()).as("nothing appended").isEqualTo(sizeBefore);
  }

  @Test
  void append_ofANonObject_namesTheField() throws Exception {
    HttpResponse<String> r = post("[1,2,3]");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("field").asText()).isEqualTo("entry");
  }

  @Test
  void append_ofMalformedJson_isRefusedWithItsPosition() throws Exception {
    HttpResponse<String> r = post("{\"a\": ");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("type").asText()).isEqualTo("urn:custos:problem:malformed-json");
  }

  @Test
  void append_withDuplicateKeys_isRefused() throws Exception {
    assertThat(post("{\"a\": 1, \"a\": 2}").statusCode()).isEqualTo(400);
  }

  @Test
  void append_asText_is415() throws Exception {
    assertThat(post("{}", "text/plain", "Bearer " + token.revealText()).statusCode()).isEqualTo(415);
  }

  @Test
  void append_largerThanAnEntry_is413AndWritesNothing() throws Exception {
    long sizeBefore = custos.ledger().durableSize();
    HttpResponse<String> r = post("{\"blob\": \"" + "x".repeat(70_000) + "\"}");

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).get("field").asText()).isEqualTo("entry");
    assertThat(custos.ledger().durableSize()).isEqualTo(sizeBefore);
  }

  @Test
  void concurrentAppends_getDistinctDurableIndexes() throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<String>>> futures = IntStream.range(0, 64)
          .mapToObj(i -> pool.submit(() -> post("{\"i\": " + i + "}"))).toList();
      Set<Long> indexes = new HashSet<>();
      for (Future<HttpResponse<String>> f : futures) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).isEqualTo(201);
        indexes.add(json(r).get("index").asLong());
      }
      assertThat(indexes).hasSize(64);
      assertThat(custos.ledger().durableSize()).isGreaterThan(indexes.stream().mapToLong(Long::longValue).max().orElseThrow());
    }
  }

  @Test
  void openApi_saysTheRouteNeedsTheScope() throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(custos.baseUri().resolve("/openapi.json")).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonNode op = json(r).at("/paths/~1v1~1ledger~1entries/post");

    assertThat(op.at("/security/0/serviceToken/0").asText()).isEqualTo("ledger:append");
    assertThat(op.at("/responses/401").isMissingNode()).isFalse();
  }
}
