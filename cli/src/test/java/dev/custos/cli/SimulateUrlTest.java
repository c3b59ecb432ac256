package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custos.server.ConfigLoader;
import dev.custos.server.Custos;
import dev.custos.sim.Scenario;
import dev.custos.sim.Simulation;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custos simulate --url}: a simulation installation prepared offline ({@code --prepare}),
 * served from its own configuration as {@code custos serve --config} would, and the desk played
 * against it over HTTP, the simulator moving the server's clock.
 */
class SimulateUrlTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  static Path dir;
  private static Path sim;
  private static MainTest.Run prepared;
  private static MainTest.Run played;
  private static Custos server;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void prepareServeAndPlay() throws Exception {
    sim = dir.resolve("sim");
    prepared = MainTest.run("simulate", "--prepare", sim.toString(), "--agents", "20", "--days", "21");
    assertThat(prepared.code()).as(prepared.err()).isZero();
    server = Custos.start(ConfigLoader.load(Map.of("http.port", "0"), Map.of(), sim.resolve("simulation.yaml"), sim),
        InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE);
    played = MainTest.run("simulate", "--url", server.baseUri().toString(), "--desk",
        sim.resolve("simulation-desk.json").toString(), "--agents", "20", "--days", "21", "--seed", "1", "--out",
        dir.resolve("report.json").toString());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void prepare_writesTheServersConfiguration_andADeskFileOnlyItsOwnerReads() throws Exception {
    assertThat(Files.readString(sim.resolve("simulation.yaml"))).contains("simulation.clock: " + Simulation.START.minusSeconds(86_400))
        .contains("session.idle: 2h");
    assertThat(Files.getPosixFilePermissions(sim.resolve("simulation-desk.json")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(prepared.out()).contains("custos serve --config").contains("custos simulate --url");
    JsonNode desk = JSON.readTree(sim.resolve("simulation-desk.json").toFile());
    assertThat(desk.get("agents").asInt()).isEqualTo(20);
    assertThat(desk.get("totp")).hasSize(21); // the agents and the desk's security analyst
  }

  @Test
  void url_playsTheDeskThroughTheRunningServer_andReportsInTheIssueSixShape() throws Exception {
    assertThat(played.code()).as(played.err()).isZero();
    assertThat(played.out()).contains("through the access broker");
    JsonNode report = JSON.readTree(dir.resolve("report.json").toFile());
    assertThat(report.get("mode").asText()).isEqualTo("broker");
    assertThat(report.get("scenarios")).hasSize(Scenario.values().length);
    for (JsonNode s : report.get("scenarios")) {
      String name = s.get("name").asText();
      if (name.equals("smash-and-grab") || name.equals("vip-targeting") || name.equals("stolen-session")
          || name.equals("search-enumeration")) {
        assertThat(s.get("recordsBeforeContainment").asInt()).as(name).isLessThanOrEqualTo(10);
      }
    }
    assertThat(report.at("/benign/falseContainments").asInt()).isZero();
  }

  @Test
  void theServersClock_isTheSimulations_andNeverGoesBack() throws Exception {
    String token = JSON.readTree(sim.resolve("simulation-desk.json").toFile()).get("serviceToken").asText();
    HttpResponse<String> now = send("GET", "/v1/simulation/clock", token, null);
    assertThat(now.statusCode()).isEqualTo(200);
    Instant at = Instant.parse(JSON.readTree(now.body()).get("at").asText());
    assertThat(at).isAfter(Simulation.START.plus(Duration.ofDays(20)));
    HttpResponse<String> back = send("POST", "/v1/simulation/clock", token, "{\"at\":\"" + Simulation.START + "\"}");
    assertThat(back.statusCode()).isEqualTo(409);
    assertThat(back.body()).contains("\"field\":\"at\"");
    assertThat(send("POST", "/v1/simulation/clock", token, "{\"at\":\"yesterday\"}").statusCode()).isEqualTo(400);
    assertThat(send("POST", "/v1/simulation/clock", null, "{\"at\":\"" + at.plusSeconds(1) + "\"}").statusCode())
        .isEqualTo(401);
  }

  @Test
  void aSecondDesk_onTheSameInstallation_stopsAtOnce_namingTheClock() {
    MainTest.Run again = MainTest.run("simulate", "--url", server.baseUri().toString(), "--desk",
        sim.resolve("simulation-desk.json").toString(), "--agents", "20", "--days", "21", "--seed", "2");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("clock").contains("409");
  }

  @Test
  void badUsage_exits2_withOneLine() {
    for (String[] args : new String[][] {
        {"simulate", "--url", "http://127.0.0.1:1"},
        {"simulate", "--url", "ftp://x", "--desk", sim.resolve("simulation-desk.json").toString()},
        {"simulate", "--url", "http://127.0.0.1:1", "--desk", dir.resolve("nope.json").toString()},
        {"simulate", "--prepare", sim.toString()},
        {"simulate", "--prepare", dir.resolve("p").toString(), "--seed", "3"},
        {"simulate", "--url", "http://127.0.0.1:1", "--desk", sim.resolve("simulation-desk.json").toString(), "--agents",
            "30"}}) {
      MainTest.Run r = MainTest.run(args);
      assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
      assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
    }
  }

  private static HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.baseUri().resolve(path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
