package dev.custos.store;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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

  /**
   * A data source whose every connection attempt fails, as when the server is down or the network
   * is cut: what every adapter MUST answer with a {@link StoreException}.
   */
  static DataSource unreachable() {
    return (DataSource) Proxy.newProxyInstance(TestDatabases.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getConnection" -> throw new SQLException("Connection to 127.0.0.1:1 refused", "08001");
          case "toString" -> "unreachable database";
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  /**
   * One test database for every test of a class (the contracts run dozens of tests, and each
   * embedded cluster costs seconds to start): {@code @RegisterExtension static final
   * TestDatabases.PerClass db = new TestDatabases.PerClass();}. The contracts use fresh names, so
   * the tests need no cleanup between them.
   */
  static final class PerClass implements BeforeAllCallback, AfterAllCallback {
    private Path dir;
    private Handle handle;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
      dir = Files.createTempDirectory("custos-store-test");
      handle = open(dir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
      try {
        if (handle != null) {
          handle.close();
        }
      } finally {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }

    DataSource dataSource() {
      return handle.database().dataSource();
    }
  }
}
