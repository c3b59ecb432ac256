package dev.custos.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/** Custos starts on an empty data directory and proves, over HTTP, that it is alive and ready. */
final class InstallChapter implements Chapter {
  @Override
  public String title() {
    return "An exchange installs Custos";
  }

  @Override
  public void play(Scene scene) throws Exception {
    Narrator n = scene.narrator();
    n.step("starting Custos on the empty data directory " + scene.config().data());
    scene.custos();

    List<Path> keys;
    try (Stream<Path> s = Files.list(scene.config().keysDir())) {
      keys = s.filter(p -> p.toString().endsWith(".key")).sorted().toList();
    }
    n.step("development keys are owner-only files (production uses a KMS or key files)");
    for (Path k : keys) {
      String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(k));
      n.show(mode + "  " + k.getFileName());
      scene.check(mode.equals("rw-------"), k.getFileName() + " is readable by its owner only");
    }

    Scene.Response health = scene.get("/healthz");
    n.step("GET /healthz -> " + health.status() + " " + health.body());
    scene.check(health.status() == 200, "Custos is alive");

    Scene.Response ready = scene.get("/readyz");
    n.step("GET /readyz -> " + ready.status() + " " + ready.body());
    scene.check(ready.status() == 200, "the database answers and the ledger directory is usable");

    Scene.Response status = scene.get("/v1/status");
    JsonNode s = status.json();
    n.step("GET /v1/status -> installation " + s.path("installation").path("id").asText()
        + ", start number " + s.path("installation").path("starts").asLong() + ", database " + s.path("database").asText());
    scene.check(status.status() == 200 && s.path("installation").path("starts").asLong() == 1,
        "this is the installation's first start");

    Scene.Response metrics = scene.get("/metrics");
    long series = metrics.body().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
    n.step("GET /metrics -> " + series + " Prometheus series (JVM, HTTP requests, database pool)");
    scene.check(metrics.body().contains("http_server_requests_seconds_count")
        && metrics.body().contains("jvm_memory_used_bytes") && metrics.body().contains("hikaricp_connections"),
        "HTTP, JVM and pool metrics are exported");

    Scene.Response openapi = scene.get("/openapi.json");
    JsonNode doc = openapi.json();
    n.step("GET /openapi.json -> OpenAPI " + doc.path("openapi").asText() + " describing " + doc.path("paths").size() + " paths");
    scene.check(doc.path("openapi").asText().startsWith("3.1"), "the API is described in OpenAPI 3.1");

    Scene.Response missing = scene.get("/v1/no-such-thing");
    n.step("GET /v1/no-such-thing -> " + missing.status() + " " + missing.contentType());
    n.show(missing.body());
    scene.check(missing.status() == 404 && missing.contentType().startsWith("application/problem+json"),
        "errors are RFC 9457 problems with a stable type, never a stack trace");
  }
}
