package dev.custos.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL database Custos keeps its state in: either a cluster embedded under the data
 * directory (the default mode) or an external server named by a JDBC URL.
 *
 * <p>Opening a {@code Database} MUST leave the schema at the newest migration or fail: a server
 * never runs against a schema it does not know. The pool is sealed once open.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final HikariDataSource pool;
  private final EmbeddedCluster embedded; // null for an external database
  private final String description;
  private final int migrationsApplied;

  private Database(HikariDataSource pool, EmbeddedCluster embedded, String description, int migrationsApplied) {
    this.pool = pool;
    this.embedded = embedded;
    this.description = description;
    this.migrationsApplied = migrationsApplied;
  }

  /**
   * Starts (creating on first use) the embedded PostgreSQL cluster under {@code clusterDir},
   * then opens a pool on it and migrates the schema.
   */
  public static Database embedded(Path clusterDir, DatabaseSettings settings) throws DatabaseException {
    EmbeddedCluster cluster = EmbeddedCluster.start(clusterDir);
    try {
      String url = cluster.jdbcUrl();
      return open(url, EmbeddedCluster.USER, null, settings, cluster,
          "embedded PostgreSQL at " + clusterDir + " (port " + cluster.port() + ")");
    } catch (RuntimeException | DatabaseException e) {
      cluster.close();
      throw e;
    }
  }

  /** Opens a pool on an external PostgreSQL server and migrates the schema. */
  public static Database external(String jdbcUrl, String user, char[] password, DatabaseSettings settings)
      throws DatabaseException {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    return open(jdbcUrl, user, password, settings, null, "external PostgreSQL " + JdbcUrls.withoutSecrets(jdbcUrl));
  }

  private static Database open(String url, String user, char[] password, DatabaseSettings settings,
      EmbeddedCluster embedded, String description) throws DatabaseException {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    if (user != null) {
      hc.setUsername(user);
    }
    if (password != null) {
      hc.setPassword(new String(password));
    }
    hc.setPoolName("custos-db");
    hc.setMaximumPoolSize(settings.poolSize());
    hc.setMinimumIdle(Math.min(2, settings.poolSize()));
    hc.setConnectionTimeout(settings.connectTimeout().toMillis());
    hc.setInitializationFailTimeout(settings.connectTimeout().toMillis());
    hc.setAutoCommit(true);
    // Without this the driver copies the server's DETAIL into exception messages, and for a broken
    // constraint that is the whole row ("Failing row contains (...)"): a password hash, a sealed
    // secret. Messages keep the constraint's name, which is what an operator needs.
    hc.addDataSourceProperty("logServerErrorDetail", "false");
    if (settings.meterRegistry() != null) {
      hc.setMetricRegistry(settings.meterRegistry());
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new DatabaseException("cannot connect to " + description + ": " + rootMessage(e), e);
    }
    try {
      MigrateResult result = Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/migration")
          .failOnMissingLocations(true)
          .validateMigrationNaming(true)
          .load()
          .migrate();
      log.info("database ready: {}; schema version {} ({} migration(s) applied now)",
          description, result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion,
          result.migrationsExecuted);
      return new Database(pool, embedded, description, result.migrationsExecuted);
    } catch (FlywayException e) {
      pool.close();
      throw new DatabaseException("cannot migrate " + description + ": " + rootMessage(e), e);
    }
  }

  /** The pooled data source; connections MUST be closed by the caller. */
  public DataSource dataSource() {
    return pool;
  }

  /** A human description of where the data lives, free of credentials. */
  public String description() {
    return description;
  }

  /** Whether this database is the embedded cluster of the default mode. */
  public boolean isEmbedded() {
    return embedded != null;
  }

  /** How many migrations this open applied (0 when the schema was already current). */
  public int migrationsApplied() {
    return migrationsApplied;
  }

  /**
   * Checks that the database answers a trivial query within {@code timeout}.
   *
   * @return {@code null} when healthy, otherwise what is wrong (free of credentials)
   */
  public String problem(Duration timeout) {
    if (pool.isClosed()) {
      return "database pool is closed";
    }
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      s.execute("SELECT 1");
      return null;
    } catch (SQLException e) {
      HikariPoolMXBean mx = pool.getHikariPoolMXBean();
      String state = mx == null ? "" : " (total=" + mx.getTotalConnections() + ", active=" + mx.getActiveConnections()
          + ", idle=" + mx.getIdleConnections() + ", waiting=" + mx.getThreadsAwaitingConnection() + ")";
      return "database does not answer: " + rootMessage(e) + state;
    }
  }

  /** Closes the pool, then stops the embedded cluster if there is one. Idempotent. */
  @Override
  public void close() {
    pool.close();
    if (embedded != null) {
      embedded.close();
    }
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null ? c.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }

  /** Creates a directory with owner-only permissions where the file system supports them. */
  static void createPrivateDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
    try {
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system; the platform's defaults apply.
    }
  }
}
