package dev.custos.server;

import dev.custos.access.CaseApproval;
import dev.custos.access.CaseId;
import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.IssuedToken;
import dev.custos.identity.Password;
import dev.custos.identity.Scope;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffAdmin;
import dev.custos.identity.TotpSecret;
import dev.custos.store.CaseTable;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A running Custos with one member of staff per role, a service token for the backend, two
 * customers written through {@code PUT /v1/customers/{id}} and a helper to send signed ticket
 * webhooks. The database is a schema of the embedded PostgreSQL (or of {@code CUSTOS_TEST_DB_URL}),
 * so tests can also reach the stores directly (to set up an approved case in one step).
 */
final class CustomerWorld implements AutoCloseable {
  static final String PASSWORD = "marmot cinnamon velvet harbour";
  static final CustomerId ADA = new CustomerId("cust-ada");
  static final CustomerId BOB = new CustomerId("cust-bob");
  static final String ADA_EMAIL = "ada.lovelace@example.com";
  static final String ADA_PHONE = "+44 20 7946 0018";
  static final String ADA_GOV_ID = "QQ123456C";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A clock that follows the system clock plus an offset the test can move forward. */
  static final class MovableClock implements InstantSource {
    final AtomicLong offsetMillis = new AtomicLong();

    @Override
    public Instant instant() {
      return Instant.now().plusMillis(offsetMillis.get());
    }

    void advance(Duration d) {
      offsetMillis.addAndGet(d.toMillis());
    }
  }

  final MovableClock clock = new MovableClock();
  final Map<Role, StaffId> staff = new EnumMap<>(Role.class);
  final Map<StaffId, TotpSecret> totp = new LinkedHashMap<>();
  final StaffId otherAgent = new StaffId("other-agent");
  /** The running server; {@link #restart} replaces it. */
  volatile Custos custos;
  private final CustosConfig config;
  private final Containment.Settings detection;
  final PGSimpleDataSource dataSource;
  final String token;
  final String webhookSecret;
  /** Alerts handed to the alert sink, in order. */
  final List<dev.custos.detect.Alert> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final EmbeddedPostgres embedded;
  private final String adminUrl;
  private final String schema;

  CustomerWorld(Path temp) throws Exception {
    this(temp, Containment.Settings.defaults(), Map.of());
  }

  /** A world whose detection is set up by {@code detection}, with {@code extraConfig} settings besides the defaults. */
  CustomerWorld(Path temp, Containment.Settings detection, Map<String, String> extraConfig) throws Exception {
    this(temp, c -> detection, extraConfig);
  }

