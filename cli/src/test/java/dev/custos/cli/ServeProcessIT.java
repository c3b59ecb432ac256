package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custos serve} as a real child process: endpoints, SIGTERM, restart with its data. */
class ServeProcessIT {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path temp;

  /**
   * A free port below the system's ephemeral range. The child starts its embedded PostgreSQL before it
   * listens, and that picks its own port with bind(0), from the ephemeral range: a port picked here the
   * same way was given to it about once in 10,000 starts (measured), and the child could not listen.
   */
  static int freePort() throws IOException {
    int low = 32768; // Linux's default, where /proc cannot tell
    try {
      low = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip().split("\\s+")[0]);
    } catch (IOException | RuntimeException notLinux) {
      // keep the default
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom();
    for (int i = 0; i < 100 && low > 12_000; i++) {
      int port = 10_000 + random.nextInt(low - 10_000);
      try (ServerSocket s = new ServerSocket(port)) {
        return port;
      } catch (IOException taken) {
        // another one
      }
    }
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Process custos(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", System.getProperty("custos.jar")));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("CUSTOS_") && !k.startsWith("CUSTOS_TEST_"));
    return pb.start();
  }

  HttpResponse<String> get(int port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until /healthz answers, or fails with the child's log. */
  void awaitUp(Process p, int port, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError("custos exited " + p.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        if (get(port, "/healthz").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    p.destroyForcibly();
    throw new AssertionError("custos did not answer within 90 s:\n" + Files.readString(log));
  }

  @Test
  void serve_answersTheFourEndpoints_stopsOnSigterm_andRestartsWithItsData() throws Exception {
    Path data = temp.resolve("data");
    int port = freePort();
    Path log1 = temp.resolve("run1.log");
    Process first = custos(log1, "serve", "--data", data.toString(), "--port", Integer.toString(port));
    String installation;
    try {
      awaitUp(first, port, log1);
      assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(port, "/readyz");
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      HttpResponse<String> metrics = get(port, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("http_server_requests_seconds_count");
      JsonNode openapi = JSON.readTree(get(port, "/openapi.json").body());
      assertThat(openapi.path("openapi").asText()).isEqualTo("3.1.0");
      JsonNode status = JSON.readTree(get(port, "/v1/status").body());
      installation = status.path("installation").path("id").asText();
      assertThat(status.path("installation").path("starts").asLong()).isEqualTo(1);
    } finally {
      first.destroy(); // SIGTERM
    }
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).as("exits within 10 s of SIGTERM").isTrue();
    assertThat(first.exitValue()).as(Files.readString(log1)).isZero();
    assertThat(Files.readString(log1)).contains("DEVELOPMENT KEYS").contains("Custos stopped")
        .contains("request id=").doesNotContain("Exception");

    Path log2 = temp.resolve("run2.log");
    Process second = custos(log2, "serve", "--data", data.toString(), "--port", Integer.toString(port));
    try {
      awaitUp(second, port, log2);
      JsonNode status = JSON.readTree(get(port, "/v1/status").body());
      assertThat(status.path("installation").path("id").asText()).isEqualTo(installation);
      assertThat(status.path("installation").path("starts").asLong()).isEqualTo(2);
      assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
    } finally {
      second.destroy();
    }
    assertThat(second.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).isZero();
  }

  @Test
  void serve_withPortNotANumber_exits2_withOneLineNamingPort() throws Exception {
    Path log = temp.resolve("bad.log");
    Process p = custos(log, "serve", "--data", temp.resolve("d").toString(), "--port", "notaport");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("port");
    assertThat(Files.exists(temp.resolve("d"))).as("nothing written before refusing").isFalse();
  }

  @Test
  void demo_tellsTheStory_andExits0() throws Exception {
    Path log = temp.resolve("demo.log");
    Process p = custos(log, "demo");
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out.lines().findFirst().orElse("")).as("the first line tells where the console is")
        .contains("Console: http://127.0.0.1:").contains("/console").contains("alice").contains("sam");
    assertThat(out).contains("Chapter 1. An exchange installs Custos").contains("Chapter 2.")
        .contains("ok   the same installation came back").contains("every step behaved as told")
        .doesNotContain("FAILED").doesNotContain("Exception");
  }
}
