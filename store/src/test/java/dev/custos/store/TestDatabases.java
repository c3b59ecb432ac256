package dev.custos.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The database the store tests run against: the embedded PostgreSQL by default, or the server
 * named by {@code CUSTOS_TEST_DB_URL} (each test run in a fresh schema, dropped afterwards).
 */
final class TestDatabases {
  static final String ENV = "CUSTOS_TEST_DB_URL";

  private TestDatabases() {}

  static boolean external() {
    String url = System.getenv(ENV);
    return url != null && !url.isBlank();
  }

  /** A handle that opens the test database and cleans up after it. */
  static Handle open(Path tempDir) throws Exception {
    if (!external()) {
      Path dir = Files.createDirectories(tempDir.resolve("pg"));
      return new Handle(Database.embedded(dir, DatabaseSettings.defaults()), null, null);
    }
    String base = System.getenv(ENV);
    String schema = "custos_test_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return new Handle(Database.external(url, null, null, DatabaseSettings.defaults()), base, schema);
  }

  record Handle(Database database, String adminUrl, String schema) implements AutoCloseable {
    @Override
    public void close() throws SQLException {
      database.close();
      if (schema != null) {
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
          s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
      }
    }
  }
}