  /**
   * A world whose detection is set up by {@code detection} from the world's own configuration (its
   * {@code detection.thresholds}), with {@code extraConfig} settings besides the defaults.
   */
  CustomerWorld(Path temp, java.util.function.Function<CustosConfig, Containment.Settings> detection,
      Map<String, String> extraConfig) throws Exception {
    String external = System.getenv("CUSTOS_TEST_DB_URL");
    if (external != null && external.startsWith("jdbc:postgresql:")) {
      embedded = null;
      adminUrl = external;
    } else {
      embedded = EmbeddedPostgres.builder().setOverrideWorkingDirectory(temp.resolve("pg").toFile()).start();
      adminUrl = embedded.getJdbcUrl("postgres", "postgres");
    }
    schema = "custos_world_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String url = adminUrl + (adminUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    Map<String, String> settings = new LinkedHashMap<>(Map.of("data", temp.resolve("custos").toString(),
        "http.port", Integer.toString(freePort()), "db.url", url));
    Map<String, String> env = new LinkedHashMap<>();
    extraConfig.forEach((k, v) -> env.put(Setting.byKey(k).orElseThrow().env(), v));
    CustosConfig config = ConfigLoader.load(settings, env, null, temp);
    this.config = config;
    this.detection = detection.apply(config);
    try (Administration admin = Administration.open(config, clock, RandomGenerator.getDefault());
        Password p = Password.copyOf(PASSWORD.toCharArray())) {
      for (Role r : Role.values()) {
        StaffId id = new StaffId("staff-" + r.wireName());
        staff.put(r, id);
        totp.put(id, enrol(admin, id, r, p));
      }
      totp.put(otherAgent, enrol(admin, otherAgent, Role.SUPPORT_L1, p));
      IssuedToken issued = admin.issueToken("backend", Set.of(Scope.CUSTOMERS_WRITE), Optional.empty(), "test").token();
      token = issued.revealText();
    }
    byte[] key = readKey(config.keysDir().resolve("ticket-webhook.key"));
    webhookSecret = Base64.getEncoder().encodeToString(key);
    dataSource = new PGSimpleDataSource();
    dataSource.setURL(url);
    custos = Custos.start(config, clock, RandomGenerator.getDefault(), Custos.Progress.NONE, this.detection,
        alert -> delivered.add(alert));
    put(ADA, fullRecord("Ada Lovelace", ADA_EMAIL, ADA_PHONE, ADA_GOV_ID));
    put(BOB, fullRecord("Bob Babbage", "bob@example.com", "+44 20 7946 0999", "QQ654321D"));
  }

  private static TotpSecret enrol(Administration admin, StaffId id, Role role, Password p) {
    StaffAccount account = StaffAccount.create(id, "Staff " + role.wireName(), Set.of(role), Optional.of("desk-1"),
        StaffAccount.Origin.LOCAL, Instant.now());
    return ((StaffAdmin.Outcome.Done<StaffAdmin.Enrolment>) admin.staff().createLocal(account, p, "test")).value().totp()
        .secret();
  }

  private static byte[] readKey(Path file) throws Exception {
    String line = Files.readAllLines(file).stream().filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
    return Base64.getDecoder().decode(line.strip());
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  URI base() {
    return custos.baseUri();
  }

  /** Every field of the default catalogue, with realistic values. */
  static Map<String, Object> fullRecord(String name, String email, String phone, String govId) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("name", name);
    f.put("email", email);
    f.put("phone", phone);
    f.put("date_of_birth", "1987-04-12");
    f.put("address", Map.of("line1", "221B Baker Street", "city", "London", "postcode", "NW1 6XE", "country", "GB"));
    f.put("nationality", "GB");
    f.put("government_id", govId);
    f.put("id_documents", List.of("doc-passport-77f3a1", "doc-selfie-9c2e44"));
    f.put("tax_id", "1234567890");
    f.put("bank_account", "GB29NWBK60161331926819");
    f.put("balances", Map.of("BTC", "1.52", "USD", "12500.10"));
    f.put("account_tier", "vip");
    f.put("account_status", "active");
    f.put("two_factor_method", "totp");
    f.put("withdrawal_addresses", List.of("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"));
    f.put("recent_logins", List.of(Map.of("at", "2026-11-20T08:00:00Z", "ip", "198.51.100.23", "device", "iPhone")));
    f.put("recent_transactions", "3 deposits, 1 withdrawal in 30 days");
    f.put("kyc_status", "verified");
    f.put("support_notes", "prefers e-mail");
    return f;
  }

  HttpResponse<String> put(CustomerId id, Map<String, Object> fields) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(base().resolve("/v1/customers/" + id.value()))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("fields", fields)))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a ticket event as the ticket system would, signed with the installation's webhook secret. */
  HttpResponse<String> ticket(String event, String id, CustomerId requester, StaffId assignee, String status,
      boolean createdByStaff) throws Exception {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("id", id);
    t.put("requester_id", requester.value());
    t.put("assignee_id", assignee == null ? null : assignee.value());
    t.put("status", status);
    t.put("channel", "email");
    t.put("category", "account-access");
    t.put("created_by_staff", createdByStaff);
    t.put("updated_at", clock.instant().toString());
    return signedTicket(Json.write(Map.of("event", event, "ticket", t)).getBytes(StandardCharsets.UTF_8), clock.instant().toString());
  }

  HttpResponse<String> signedTicket(byte[] body, String timestamp) throws Exception {
    WebhookSignature signer = new WebhookSignature(webhookSecret.getBytes(StandardCharsets.US_ASCII), Duration.ofMinutes(5), clock);
    return HTTP.send(HttpRequest.newBuilder(base().resolve("/v1/integrations/tickets"))
        .header("Content-Type", "application/json")
        .header(WebhookSignature.SIGNATURE_HEADER, signer.sign(timestamp, body))
        .header(WebhookSignature.TIMESTAMP_HEADER, timestamp)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Opens a case led by the support-l2 member, approved by the security analyst, listing {@code customers}. */
  CaseId approvedCase(Set<CustomerId> customers, Set<StaffId> members) {
    CaseTable cases = new CaseTable(dataSource);
    CaseId id = new CaseId("case-" + UUID.randomUUID().toString().substring(0, 8));
    StaffId lead = staff.get(Role.SUPPORT_L2);
    java.util.Set<StaffId> all = new java.util.HashSet<>(members);
    all.add(lead);
    Instant now = clock.instant();
    if (!cases.create(new dev.custos.access.Case(id, lead, "account takeover ring", customers, all, now,
        now.plus(Duration.ofDays(7)), Optional.empty(), Optional.empty()))) {
      throw new IllegalStateException("case not created");
    }
    if (!cases.approve(id, new CaseApproval(staff.get(Role.SECURITY_ANALYST), Set.of(Role.SECURITY_ANALYST), now))) {
      throw new IllegalStateException("case not approved");
    }
    return id;
  }

  private final Map<StaffId, StaffClient> clients = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The logged-in client of {@code id}, logging in on first use only: a TOTP code is accepted once,
   * so a second login within the same 30-second step would be refused as a replay.
   */
  StaffClient login(StaffId id) throws Exception {
    StaffClient cached = clients.get(id);
    if (cached != null) {
      return cached;
    }
    StaffClient c = new StaffClient();
    StaffClient.Reply r = c.login(base(), id.value(), PASSWORD, totp.get(id));
    if (r.status() != 200) {
      throw new IllegalStateException("login of " + id + " failed: " + r.raw().body());
    }
    clients.put(id, c);
    return c;
  }

  /** A local SMTP server (GreenMail) on a free port of 127.0.0.1, started. */
  static com.icegreen.greenmail.util.GreenMail startSmtp() throws Exception {
    com.icegreen.greenmail.util.GreenMail smtp = new com.icegreen.greenmail.util.GreenMail(
        new com.icegreen.greenmail.util.ServerSetup(freePort(), "127.0.0.1", com.icegreen.greenmail.util.ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    return smtp;
  }

  /** A world whose incident notifications go to {@code smtp} (no TLS), with the break-glass quota out of the way. */
  static CustomerWorld notifyingTo(Path temp, com.icegreen.greenmail.util.GreenMail smtp) throws Exception {
    return new CustomerWorld(temp, Containment.Settings.defaults(), Map.of(
        "quota.break-glass-customers-per-day", "1000",
        "notify.smtp.host", "127.0.0.1", "notify.smtp.port", Integer.toString(smtp.getSmtp().getPort()),
        "notify.smtp.tls", "none", "notify.from", "security@exchange.example", "notify.exchange-name", "Example Exchange"));
  }

  /** Stops the server and starts it again on the same data directory and database, as a restart does. */
  void restart() throws Exception {
    custos.close();
    clients.clear();
    custos = Custos.start(config, clock, RandomGenerator.getDefault(), Custos.Progress.NONE, detection,
        alert -> delivered.add(alert));
  }

  @Override
  public void close() throws Exception {
    if (custos != null) {
      custos.close();
    }
    try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
    if (embedded != null) {
      embedded.close();
    }
  }
}
