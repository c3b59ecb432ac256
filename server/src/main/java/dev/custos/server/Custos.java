package dev.custos.server;

import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.ledger.LedgerOptions;
import dev.custos.ledger.NoteSigner;
import dev.custos.store.Database;
import dev.custos.store.DatabaseException;
import dev.custos.store.DatabaseSettings;
import dev.custos.store.Installation;
import dev.custos.store.Installations;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Custos instance: the composition root that wires the data directory, keys,
 * database, ledger directory and HTTP server. It holds no policy of its own.
 *
 * <p>{@link #start} either returns a fully started instance or releases everything it took and
 * throws; {@link #close} stops in the reverse order and is idempotent.
 */
public final class Custos implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Custos.class);

  /** Receives a one-line account of each start-up step, for people watching (the demo). */
  @FunctionalInterface
  public interface Progress {
    void step(String what);

    Progress NONE = what -> { };
  }

  private final CustosConfig config;
  private final DataDirectory dataDir;
  private final Database database;
  private final Ledger ledger;
  private final PrometheusMeterRegistry meters;
  private final JvmGcMetrics gcMetrics;
  private final Javalin http;
  private final Installation installation;
  private final List<String> registeredHandlers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Custos(CustosConfig config, DataDirectory dataDir, Database database, Ledger ledger, PrometheusMeterRegistry meters,
      JvmGcMetrics gcMetrics, Javalin http, Installation installation, List<String> registeredHandlers) {
    this.registeredHandlers = registeredHandlers;
    this.ledger = ledger;
    this.config = config;
    this.dataDir = dataDir;
    this.database = database;
    this.meters = meters;
    this.gcMetrics = gcMetrics;
    this.http = http;
    this.installation = installation;
  }

  /** Starts Custos with {@code config}; see the class contract. */
  public static Custos start(CustosConfig config, InstantSource clock, RandomGenerator random, Progress progress)
      throws StartupException {
    List<AutoCloseable> acquired = new ArrayList<>();
    try {
      DataDirectory dataDir = DataDirectory.lock(config.data());
      acquired.add(dataDir);
      progress.step("data directory " + config.data() + " locked");

      List<java.nio.file.Path> createdKeys = DevKeys.ensure(config.keysDir(), new SecureRandom());
      progress.step(createdKeys.isEmpty()
          ? "development keys found in " + config.keysDir()
          : "development keys created in " + config.keysDir() + " (mode 0600): "
              + createdKeys.stream().map(p -> p.getFileName().toString()).toList());

      DataDirectory.createPrivate(config.ledgerDir());
      progress.step("ledger directory " + config.ledgerDir() + " ready");

      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      acquired.add(meters::close);
      new JvmMemoryMetrics().bindTo(meters);
      JvmGcMetrics gc = new JvmGcMetrics();
      gc.bindTo(meters);
      acquired.add(gc);
      new JvmThreadMetrics().bindTo(meters);
      new ClassLoaderMetrics().bindTo(meters);
      new ProcessorMetrics().bindTo(meters);
      new UptimeMetrics().bindTo(meters);

      DatabaseSettings dbSettings = new DatabaseSettings(config.dbPoolSize(), Duration.ofSeconds(10), meters);
      Database database;
      if (config.embeddedDatabase()) {
        progress.step("starting embedded PostgreSQL in " + config.postgresDir()
            + (Files.exists(config.postgresDir().resolve("PG_VERSION")) ? "" : " (first start: initdb)"));
        database = Database.embedded(config.postgresDir(), dbSettings);
      } else {
        progress.step("connecting to external PostgreSQL");
        char[] password = config.dbPassword().map(Secret::reveal).orElse(null);
        try {
          database = Database.external(config.dbUrl().orElseThrow(), config.dbUser().orElse(null), password, dbSettings);
        } finally {
          if (password != null) {
            java.util.Arrays.fill(password, '\0');
          }
        }
      }
      acquired.add(database);
      progress.step(database.description() + " ready; "
          + (database.migrationsApplied() == 0 ? "schema already current" : database.migrationsApplied() + " migration(s) applied"));

      Instant startedAt = clock.instant();
      Installation installation = new Installations(database.dataSource(), clock, random).recordStart(Version.current());
      progress.step("installation " + installation.id() + " (start number " + installation.starts() + ")");

      Ledger ledger = openLedger(config, installation);
      acquired.add(ledger);
      progress.step("ledger open in " + config.ledgerDir() + ": " + ledger.latestCheckpoint().checkpoint().size()
          + " entries, origin " + ledger.latestCheckpoint().checkpoint().origin() + ", verifier key "
          + ledger.verifierKey().encoded());

      Readiness readiness = new Readiness(database, config.ledgerDir());
      List<ApiRoute> routes = new ArrayList<>();
      routes.addAll(SystemRoutes.all(readiness, meters, installation, startedAt, database.isEmbedded(),
          () -> List.copyOf(routes)));
      routes.addAll(LedgerRoutes.all(ledger, config.ledgerDir()));
      List<String> registered = java.util.Collections.synchronizedList(new ArrayList<>());
      Javalin http = HttpApi.create(config.bind(), config.port(), List.copyOf(routes), meters, random, registered);
      try {
        http.start();
      } catch (RuntimeException e) {
        http.stop();
        throw new StartupException("cannot listen on " + config.bind() + ":" + config.port() + ": "
            + rootMessage(e), e);
      }
      acquired.add(http::stop);
      Custos custos = new Custos(config, dataDir, database, ledger, meters, gc, http, installation, List.copyOf(registered));
      progress.step("HTTP listening on " + custos.baseUri());
      log.info("Custos {} started: {} (installation {}, start {})", Version.current(), custos.baseUri(),
          installation.id(), installation.starts());
      return custos;
    } catch (StartupException e) {
      release(acquired);
      throw e;
    } catch (LedgerException e) {
      release(acquired);
      throw new StartupException("cannot open the ledger: " + e.getMessage(), e);
    } catch (DatabaseException e) {
      release(acquired);
      throw new StartupException(e.getMessage(), e);
    } catch (IOException | SQLException | RuntimeException e) {
      release(acquired);
      throw new StartupException("Custos could not start: " + rootMessage(e), e);
    }
  }

  /**
   * Opens the ledger with the configured signing key, or with a development key created on first
   * start and named after the installation (so witnesses never confuse two installations' logs).
   */
  private static Ledger openLedger(CustosConfig config, Installation installation) throws LedgerException, StartupException {
    Path keyFile = config.ledgerSigningKeyFile();
    NoteSigner signer;
    if (config.ledgerSigningKey().isPresent()) {
      signer = NoteSigner.load(keyFile);
    } else {
      signer = NoteSigner.loadOrCreate(keyFile, "custos/" + installation.id(), new SecureRandom());
    }
    DevKeys.checkOwnerOnly(keyFile);
    return Ledger.open(config.ledgerDir(), LedgerOptions.of(signer));
  }

  /** The ledger every access is recorded in. */
  public Ledger ledger() {
    return ledger;
  }

  private static void release(List<AutoCloseable> acquired) {
    for (int i = acquired.size() - 1; i >= 0; i--) {
      try {
        acquired.get(i).close();
      } catch (Exception e) {
        log.warn("while releasing after a failed start: {}", rootMessage(e));
      }
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

  /** The port the HTTP server listens on (the chosen one when configured as 0). */
  public int port() {
    return http.port();
  }

  /** The base URI of the HTTP server, e.g. {@code http://127.0.0.1:8080}. */
  public URI baseUri() {
    String host = config.bind().contains(":") && !config.bind().startsWith("[") ? "[" + config.bind() + "]" : config.bind();
    return URI.create("http://" + host + ":" + port());
  }

  public Installation installation() {
    return installation;
  }

  /** "METHOD path" of every handler the HTTP server registered (before-handlers included). */
  List<String> registeredHandlers() {
    return registeredHandlers;
  }

  public CustosConfig config() {
    return config;
  }

  /** Stops HTTP (letting requests in flight finish), then the database, then releases the data directory. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    log.info("Custos stopping");
    http.stop();
    try {
      ledger.close();
    } catch (LedgerException e) {
      log.error("the ledger did not close cleanly: {}", e.getMessage());
    }
    database.close();
    gcMetrics.close();
    meters.close();
    dataDir.close();
    log.info("Custos stopped");
  }
}
