package dev.custos.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL cluster of the embedded default mode, kept under the data directory so that it
 * survives restarts. Its server listens on loopback only, on a port chosen at each start.
 */
final class EmbeddedCluster implements AutoCloseable {
  static final String USER = "postgres";
  static final String DATABASE = "custos";
  private static final Logger log = LoggerFactory.getLogger(EmbeddedCluster.class);

  private final EmbeddedPostgres postgres;
  private final Path dir;
  private boolean closed;

  private EmbeddedCluster(EmbeddedPostgres postgres, Path dir) {
    this.postgres = postgres;
    this.dir = dir;
  }

  static EmbeddedCluster start(Path dir) throws DatabaseException {
    boolean fresh = !Files.exists(dir.resolve("PG_VERSION"));
    try {
      Database.createPrivateDirectories(dir.getParent() == null ? dir : dir.getParent());
      stopOrphanedServer(dir);
      if (fresh) {
        log.info("creating the embedded PostgreSQL cluster in {} (first start)", dir);
      }
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setDataDirectory(dir)
          .setCleanDataDirectory(false)
          .setRegisterShutdownHook(false)
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("unix_socket_directories", "")
          .setPGStartupWait(Duration.ofSeconds(60))
          .start();
      EmbeddedCluster cluster = new EmbeddedCluster(pg, dir);
      cluster.ensureDatabase();
      return cluster;
    } catch (IOException | SQLException | RuntimeException e) {
      throw new DatabaseException("cannot start the embedded PostgreSQL in " + dir + ": " + Database.rootMessage(e), e);
    }
  }

  int port() {
    return postgres.getPort();
  }

  String jdbcUrl() {
    return postgres.getJdbcUrl(USER, DATABASE);
  }

  private void ensureDatabase() throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      boolean exists;
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        ps.setString(1, DATABASE);
        try (ResultSet rs = ps.executeQuery()) {
          exists = rs.next();
        }
      }
      if (!exists) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE " + DATABASE);
        }
      }
    }
  }

  /**
   * A Custos process killed with SIGKILL leaves its PostgreSQL server running on the cluster.
   * The data directory is locked by the caller, so such a server can only be an orphan: stop it
   * (smart shutdown first, so nothing committed is lost) before starting a new one.
   */
  private static void stopOrphanedServer(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return; // PostgreSQL itself will judge a malformed lock file
    }
    Optional<ProcessHandle> ph = ProcessHandle.of(pid);
    if (ph.isEmpty() || !ph.get().isAlive()) {
      return; // stale lock file: PostgreSQL removes it itself at start
    }
    String command = ph.get().info().command().orElse("");
    if (!command.endsWith("postgres")) {
      return;
    }
    log.warn("an orphaned PostgreSQL server (pid {}) from an earlier Custos process still runs on {}; stopping it", pid, dir);
    ProcessHandle handle = ph.get();
    handle.destroy(); // SIGTERM: smart shutdown
    try {
      handle.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("the orphaned PostgreSQL server (pid {}) did not stop in 30 s; killing it", pid);
      handle.destroyForcibly();
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        throw new IOException("cannot stop the orphaned PostgreSQL server pid " + pid);
      }
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      postgres.close();
      log.info("embedded PostgreSQL in {} stopped", dir);
    } catch (IOException e) {
      log.warn("embedded PostgreSQL in {} did not stop cleanly: {}", dir, Database.rootMessage(e));
    }
  }
}
