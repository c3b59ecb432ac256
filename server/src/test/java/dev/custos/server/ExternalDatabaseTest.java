package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/** Custos on an external PostgreSQL (CUSTOS_TEST_DB_URL; .ci/run sets it when a server answers). */
@EnabledIfEnvironmentVariable(named = "CUSTOS_TEST_DB_URL", matches = "jdbc:postgresql:.+")
class ExternalDatabaseTest {
  @TempDir
  Path temp;

  @Test
  void serve_withDbUrl_migratesTheExternalDatabase_andStartsNoEmbeddedCluster() throws Exception {
    String admin = System.getenv("CUSTOS_TEST_DB_URL");
    String schema = "custos_ext_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    try {
      String url = admin + (admin.contains("?") ? "&" : "?") + "currentSchema=" + schema;
      CustosConfig config = ConfigLoader.load(Map.of("data", temp.resolve("d").toString(), "http.port", "0", "db.url", url),
          Map.of(), null, temp);
      try (Custos custos = Custos.start(config, InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE)) {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(custos.baseUri().resolve("/v1/status")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(Json.MAPPER.readTree(r.body()).path("database").asText()).isEqualTo("external");
        assertThat(Files.exists(config.postgresDir())).isFalse();
      }
    } finally {
      try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }
}
