package dev.custos.server;

import dev.custos.access.ChangeFeed;
import dev.custos.identity.ServiceTokens;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.ledger.LedgerOptions;
import dev.custos.ledger.NoteSigner;
import dev.custos.store.Database;
import dev.custos.store.DatabaseException;
import dev.custos.store.DatabaseSettings;
import dev.custos.store.Installation;
import dev.custos.store.Installations;
import dev.custos.store.PgChangeFeed;
import dev.custos.store.ServiceTokenTable;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything an installation is apart from its HTTP face: the locked data directory, keys, the
 * database, the installation's identity and the ledger. {@link Custos} serves it; administrative
 * commands ({@link Administration}) use it while no server runs. Opening it is all or nothing.
 */
final class Foundation implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Foundation.class);

  /** Whether opening counts as a server start (recorded in the database) or an administrative session. */
  enum Purpose { SERVE, ADMINISTER }

  final CustosConfig config;
  final InstantSource clock;
  final SecureRandom secureRandom;
  final PrometheusMeterRegistry meters;
  final Database database;
  final Installation installation;
  final Ledger ledger;
  final ServiceTokens serviceTokens;
  final StaffIdentity identity;
  final CustomerAccess customers;
  final WebhookSignature ticketWebhook;
  /** The access index ({@code <data>/index/}) and the customer directory. */
  final AccessIndexing indexing;
  private final List<AutoCloseable> resources;

  private Foundation(CustosConfig config, InstantSource clock, SecureRandom secureRandom, PrometheusMeterRegistry meters,
      Database database, Installation installation, Ledger ledger, StaffIdentity identity, CustomerAccess customers,
      WebhookSignature ticketWebhook, AccessIndexing indexing, List<AutoCloseable> resources) {
    this.config = config;
    this.clock = clock;
    this.secureRandom = secureRandom;
    this.meters = meters;
    this.database = database;
    this.installation = installation;
    this.ledger = ledger;
    this.serviceTokens = new ServiceTokens(new ServiceTokenTable(database.dataSource()), clock, secureRandom);
    this.identity = identity;
    this.customers = customers;
    this.ticketWebhook = ticketWebhook;
    this.indexing = indexing;
    this.resources = resources;
  }

  static Foundation open(CustosConfig config, InstantSource clock, RandomGenerator random, Purpose purpose,
      Custos.Progress progress) throws StartupException {
    List<AutoCloseable> acquired = new ArrayList<>();
    try {
      DataDirectory dataDir = DataDirectory.lock(config.data());
      acquired.add(dataDir);
      progress.step("data directory " + config.data() + " locked");

      SecureRandom secureRandom = new SecureRandom();
      List<Path> createdKeys = DevKeys.ensure(config.keysDir(), secureRandom);
      progress.step(createdKeys.isEmpty()
          ? "development keys found in " + config.keysDir()
          : "development keys created in " + config.keysDir() + " (mode 0600): "
              + createdKeys.stream().map(p -> p.getFileName().toString()).toList());

      DataDirectory.createPrivate(config.ledgerDir());
      progress.step("ledger directory " + config.ledgerDir() + " ready");

      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      acquired.add(meters::close);
      if (purpose == Purpose.SERVE) {
        new JvmMemoryMetrics().bindTo(meters);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(meters);
        acquired.add(gc);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
      }

      Database database = openDatabase(config, new DatabaseSettings(config.dbPoolSize(), Duration.ofSeconds(10), meters),
          progress);
      acquired.add(database);
      progress.step(database.description() + " ready; "
          + (database.migrationsApplied() == 0 ? "schema already current" : database.migrationsApplied() + " migration(s) applied"));

      ChangeFeed changes = ChangeFeed.alone();
      if (!database.isEmbedded()) {
        // Other instances may share this database: hear their changes, and tell them ours.
        PgChangeFeed feed = PgChangeFeed.start(database.dataSource(), Duration.ofSeconds(5));
        acquired.add(feed);
        changes = feed;
        progress.step(feed.live() ? "hearing other instances' changes (LISTEN custos_changes)"
            : "not hearing other instances' changes yet; read caches stay off until then");
      }

      Installations installations = new Installations(database.dataSource(), clock, random);
      Installation installation = purpose == Purpose.SERVE
          ? installations.recordStart(Version.current())
          : installations.current();
      progress.step("installation " + installation.id() + " (start number " + installation.starts() + ")");

      Ledger ledger = openLedger(config, installation);
      acquired.add(ledger);
      progress.step("ledger open in " + config.ledgerDir() + ": " + ledger.latestCheckpoint().checkpoint().size()
          + " entries, origin " + ledger.latestCheckpoint().checkpoint().origin() + ", verifier key "
          + ledger.verifierKey().encoded());
      byte[] staffKey = DevKeys.read(config.keysDir(), DevKeys.Kind.STAFF_SECRETS);
      StaffIdentity identity;
      try {
        identity = new StaffIdentity(database.dataSource(), staffKey, ledger, StaffIdentity.webAuthnSettings(config),
            config.oidc(), config.sessions(), changes, clock, secureRandom);
      } finally {
        Arrays.fill(staffKey, (byte) 0);
      }
      List<dev.custos.vault.KekVersion> keks = VaultKekFiles.load(config.keysDir(), config.vault().previousKeks());
      byte[] indexKey = DevKeys.read(config.keysDir(), DevKeys.Kind.BLIND_INDEX);
      CustomerAccess customers;
      dev.custos.store.CommitmentDirectory directory;
      try {
        customers = new CustomerAccess(database.dataSource(), keks, indexKey, config.access(), ledger, meters, changes,
            clock, secureRandom);
        directory = new dev.custos.store.CommitmentDirectory(database.dataSource(), customers.vault::commitment, indexKey);
      } finally {
        Arrays.fill(indexKey, (byte) 0);
      }
      progress.step("vault keys: key-encryption key " + keks.get(0).id() + " primary"
          + (keks.size() > 1 ? ", older " + keks.subList(1, keks.size()).stream().map(k -> k.id()).toList() : ""));
      byte[] webhookKey = DevKeys.read(config.keysDir(), DevKeys.Kind.TICKET_WEBHOOK);
      WebhookSignature ticketWebhook;
      try {
        // The shared secret is the key file's base64 line, as text: what the ticket system is configured with.
        ticketWebhook = new WebhookSignature(
            java.util.Base64.getEncoder().encodeToString(webhookKey).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            WebhookSignature.DEFAULT_WINDOW, clock);
      } finally {
        Arrays.fill(webhookKey, (byte) 0);
      }
      Path indexDir = config.data().resolve("index");
      DataDirectory.createPrivate(indexDir);
      AccessIndexing indexing = new AccessIndexing(indexDir, ledger, directory);
      acquired.add(indexing);
      progress.step("access index open in " + indexDir + ": covers " + indexing.index().coveredSize() + " ledger entries");
      return new Foundation(config, clock, secureRandom, meters, database, installation, ledger, identity, customers,
          ticketWebhook, indexing, acquired);
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
      throw new StartupException("Custos could not start: " + Custos.rootMessage(e), e);
    }
  }

  private static Database openDatabase(CustosConfig config, DatabaseSettings settings, Custos.Progress progress)
      throws DatabaseException {
    if (config.embeddedDatabase()) {
      progress.step("starting embedded PostgreSQL in " + config.postgresDir()
          + (Files.exists(config.postgresDir().resolve("PG_VERSION")) ? "" : " (first start: initdb)"));
      return Database.embedded(config.postgresDir(), settings);
    }
    progress.step("connecting to external PostgreSQL");
    char[] password = config.dbPassword().map(Secret::reveal).orElse(null);
    try {
      return Database.external(config.dbUrl().orElseThrow(), config.dbUser().orElse(null), password, settings);
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
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

  /** Closes the ledger (publishing a final checkpoint), the database, meters and the data-directory lock. */
  @Override
  public void close() {
    release(resources);
  }

  /** Closes in reverse order of acquisition; one failure does not keep the rest open. */
  private static void release(List<AutoCloseable> acquired) {
    for (int i = acquired.size() - 1; i >= 0; i--) {
      try {
        acquired.get(i).close();
      } catch (Exception e) {
        log.error("while closing {}: {}", acquired.get(i).getClass().getSimpleName(), Custos.rootMessage(e));
      }
    }
  }
}
