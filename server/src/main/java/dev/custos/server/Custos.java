package dev.custos.server;

import dev.custos.identity.ServiceTokens;
import dev.custos.ledger.Ledger;
import dev.custos.store.Installation;
import dev.custos.detect.AlertSink;
import dev.custos.store.AlertDeliveryTable;
import dev.custos.store.AlertTable;
import dev.custos.store.DetectionFacts;
import io.javalin.Javalin;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

  private final Foundation foundation;
  private final Javalin http;
  private final Witnessing witnessing;
  private final IdentityPurge purge;
  private final KeyRotationJob keyRotation;
  private final AlertSinks alertSinks;
  private final List<String> registeredHandlers;
  private Containment containment;
  private Notifier notifier;
  private LedgerCheck ledgerCheck;
  private final AtomicBoolean closed = new AtomicBoolean();

  private final ApprovalSweep approvalSweep;

  private Custos(Foundation foundation, Witnessing witnessing, IdentityPurge purge, KeyRotationJob keyRotation,
      AlertSinks alertSinks, Javalin http, List<String> registeredHandlers, ApprovalSweep approvalSweep) {
    this.alertSinks = alertSinks;
    this.approvalSweep = approvalSweep;
    this.foundation = foundation;
    this.witnessing = witnessing;
    this.purge = purge;
    this.keyRotation = keyRotation;
    this.http = http;
    this.registeredHandlers = registeredHandlers;
  }

  /** Starts Custos with {@code config}; see the class contract. */
  public static Custos start(CustosConfig config, InstantSource clock, RandomGenerator random, Progress progress)
      throws StartupException {
    return start(config, clock, random, progress, Containment.Settings.of(config.detection()), AlertSink.NONE);
  }

  /**
   * Starts Custos with {@code config}, detection's warm-up set to {@code detectionWarmUp} (zero for a
   * demonstration on a fresh installation: the detector then acts before it has learnt anything).
   */
  public static Custos start(CustosConfig config, InstantSource clock, RandomGenerator random, Progress progress,
      java.time.Duration detectionWarmUp) throws StartupException {
    return start(config, clock, random, progress,
        Containment.Settings.of(config.detection().toBuilder().warmUp(detectionWarmUp).build()), AlertSink.NONE);
  }

  /** Starts Custos with detection set up by {@code detection}, alerts delivered to {@code alertSink}. */
  static Custos start(CustosConfig config, InstantSource givenClock, RandomGenerator random, Progress progress,
      Containment.Settings detection, AlertSink alertSink) throws StartupException {
    SimulationClock simulation = null;
    if (config.simulationClock().isPresent()) {
      if (!config.embeddedDatabase()) {
        throw new StartupException("simulation.clock needs the embedded database: a clock a simulator moves is for "
            + "simulated desks, never for an installation with real customers (db.url is set)", null);
      }
      simulation = new SimulationClock(config.simulationClock().get());
      log.warn("*** SIMULATION CLOCK *** this installation's time stands still until a simulator moves it "
          + "(POST /v1/simulation/clock with a simulation:clock token); never use it for real customers");
    }
    InstantSource clock = simulation != null ? simulation : givenClock;
    Foundation foundation = Foundation.open(config, clock, random, Foundation.Purpose.SERVE, progress);
    Witnessing witnessing = null;
    IdentityPurge purge = null;
    KeyRotationJob keyRotation = null;
    ApprovalSweep sweep = null;
    AlertSinks alertSinks = null;
    Notifier notifier = null;
    LedgerCheck ledgerCheck = null;
    try {
      // This process, as the owner of the alert deliveries it has waiting (alert_delivery.owner).
      byte[] processId = new byte[8];
      foundation.secureRandom.nextBytes(processId);
      String deliverer = "process-" + java.util.HexFormat.of().formatHex(processId);
      AlertDeliveryTable deliveries = new AlertDeliveryTable(foundation.database.dataSource());
      AlertTable storedAlerts = new AlertTable(foundation.database.dataSource());
      alertSinks = AlertSinks.from(config.alerts(), clock, random, foundation.meters,
          sink -> new DeliveryJournal(deliveries, storedAlerts, sink, deliverer));
      if (config.alerts().any()) {
        progress.step("delivering alerts to " + alertSinks.names() + " (with retries, recorded in the database)");
      }
      witnessing = new Witnessing(foundation.ledger, config.witnesses(), clock, foundation.meters);
      if (!config.witnesses().isEmpty()) {
        progress.step("pushing checkpoints to " + config.witnesses().size() + " witness(es): "
            + config.witnesses().stream().map(w -> w.key().name()).toList());
      }
      Instant startedAt = clock.instant();
      Readiness readiness = new Readiness(foundation.database, config.ledgerDir());
      List<ApiRoute> routes = new ArrayList<>();
      routes.addAll(SystemRoutes.all(readiness, foundation.meters, foundation.installation, startedAt,
          foundation.database.isEmbedded(), () -> List.copyOf(routes)));
      // The customer routes go right after the system routes, whatever order they are made in: Javalin tries a
      // request's method's routes in order, one pattern match each, and a staff member's reads are the hot path.
      // Their paths (/v1/customers/...) overlap no other module's route of the same method, so the order
      // changes no match.
      int customerRoutesAt = routes.size();
      StaffIdentity identity = foundation.identity;
      ServiceAuth serviceAuth = new ServiceAuth(foundation.serviceTokens, identity.events, clock, foundation.meters);
      routes.addAll(LedgerRoutes.all(foundation.ledger, config.ledgerDir(), serviceAuth, witnessing, clock));
      if (simulation != null) {
        routes.addAll(SimulationRoutes.all(simulation, serviceAuth));
      }
      StaffAuth staffAuth = new StaffAuth(identity.sessions, identity.directory, identity.recentSessions, foundation.meters);
      routes.addAll(SessionRoutes.all(identity.logins, staffAuth, identity.events, clock));
      routes.addAll(OidcRoutes.all(config.oidc(), identity.singleSignOn, identity.secrets, clock, foundation.secureRandom));
      routes.addAll(StaffRoutes.all(identity.admin, identity.directory, identity.persons, identity.ownFactors, staffAuth));
      routes.addAll(WebAuthnRoutes.all(identity.ownFactors, identity.sessions, staffAuth));
      CustomerAccess customers = foundation.customers;
      // Alerts go to the configured tools (alerts.*) and to the caller's sink (tests).
      AlertSinks configured = alertSinks;
      AlertSink sinks = alert -> {
        configured.deliver(alert);
        alertSink.deliver(alert);
      };
      Containment containment = containment(foundation, detection, sinks, progress);
      routes.addAll(customerRoutesAt, CustomerRoutes.all(customers.broker, staffAuth, containment));
      routes.addAll(CaseRoutes.all(customers.cases, customers.breakGlassReviews, staffAuth));
      routes.addAll(IntegrationRoutes.all(customers.ingest, customers.vault, customers.tickets, customers.ledger,
          foundation.ticketWebhook, serviceAuth, clock, containment));
      ApprovalSettings approvalSettings = config.approvals();
      WebhookSignature approvalSigner = approvalSettings.webhookSecretFile().isEmpty() ? foundation.ticketWebhook
          : new WebhookSignature(AlertSinks.readSecret(approvalSettings.webhookSecretFile().get(),
              Setting.APPROVALS_WEBHOOK_SECRET_FILE), WebhookSignature.DEFAULT_WINDOW, clock);
      dev.custos.approval.ApprovalDesk approvals = new dev.custos.approval.ApprovalDesk(
          approvalSettings.policy().catalogue(), new dev.custos.store.ApprovalTable(foundation.database.dataSource()),
          new ApprovalExecution(new ApprovalWebhook(approvalSettings.webhookUrl(), approvalSigner, clock),
              identity.admin, identity.directory, customers.breakGlassReviews), customers.vault::commitment,
          customers.ledger, clock, foundation.secureRandom);
      // Incidents (issue 8): scope, attribution and notifications read the on-disk access index, caught up
      // with the ledger before each question; customers resolve through the keyed commitment directory.
      LiveAccessIndex accessIndex = new LiveAccessIndex(foundation.ledger, foundation.indexing);
      dev.custos.incident.CustomerDirectory directory = foundation.indexing.directory;
      java.util.Set<dev.custos.vault.Field> readable = new java.util.HashSet<>(Notifier.readable(config.notifications()));
      readable.add(IncidentScopes.NATIONALITY);
      readable.add(LeakAttribution.NAME); // names in a leaked sample, matched among the customers seen
      dev.custos.incident.IncidentReads incidentReads = new dev.custos.incident.IncidentReads(customers.vault,
          customers.ledger, clock, readable);
      // One attribution for the API and the console, names matched through the incident reads.
      LeakAttribution attribution = new LeakAttribution(() -> accessIndex, customers.vault, containment.decoys(),
          customers.ledger, clock, Optional.of(new LeakAttribution.Names(directory, incidentReads)));
      routes.addAll(AttributionRoutes.all(attribution, staffAuth, serviceAuth));
      dev.custos.store.IncidentTable incidentTable = new dev.custos.store.IncidentTable(foundation.database.dataSource());
      dev.custos.incident.IncidentDesk incidents = new dev.custos.incident.IncidentDesk(incidentTable, customers.ledger,
          clock, foundation.secureRandom);
      dev.custos.store.NotificationTable notifications = new dev.custos.store.NotificationTable(
          foundation.database.dataSource());
      NotificationTemplates templates = NotificationTemplates.load(config.templatesDir(),
          config.notifications().defaultLanguage());
      if (config.notifications().enabled()) {
        notifier = new Notifier(notifications, incidents, incidentReads, accessIndex,
            new SmtpMailer(config.notifications()), templates, config.notifications(), clock, random, foundation.meters);
        progress.step("customer notifications over SMTP to " + config.notifications().smtpHost().orElseThrow() + ":"
            + config.notifications().smtpPort() + " (" + config.notifications().tls().wireName + "), templates "
            + templates.languages());
      }
      dev.custos.identity.StaffDirectory staffDirectory = identity.directory;
      IncidentRoutes.Services incidentWork = new IncidentRoutes.Services(incidents, new IncidentScopes(accessIndex, directory,
          incidentReads), notifications, Optional.ofNullable(notifier), new AlertTable(foundation.database.dataSource()),
          id -> staffDirectory.find(id).filter(dev.custos.identity.StaffAccount::isActive)
              .filter(a -> a.roles().contains(dev.custos.access.Role.SECURITY_ANALYST)).isPresent(),
          id -> staffDirectory.find(id).map(dev.custos.identity.StaffAccount::isActive).orElse(false), clock);
      routes.addAll(IncidentRoutes.all(incidentWork, staffAuth));
      dev.custos.approval.WithdrawalDesk withdrawals = new dev.custos.approval.WithdrawalDesk(
          approvalSettings.policy().withdrawals(), new dev.custos.store.WithdrawalTable(foundation.database.dataSource()),
          approvals, new dev.custos.incident.OpenIncidents(incidentTable, foundation.indexing.index(),
              customers.vault::commitment),
          new dev.custos.incident.LastToucher(foundation.indexing.index(), customers.vault::commitment,
              staff -> identity.directory.find(staff).map(a -> !a.isActive()).orElse(false)),
          customers.vault::commitment, customers.ledger, clock);
      approvals.onExecuted(withdrawals::recordExecuted);
      Optional<dev.custos.identity.oidc.CustomerTokens> customerTokens = customerTokens(config, clock);
      routes.addAll(transparency(foundation, config, clock, customerTokens, witnessing));
      routes.addAll(ScopeRoutes.all(foundation.indexing, customers.ledger, staffAuth, serviceAuth, clock));
      sweep = new ApprovalSweep(approvals);
      dev.custos.approval.ApprovalDesk desk = approvals;
      routes.addAll(AlertRoutes.all(new AlertTable(foundation.database.dataSource()), containment, staffAuth, clock,
          staff -> ApprovalExecution.decoyReadAllowed(desk, staff, clock.instant())));
      routes.addAll(ApprovalRoutes.all(approvals, customers.tickets, staffAuth, identity.persons, sweep::nudge));
      routes.add(ApprovalRoutes.customerCancel(approvals, customerTokens));
      routes.addAll(WithdrawalRoutes.all(withdrawals, serviceAuth));
      // The ledger page's "last verify": the tiles re-verified in the background, on start and hourly.
      ledgerCheck = new LedgerCheck(foundation.ledger::reader, foundation.ledger.verifierKey(), clock,
          LedgerCheck.DEFAULT_INTERVAL, foundation.meters);
      routes.addAll(ConsoleRoutes.all(new ConsoleRoutes.Services(staffAuth, customers.broker, containment,
          customers.tickets, customers.ticketStore, new AlertTable(foundation.database.dataSource()), identity.admin,
          identity.directory, approvals, identity.persons, sweep::nudge, incidents, customers.breakGlassReviews,
          foundation.ledger,
          witnessing, identity.logins, identity.events, customers.catalogue, config.access().policy().mfaWindow(), clock,
          incidentWork, attribution, ledgerCheck)));
      List<String> registered = java.util.Collections.synchronizedList(new ArrayList<>());
      Javalin http = HttpApi.create(config.bind(), config.port(), List.copyOf(routes), foundation.meters, random, registered);
      try {
        http.start();
      } catch (RuntimeException e) {
        http.stop();
        throw new StartupException("cannot listen on " + config.bind() + ":" + config.port() + ": "
            + rootMessage(e), e);
      }
      purge = IdentityPurge.start(identity.retention, foundation.meters);
      keyRotation = new KeyRotationJob(customers.vault, config.vault(), foundation.meters, clock);
      keyRotation.start();
      if (notifier != null) {
        notifier.start();
      }
      foundation.indexing.start();
      ledgerCheck.start();
      Custos custos = new Custos(foundation, witnessing, purge, keyRotation, alertSinks, http, List.copyOf(registered),
          sweep);
      custos.containment = containment;
      custos.notifier = notifier;
      custos.ledgerCheck = ledgerCheck;
      progress.step("HTTP listening on " + custos.baseUri());
      log.info("Custos {} started: {} (installation {}, start {})", Version.current(), custos.baseUri(),
          foundation.installation.id(), foundation.installation.starts());
      return custos;
    } catch (StartupException | RuntimeException e) {
      if (ledgerCheck != null) {
        ledgerCheck.close();
      }
      if (notifier != null) {
        notifier.close();
      }
      if (sweep != null) {
        sweep.close();
      }
      if (keyRotation != null) {
        keyRotation.close();
      }
      if (purge != null) {
        purge.close();
      }
      if (witnessing != null) {
        witnessing.close();
      }
      if (alertSinks != null) {
        alertSinks.close();
      }
      foundation.close();
      if (e instanceof StartupException se) {
        throw se;
      }
      throw new StartupException("Custos could not start: " + rootMessage(e), e);
    }
  }

  /**
   * Detection on the access path: plants the decoys (first start), then subscribes containment to the
   * access bus and the authentication bus.
   */
  private static Containment containment(Foundation foundation, Containment.Settings settings, AlertSink sink,
      Progress progress) throws StartupException {
    CustomerAccess customers = foundation.customers;
    DetectionFacts facts = new DetectionFacts(foundation.database.dataSource());
    byte[] key = DevKeys.read(foundation.config.keysDir(), DevKeys.Kind.DECOY);
    Optional<DecoyDesk> decoys;
    try {
      decoys = Optional.of(DecoyDesk.plant(key, customers.catalogue, customers.vault, facts,
          foundation.clock, foundation.secureRandom));
      progress.step("decoy customers in place (" + DecoyDesk.COUNT + ", list sealed with the decoy key)");
    } catch (IllegalArgumentException e) {
      // A catalogue with fields the generator does not know: no decoys rather than decoys that stand out.
      log.warn("no decoy customers: {}", e.getMessage());
      decoys = Optional.empty();
    } catch (IllegalStateException e) {
      throw new StartupException("the decoy list does not open with " + foundation.config.keysDir().resolve("decoy.key")
          + ": every instance of an installation needs the same decoy key", e);
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
    StaffIdentity identity = foundation.identity;
    Containment c = new Containment(settings, customers.catalogue, decoys, facts,
        new AlertTable(foundation.database.dataSource()), sink, customers.ledger, identity.admin, identity.sessions,
        identity.directory, foundation.meters, foundation.clock);
    relearn(foundation, settings, facts, c, progress);
    customers.subscribe(c::onAccess);
    identity.events.subscribe(c::onAuth);
    return c;
  }

  /**
   * Gives the detector back its memory of the last long window from the access index (a restart must
   * not blind detection for the warm-up). A failure is logged and the detector starts from nothing.
   */
  private static void relearn(Foundation foundation, Containment.Settings settings, DetectionFacts facts, Containment c,
      Progress progress) {
    Instant now = foundation.clock.instant();
    Duration window = settings.policy().longWindow();
    long started = System.nanoTime();
    try {
      foundation.indexing.catchUp();
      DetectorRelearning.Result r = DetectorRelearning.relearn(c, foundation.indexing.index(),
          foundation.indexing.directory::resolveAll, facts, now.minus(window), now);
      if (r.accesses() + r.searches() > 0) {
        progress.step(String.format(java.util.Locale.ROOT,
            "detector relearnt the last %d days from the ledger: %,d accesses and %,d searches of %d staff in %.1f s",
            window.toDays(), r.accesses(), r.searches(), r.staff(), (System.nanoTime() - started) / 1e9));
      }
    } catch (dev.custos.ledger.LedgerException | RuntimeException e) {
      log.error("SECURITY the detector could not relearn the last {} days from the ledger ({}); it starts from nothing"
          + " and asks only for decoy suspensions until its warm-up has passed", window.toDays(), rootMessage(e));
    }
  }

  /**
   * Customer transparency: customer tokens (when {@code customer.jwks} is set) and access logs over
   * the in-memory access index fed from the ledger (until the on-disk index is wired here).
   */
  /** The exchange's customer tokens (customer.jwks), if configured: the access log and customer cancels use them. */
  private static Optional<dev.custos.identity.oidc.CustomerTokens> customerTokens(CustosConfig config, InstantSource clock)
      throws StartupException {
    try {
      return config.customerTokens().map(s -> dev.custos.identity.oidc.CustomerTokens.create(s, clock));
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage(), e);
    }
  }

  private static List<ApiRoute> transparency(Foundation foundation, CustosConfig config, InstantSource clock,
      Optional<dev.custos.identity.oidc.CustomerTokens> tokens, Witnessing witnessing) throws StartupException {
    byte[] key = DevKeys.read(config.keysDir(), DevKeys.Kind.STAFF_PSEUDONYM);
    dev.custos.transparency.StaffPseudonyms pseudonyms;
    try {
      pseudonyms = dev.custos.transparency.StaffPseudonyms.withKey(key);
    } finally {
      java.util.Arrays.fill(key, (byte) 0);
    }
    // Accesses from the on-disk index; refused attempts (which the index does not hold) from the ledger.
    LedgerAttemptFeed attempts;
    try {
      attempts = new LedgerAttemptFeed(foundation.ledger, config.data().resolve("index").resolve("attempts.log"));
    } catch (java.io.IOException e) {
      throw new StartupException("cannot read the refused attempts in " + config.data().resolve("index") + ": "
          + rootMessage(e), e);
    }
    // Catch up in the background, so the first customer reading after an upgrade does not wait for it.
    Thread.ofVirtual().name("custos-attempts-catch-up").start(() -> {
      try {
        attempts.upTo(foundation.ledger.latestCheckpoint().checkpoint().size());
      } catch (dev.custos.ledger.LedgerException | RuntimeException e) {
        log.warn("refused attempts: catching up with the ledger failed ({}); the first access-log reading will",
            rootMessage(e));
      }
    });
    AccessIndexing indexing = foundation.indexing;
    dev.custos.transparency.AccessLogs.Coverage coverage = size -> {
      indexing.catchUp();
      attempts.upTo(size);
    };
    CustomerAccess customers = foundation.customers;
    dev.custos.identity.StaffDirectory directory = foundation.identity.directory;
    dev.custos.transparency.AccessLogs logs = new dev.custos.transparency.AccessLogs(foundation.ledger, indexing.index(),
        attempts.attempts, coverage, customers.vault::commitmentSalt, pseudonyms,
        staff -> directory.find(staff).flatMap(dev.custos.identity.StaffAccount::team), customers.ledger, clock);
    return TransparencyRoutes.all(tokens, logs, new ReadingLimit(clock, ReadingLimit.PER_HOUR), witnessing);
  }

  /** The ledger every access is recorded in. */
  public Ledger ledger() {
    return foundation.ledger;
  }

  /** The service tokens of integrations. */
  public ServiceTokens serviceTokens() {
    return foundation.serviceTokens;
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
    CustosConfig config = foundation.config;
    String host = config.bind().contains(":") && !config.bind().startsWith("[") ? "[" + config.bind() + "]" : config.bind();
    return URI.create("http://" + host + ":" + port());
  }

  public Installation installation() {
    return foundation.installation;
  }

  /** "METHOD path" of every handler the HTTP server registered (before-handlers included). */
  List<String> registeredHandlers() {
    return registeredHandlers;
  }

  /**
   * Where raised alerts go besides the alert store: the configured webhook, OCSF file and syslog
   * receiver ({@code alerts.*} settings); it never blocks nor throws.
   */
  dev.custos.detect.AlertSink alertSink() {
    return alertSinks;
  }

  /** The background key rotation (for tests in this package). */
  KeyRotationJob keyRotation() {
    return keyRotation;
  }

  /** The customer-data services (for tests in this package). */
  CustomerAccess customers() {
    return foundation.customers;
  }

  /** Detection and containment (for tests in this package). */
  Containment containment() {
    return containment;
  }

  /** The background sender of customer notifications, when SMTP is configured (for tests in this package). */
  Optional<Notifier> notifier() {
    return Optional.ofNullable(notifier);
  }

  /** The access index and customer directory (for tests in this package). */
  AccessIndexing indexing() {
    return foundation.indexing;
  }

  /** The staff-identity services (for tests in this package). */
  StaffIdentity identity() {
    return foundation.identity;
  }

  public CustosConfig config() {
    return foundation.config;
  }

  /** The background ledger verify (for tests: run it now, read its last result). */
  LedgerCheck ledgerCheck() {
    return ledgerCheck;
  }

  /** Stops HTTP (letting requests in flight finish), then the ledger, the database, and releases the data directory. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    log.info("Custos stopping");
    http.stop();
    if (ledgerCheck != null) {
      ledgerCheck.close();
    }
    if (notifier != null) {
      notifier.close();
    }
    approvalSweep.close();
    keyRotation.close();
    purge.close();
    witnessing.close();
    alertSinks.close();
    foundation.close();
    log.info("Custos stopped");
  }
}
