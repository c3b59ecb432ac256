package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessTest {
  @TempDir
  Path temp;

  @Test
  void readyz_withLedgerDirectoryMissing_is503_namingTheLedger() throws Exception {
    CustosConfig config = ConfigLoader.load(Map.of("data", temp.resolve("d").toString(), "http.port", "0"), Map.of(), null, temp);
    try (Custos custos = Custos.start(config, InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE)) {
      Path away = temp.resolve("ledger-away");
      Files.move(config.ledgerDir(), away);
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(custos.baseUri().resolve("/readyz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("application/problem+json");
      JsonNode p = Json.MAPPER.readTree(r.body());
      assertThat(p.path("type").asText()).isEqualTo("urn:custos:problem:not-ready");
      assertThat(p.path("detail").asText()).contains("ledger");
      assertThat(p.path("checks").path("database").asText()).isEqualTo("ok");
      Files.move(away, config.ledgerDir());
    }
  }
}
