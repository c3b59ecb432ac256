package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole Custos instance on the embedded default, in a temporary data directory. */
class CustosTest {
  @TempDir
  static Path temp;

  static Custos custos;
  static final HttpClient client = HttpClient.newHttpClient();
  static final List<String> progress = new ArrayList<>();

  static CustosConfig config(Path data) throws ConfigException {
    return ConfigLoader.load(Map.of("data", data.toString(), "http.port", "0"), Map.of(), null, temp);
  }

  @BeforeAll
  static void start() throws Exception {
    custos = Custos.start(config(temp.resolve("data")), InstantSource.system(), RandomGenerator.getDefault(), progress::add);
  }

  @AfterAll
  static void stop() {
    custos.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(custos.baseUri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthz_is200() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void readyz_is200_withEveryCheckOk() throws Exception {
    var r = get("/readyz");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertThat(body.path("checks").path("database").asText()).isEqualTo("ok");
    assertThat(body.path("checks").path("ledger").asText()).isEqualTo("ok");
  }

  @Test
  void metrics_arePrometheusText_withJvmHttpAndPoolSeries() throws Exception {
    get("/healthz");
    var r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
    assertThat(r.body()).contains("jvm_memory_used_bytes").contains("http_server_requests_seconds_bucket")
        .contains("route=\"/healthz\"").contains("hikaricp_connections_active");
  }

  @Test
  void openapi_is31_andDescribesEveryRegisteredRoute() throws Exception {
    JsonNode doc = Json.MAPPER.readTree(get("/openapi.json").body());
    assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
    List<String> endpoints = custos.registeredHandlers().stream()
        .filter(h -> !h.startsWith("BEFORE") && !h.startsWith("AFTER")).toList();
    assertThat(endpoints).contains("GET /v1/status");
    for (String h : endpoints) {
      String method = h.substring(0, h.indexOf(' ')).toLowerCase(Locale.ROOT);
      String path = h.substring(h.indexOf(' ') + 1);
      assertThat(doc.path("paths").path(path).has(method)).as("openapi.json describes %s", h).isTrue();
    }
  }

  @Test
  void staffReads_areTheFirstGetRoutesAfterTheSystemRoutes_soTheHotPathIsMatchedEarly() {
    List<String> gets = custos.registeredHandlers().stream().filter(h -> h.startsWith("GET ")).toList();
    int view = gets.indexOf("GET /v1/customers/{id}");
    assertThat(view).isPositive();
    assertThat(gets.subList(0, view)).allMatch(h -> h.startsWith("GET /v1/customers/") || !h.startsWith("GET /v1/")
        || h.equals("GET /v1/status"), "only system routes and the customer search come before the view")
        .contains("GET /healthz", "GET /v1/customers/search");
    assertThat(gets.indexOf("GET /v1/customers/search")).as("the literal path before the pattern that would take it")
        .isLessThan(view);
  }

  @Test
  void status_namesTheInstallation() throws Exception {
    JsonNode s = Json.MAPPER.readTree(get("/v1/status").body());
    assertThat(s.path("installation").path("id").asText()).isEqualTo(custos.installation().id().toString());
    assertThat(s.path("database").asText()).isEqualTo("embedded");
  }

  @Test
  void instancePage_isHtml_withoutInlineScript() throws Exception {
    var r = get("/");
    assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
    assertThat(r.body()).contains(custos.installation().id().toString()).doesNotContain("<script");
  }

  @Test
  void devKeys_areOwnerOnly() throws Exception {
    for (DevKeys.Kind k : DevKeys.Kind.values()) {
      Path f = custos.config().keysDir().resolve(k.file);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }
  }

  @Test
  void start_narratesEachStep() {
    assertThat(progress).anyMatch(s -> s.contains("development keys created"))
        .anyMatch(s -> s.contains("embedded PostgreSQL")).anyMatch(s -> s.startsWith("HTTP listening on"));
  }

  @Test
  void secondInstance_onTheSameDataDirectory_isRefused() {
    assertThatThrownBy(() -> Custos.start(config(temp.resolve("data")), InstantSource.system(), RandomGenerator.getDefault(),
        Custos.Progress.NONE))
        .isInstanceOf(StartupException.class).hasMessageContaining("already uses the data directory");
  }

  @Test
  void withoutTheSimulationSetting_thereIsNoRouteThatMovesTheClock() throws Exception {
    assertThat(get("/v1/simulation/clock").statusCode()).isEqualTo(404);
    HttpResponse<String> post = client.send(HttpRequest.newBuilder(custos.baseUri().resolve("/v1/simulation/clock"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"at\":\"2030-01-01T00:00:00Z\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(404);
  }

  @Test
  void simulationClock_onAnExternalDatabase_refusesToStart_beforeTouchingAnything() throws Exception {
    Path data = temp.resolve("simulated-external");
    CustosConfig c = ConfigLoader.load(Map.of("data", data.toString(), "http.port", "0"),
        Map.of("CUSTOS_SIMULATION_CLOCK", "2025-03-02T00:00:00Z", "CUSTOS_DB_URL", "jdbc:postgresql://127.0.0.1:1/none"), null, temp);
    assertThatThrownBy(() -> Custos.start(c, InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE))
        .isInstanceOf(StartupException.class).hasMessageContaining("simulation.clock needs the embedded database");
    assertThat(Files.exists(data)).as("nothing created after the refusal").isFalse();
  }

  @Test
  void keyFile_readableByOthers_refusesToStart() throws Exception {
    Path data = temp.resolve("loose-keys");
    Path keys = data.resolve("keys");
    Files.createDirectories(keys);
    Path f = keys.resolve(DevKeys.Kind.VAULT_KEK.file);
    Files.writeString(f, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> Custos.start(config(data), InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE))
        .isInstanceOf(StartupException.class).hasMessageContaining("chmod 600");
    assertThat(Files.exists(data.resolve("postgres"))).as("nothing started after the refusal").isFalse();
  }
}
