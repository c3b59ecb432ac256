package dev.custos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.decoy.DecoyCustomer;
import dev.custos.decoy.Decoys;
import dev.custos.detect.Observation;
import dev.custos.detect.Observation.Basis;
import dev.custos.identity.Password;
import dev.custos.identity.Scope;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffAdmin;
import dev.custos.identity.Totp;
import dev.custos.identity.TotpSecret;
import dev.custos.server.Administration;
import dev.custos.server.ConfigLoader;
import dev.custos.server.Custos;
import dev.custos.server.CustosConfig;
import dev.custos.server.WebhookSignature;
import dev.custos.sim.Simulation;
import dev.custos.vault.Classification;
import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldSpec;
import dev.custos.vault.FieldValue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;

/**
 * The simulated desk played through the real access broker: Custos started in process on the
 * embedded PostgreSQL in a data directory of its own, on a {@link SimClock} the simulation moves to
 * each step's time, and every step sent over HTTP to the routes a real desk uses.
 *
 * <ul>
 *   <li>Agents are enrolled offline with {@link Administration} (password and TOTP, their role,
 *       team and a daily shift) and log in at each session start with password and code; a new
 *       device is a new {@code User-Agent}, a new address another loopback address.</li>
 *   <li>Customers are written through {@code PUT /v1/customers/{id}} with a service token when the
 *       desk first meets them (VIP customers with a VIP tier and a high balance).</li>
 *   <li>Tickets arrive through the signed ticket webhook: a customer's ticket is created when the
 *       customer wrote and assigned when the agent picks it up; an agent's own ticket is created by
 *       staff (after a contact ticket of the customer when the customer was in touch); closes
 *       close.</li>
 *   <li>A view or reveal names the agent's ticket for the customer (or none, and is refused); a
 *       fraud sweep's case is opened by the analyst and approved by the desk's security analyst
 *       before its first look; break-glass uses the break-glass route with a reason; a reveal that
 *       asks for a fresh second factor gets one (a session thief has none to give).</li>
 *   <li>Views of linked accounts are not played: Custos gives no purpose for a customer on none of
 *       the agent's tickets or cases, so a real desk would open a case or a ticket instead. Nor is an
 *       honest agent's break-glass when their role may not break the glass (they escalate).</li>
 *   <li>A {@code 200} shows the customer; a {@code 401} after which the login is refused as
 *       suspended, or a {@code contained} problem, is containment.</li>
 * </ul>
 */
final class BrokerDesk implements Simulation.Desk, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "simulated desk passphrase, long enough";
  private static final StaffId SECURITY = new StaffId("sim-security");
  private static final Duration SESSION_IDLE = Duration.ofHours(2);
  /** When a desk's installation is set up: the day before the simulation's first day. */
  private static final Instant PREPARED_AT = Simulation.START.minus(Duration.ofDays(1));
  /** A second factor younger than this passes a reveal (the default window is 5 minutes). */
  private static final Duration FRESH_FACTOR = Duration.ofMinutes(4);
  /** Off-ticket quotas that let honest agents work their own outbound tickets (the defaults, 0, would refuse them). */
  static final int OFF_TICKET_PER_HOUR = 4;
  static final int OFF_TICKET_PER_DAY = 12;
  private static final String PROBLEM = "urn:custos:problem:";
  /** Agents sharing one loopback address (the login throttle counts attempts per address). */
  private static final int PER_ADDRESS = 8;
  /** The roles the default access policy lets break the glass. */
  private static final Set<Role> BREAK_GLASS_ROLES = dev.custos.access.PolicySettings.defaults().breakGlassRoles();
  private static final Simulation.Outcome CONTAINED = new Simulation.Outcome(false, true, false);

  private final Path dir;
  private boolean deleteOnClose;
  private final java.io.PrintWriter log;
  private final FieldCatalogue catalogue = FieldCatalogue.exchangeDefault();
  private final Map<StaffId, Person> people = new HashMap<>();
  private final Map<StaffId, Person> thieves = new HashMap<>();
  private final Map<String, HttpClient> clients = new HashMap<>();
  private final Set<CustomerId> written = new HashSet<>();
  /** Open tickets by agent and requester, oldest first. */
  private final Map<String, Deque<String>> openTickets = new HashMap<>();
  private final Map<StaffId, String> currentCase = new HashMap<>();
  private final Map<StaffId, Role> roles = new HashMap<>();
  /** The running server's address when the desk drives one ({@code --url}); empty for Custos in process. */
  private final Optional<URI> remote;
  private final Optional<DeskKeys> prepared;
  private SimClock clock;
  /** The server's clock as last moved (remote mode). */
  private Instant serverClock = Instant.MIN;
  private Custos custos;
  private URI base;
  private DeskKeys keys;
  private WebhookSignature ticketSystem;
  private Person security;
  private long ticketSeq;
  private long caseSeq;
  private long guessSeq;
  private int addressSeq;
  /** Requests sent, by the first digit of their status, for the summary. */
  private final long[] statusCounts = new long[6];

  /** One account's session at the desk (the agent's own, or a thief's with the same account). */
  private final class Person {
    final StaffId id;
    final TotpSecret totp;
    final int slot;
    HttpClient client;
    String userAgent;
    /** The cookies the server set (the pending login's, then the session's). */
    final Map<String, String> cookies = new LinkedHashMap<>();
    String csrf;
    long lastStep = Long.MIN_VALUE;
    int device;
    /** When the session last proved a second factor. */
    Instant mfaAt = Instant.EPOCH;
    /** A login was refused as suspended (cleared by a restore). */
    boolean contained;
    final boolean thief;

    Person(StaffId id, TotpSecret totp, int slot, boolean thief) {
      this.id = id;
      this.totp = totp;
      this.slot = slot;
      this.thief = thief;
      this.client = client(address(slot));
      this.userAgent = "CustosDesk/1.0 (" + id.value() + "; device 0)";
    }

    /** A TOTP code not used before by this account: the current step's, or the next one's within the verifier's window. */
    String nextCode() {
      long now = Totp.DEFAULT.stepAt(clock.instant());
      long step = Math.max(now, lastStep + 1);
      if (step > now + 1) {
        // Both codes the window still accepts were used: wait (in simulated time) for the next step.
        clock.advanceTo(Instant.ofEpochSecond((step - 1) * Totp.DEFAULT.period().toSeconds()));
      }
      lastStep = step;
      return Totp.DEFAULT.code(totp, step);
    }
  }

  private BrokerDesk(Path dir, boolean deleteOnClose, java.io.PrintWriter log, Optional<URI> remote,
      Optional<DeskKeys> prepared) {
    this.dir = dir;
    this.deleteOnClose = deleteOnClose;
    this.log = log;
    this.remote = remote;
    this.prepared = prepared;
  }

  /**
   * What a desk needs to act at an installation, written by {@code custos simulate --prepare} for
   * {@code --url} (mode 0600: it holds every simulated agent's second factor).
   *
   * @param agents how many agents the installation was prepared for
   * @param password every simulated account's password
   * @param totp each account's TOTP secret (base32), the agents' and the security analyst's
   * @param serviceToken a token with {@code customers:write} and {@code simulation:clock}
   * @param ticketSecret the ticket webhook's shared secret, as the ticket system is configured with it
   * @param decoys for each agent, the decoys they may meet in search results: id and e-mail
   */
  record DeskKeys(int agents, String password, Map<String, String> totp, String serviceToken, String ticketSecret,
      Map<String, List<List<String>>> decoys) {
    @Override
    public String toString() {
      return "DeskKeys[" + agents + " agents, secrets redacted]";
    }
  }

  /**
   * A desk that starts Custos in {@code dataDir} (which must not hold an installation) when the
   * simulation opens it, or in a new temporary directory deleted at close when {@code dataDir} is empty.
   */
  static BrokerDesk inProcess(Optional<Path> dataDir, java.io.PrintWriter log) throws IOException {
    if (dataDir.isPresent()) {
      Path d = newOrEmpty(dataDir.get(), "--data");
      return new BrokerDesk(d, false, log, Optional.empty(), Optional.empty());
    }
    return new BrokerDesk(Files.createTempDirectory("custos-simulate-"), true, log, Optional.empty(), Optional.empty());
  }

  /** A desk that drives the simulation installation at {@code url}, prepared with {@link #prepare}. */
  static BrokerDesk remote(URI url, Path deskFile, java.io.PrintWriter log) throws IOException {
    DeskKeys keys;
    try {
      keys = JSON.readValue(deskFile.toFile(), DeskKeys.class);
    } catch (IOException e) {
      throw new UsageException("--desk " + deskFile + " is not a desk file written by custos simulate --prepare: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
    return new BrokerDesk(deskFile.toAbsolutePath().getParent(), false, log, Optional.of(url), Optional.of(keys));
  }

  /** Refuses a desk of another size than the desk file was prepared for (remote mode; nothing to check in process). */
  void requireAgents(int agents) {
    prepared.ifPresent(k -> {
      if (k.agents() != agents) {
        throw new UsageException("the desk file was prepared for " + k.agents() + " agents, not " + agents
            + ": give --agents " + k.agents());
      }
    });
  }

  /**
   * Prepares a simulation installation in {@code dir} for {@code members}: the staff enrolled, a
   * service token, {@code simulation.yaml} (the configuration {@code custos serve --config} takes:
   * the simulation clock, the desk's session timeout and quotas) and {@code simulation-desk.json}
   * (the desk's keys, mode 0600). Returns the desk file.
   */
  static Path prepare(Path dir, List<Simulation.Member> members, int port, java.io.PrintWriter log) throws Exception {
    Path d = newOrEmpty(dir, "--prepare");
    Files.createDirectories(d);
    Path yaml = d.resolve("simulation.yaml");
    Files.writeString(yaml, "# A simulation installation (custos simulate --prepare): never for real customers.\n"
        + "data: " + d.resolve("custos") + "\nhttp.port: " + port + "\nsimulation.clock: " + PREPARED_AT + "\n"
        + "session.idle: " + SESSION_IDLE.toHours() + "h\n"
        + "quota.off-ticket-customers-per-hour: " + OFF_TICKET_PER_HOUR + "\n"
        + "quota.off-ticket-customers-per-day: " + OFF_TICKET_PER_DAY + "\n");
    CustosConfig config = ConfigLoader.load(Map.of(), Map.of(), yaml, d);
    DeskKeys keys = enrolDesk(config, members, new SimClock(PREPARED_AT), log);
    Path desk = d.resolve("simulation-desk.json");
    Files.createFile(desk, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    JSON.writeValue(desk.toFile(), keys);
    return desk;
  }

  /** {@code dir} as an absolute path, refused unless it is new or an empty directory (the desk sets up its own). */
  private static Path newOrEmpty(Path dir, String option) throws IOException {
    Path d = dir.toAbsolutePath();
    if (Files.exists(d) && !(Files.isDirectory(d) && isEmpty(d))) {
      throw new UsageException(option + " " + d + " must be a new or empty directory: the simulation sets up its own desk");
    }
    return d;
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (var entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    }
  }

  // ---- set-up

  @Override
  public void open(List<Simulation.Member> members, Instant start) throws Exception {
    clock = new SimClock(start.isAfter(PREPARED_AT) ? PREPARED_AT : start);
    for (Simulation.Member m : members) {
      roles.put(m.id(), m.role());
    }
    if (remote.isPresent()) {
      requireAgents(members.size());
      keys = prepared.orElseThrow();
      base = remote.get();
    } else {
      Files.createDirectories(dir);
      DemoCommand.redirectLogs(dir.resolve("custos.log")); // every request is logged: the terminal keeps the table
      CustosConfig config = ConfigLoader.load(Map.of("data", dir.resolve("custos").toString(), "http.bind", "127.0.0.1",
          "http.port", Integer.toString(freePort())), Map.of("CUSTOS_SESSION_IDLE", SESSION_IDLE.toHours() + "h",
          "CUSTOS_QUOTA_OFF_TICKET_CUSTOMERS_PER_HOUR", Integer.toString(OFF_TICKET_PER_HOUR),
          "CUSTOS_QUOTA_OFF_TICKET_CUSTOMERS_PER_DAY", Integer.toString(OFF_TICKET_PER_DAY)), null, dir);
      keys = enrolDesk(config, members, clock, log);
      custos = Custos.start(config, clock, RandomGenerator.getDefault(), Custos.Progress.NONE);
      base = custos.baseUri();
    }
    ticketSystem = new WebhookSignature(keys.ticketSecret().getBytes(StandardCharsets.US_ASCII),
        WebhookSignature.DEFAULT_WINDOW, clock);
    for (int i = 0; i < members.size(); i++) {
      people.put(members.get(i).id(), new Person(members.get(i).id(), secret(members.get(i).id()), i / PER_ADDRESS, false));
    }
    security = new Person(SECURITY, secret(SECURITY), members.size() / PER_ADDRESS, false);
  }

  private TotpSecret secret(StaffId id) {
    String base32 = keys.totp().get(id.value());
    if (base32 == null) {
      throw new UsageException("the desk file has no account " + id.value() + ": prepare it again for this desk");
    }
    return switch (TotpSecret.parseBase32(base32)) {
      case dev.custos.identity.Parsed.Valid<TotpSecret> v -> v.value();
      case dev.custos.identity.Parsed.Invalid<TotpSecret> bad ->
          throw new UsageException("the desk file's secret of " + id.value() + " is malformed: " + bad.problem());
    };
  }

  /** Enrols the desk's people offline (installation {@code config}, which no server holds) and returns their keys. */
  private static DeskKeys enrolDesk(CustosConfig config, List<Simulation.Member> members, SimClock clock,
      java.io.PrintWriter log) throws Exception {
    long t0 = System.nanoTime();
    List<StaffAccount> accounts = new ArrayList<>();
    for (Simulation.Member m : members) {
      int end = (m.shiftStartHour() + 9) % 24;
      dev.custos.access.Shift shift = dev.custos.access.Shift.parse(String.format("daily %02d:00-%02d:00 UTC",
          m.shiftStartHour(), end));
      accounts.add(StaffAccount.create(m.id(), "Agent " + m.id().value(), Set.of(m.role()), Optional.of(m.team()),
          StaffAccount.Origin.LOCAL, clock.instant()).withShift(Optional.of(shift)));
    }
    accounts.add(StaffAccount.create(SECURITY, "Desk security analyst", Set.of(Role.SECURITY_ANALYST),
        Optional.of("security"), StaffAccount.Origin.LOCAL, clock.instant()));
    Map<String, String> totp = new LinkedHashMap<>();
    Map<String, List<List<String>>> decoyRefs = new LinkedHashMap<>();
    String token;
    String ticketSecret;
    try (Administration admin = Administration.open(config, clock, RandomGenerator.getDefault())) {
      // Each enrolment hashes the password with Argon2id (64 MiB): two at a time is what two cores do.
      List<Future<TotpSecret>> secrets = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
        for (StaffAccount a : accounts) {
          secrets.add(pool.submit(() -> enrol(admin, a)));
        }
      }
      for (int i = 0; i < accounts.size(); i++) {
        totp.put(accounts.get(i).id().value(), secrets.get(i).get().revealBase32());
      }
      token = admin.issueToken("simulated-backend", Set.of(Scope.CUSTOMERS_WRITE, Scope.SIMULATION_CLOCK),
          Optional.empty(), "simulate").token().revealText();
      Decoys decoys = admin.decoys();
      for (Simulation.Member m : members) {
        List<List<String>> refs = new ArrayList<>();
        for (DecoyCustomer d : decoys.assignedTo(m.id())) {
          if (d.fields().get(new Field("email")) instanceof FieldValue.Text e) {
            refs.add(List.of(d.id().value(), e.value()));
          }
        }
        decoyRefs.put(m.id().value(), refs);
      }
      ticketSecret = admin.ticketWebhookSecret();
    }
    log.printf("  %d agents and a security analyst enrolled in %.1f s%n", members.size(), (System.nanoTime() - t0) / 1e9);
    log.flush();
    return new DeskKeys(members.size(), PASSWORD, totp, token, ticketSecret, decoyRefs);
  }

  private static TotpSecret enrol(Administration admin, StaffAccount account) {
    try (Password p = Password.copyOf(PASSWORD.toCharArray())) {
      return switch (admin.staff().createLocal(account, p, "simulate")) {
        case StaffAdmin.Outcome.Done<StaffAdmin.Enrolment> done -> done.value().totp().secret();
        case StaffAdmin.Outcome<StaffAdmin.Enrolment> other ->
            throw new IllegalStateException("enrolling " + account.id().value() + " failed: " + other);
      };
    }
  }

  // ---- the steps

  @Override
  public Simulation.Outcome act(Simulation.Step step) throws Exception {
    Observation o = step.observation();
    clock.advanceTo(o.at());
    Person p = step.thief() ? thieves.get(o.staff()) : people.get(o.staff());
    if (p == null && !step.thief()) {
      throw new IllegalStateException("no account for " + o.staff().value());
    }
    return switch (o) {
      case Observation.SessionStart s -> login(s, step.thief());
      case Observation.TicketFact f -> ticket(f, step.highValue());
      case Observation.Search s -> p == null ? Simulation.Outcome.NOT_SHOWN : search(p, step);
      case Observation.Touch t -> p == null ? Simulation.Outcome.NOT_SHOWN : touch(p, t, step);
    };
  }

  private Simulation.Outcome login(Observation.SessionStart s, boolean thief) throws Exception {
    Person own = people.get(s.staff());
    Person p = own;
    if (thief) {
      // The thief has the password and one phished code, from their own machine and address.
      p = new Person(s.staff(), own.totp, 0, true);
      p.lastStep = own.lastStep;
      p.client = client(otherAddress());
      p.userAgent = "Mozilla/5.0 (X11; Linux x86_64) unknown device";
      thieves.put(s.staff(), p);
    } else {
      if (s.newDevice()) {
        p.device++;
        p.userAgent = "CustosDesk/1.0 (" + p.id.value() + "; device " + p.device + ")";
      }
      p.client = client(s.newAddress() ? otherAddress() : address(p.slot));
    }
    Simulation.Outcome out = logIn(p);
    if (thief) {
      own.lastStep = Math.max(own.lastStep, p.lastStep);
    }
    return out;
  }

  /** Password then TOTP code; {@code contained} when the account is suspended. */
  private Simulation.Outcome logIn(Person p) throws Exception {
    p.cookies.clear();
    p.csrf = null;
    if (p.contained) {
      return CONTAINED;
    }
    HttpResponse<String> first = send(p, "POST", "/v1/session/login", Map.of("username", p.id.value(), "password", keys.password()));
    if (!isProblem(first, "contained")) {
      expect(first, 200, "log in " + p.id.value());
      HttpResponse<String> second = send(p, "POST", "/v1/session/login/second-factor",
          Map.of("factor", "totp", "code", p.nextCode()));
      if (!isProblem(second, "contained")) {
        expect(second, 200, "second factor of " + p.id.value());
        p.mfaAt = clock.instant();
        return Simulation.Outcome.NOT_SHOWN;
      }
    }
    p.contained = true;
    return CONTAINED;
  }

  private Simulation.Outcome ticket(Observation.TicketFact f, boolean highValue) throws Exception {
    String pair = f.staff().value() + "|" + f.requester().value();
    ensureCustomer(f.requester(), highValue);
    switch (f.kind()) {
      case ASSIGNED -> {
        String id = "T-" + (++ticketSeq);
        Instant created = f.ticketCreatedAt().isAfter(clock.instant()) ? clock.instant() : f.ticketCreatedAt();
        webhook("created", id, f.requester(), Optional.empty(), "new", false, created);
        webhook("assigned", id, f.requester(), Optional.of(f.staff()), "open", false, clock.instant());
        openTickets.computeIfAbsent(pair, k -> new ArrayDeque<>()).addLast(id);
      }
      case CREATED_BY_SELF -> {
        if (f.requesterInContact()) {
          webhook("created", "T-" + (++ticketSeq), f.requester(), Optional.empty(), "new", false, clock.instant());
        }
        String id = "T-" + (++ticketSeq);
        webhook("created", id, f.requester(), Optional.of(f.staff()), "open", true, clock.instant());
        openTickets.computeIfAbsent(pair, k -> new ArrayDeque<>()).addLast(id);
      }
      case CLOSED -> {
        Deque<String> open = openTickets.get(pair);
        String id = open == null ? null : open.pollFirst();
        if (id != null) {
          webhook("closed", id, f.requester(), Optional.of(f.staff()), "closed", false, clock.instant());
        }
      }
    }
    return Simulation.Outcome.NOT_SHOWN;
  }

  private Simulation.Outcome search(Person p, Simulation.Step step) throws Exception {
    String email;
    if (step.found().isPresent()) {
      ensureCustomer(step.found().get(), step.highValue());
      email = email(step.found().get());
    } else {
      email = "guess-" + (++guessSeq) + "@customers.example";
    }
    HttpResponse<String> r = staffRequest(p, "GET", "/v1/customers/search?email=" + URLEncoder.encode(email,
        StandardCharsets.UTF_8), null);
    return switch (r.statusCode()) {
      case 200 -> step.found().isPresent() && JSON.readTree(r.body()).path("matches").size() > 0
          ? Simulation.Outcome.SHOWN : Simulation.Outcome.NOT_SHOWN;
      default -> refusal(p, r);
    };
  }

  private Simulation.Outcome touch(Person p, Observation.Touch t, Simulation.Step step) throws Exception {
    if (t.decoy()) {
      return decoy(p, t);
    }
    if (t.basis() == Basis.LINKED) {
      return Simulation.Outcome.NOT_SHOWN; // no purpose covers it (see the class comment)
    }
    ensureCustomer(t.customer(), t.highValue());
    String pair = t.staff().value() + "|" + t.customer().value();
    Optional<String> ticket = Optional.empty();
    Optional<String> caseId = Optional.empty();
    switch (t.basis()) {
      case OWN_TICKET -> {
        Deque<String> open = openTickets.get(pair);
        if (open == null || open.isEmpty()) {
          return Simulation.Outcome.NOT_SHOWN; // the ticket is closed already: an agent does not look again
        }
        ticket = Optional.of(open.peekLast());
      }
      case CASE -> {
        if (!step.sweep().isEmpty()) {
          caseId = Optional.of(openCase(p, step.sweep()));
        } else {
          caseId = Optional.ofNullable(currentCase.get(t.staff()));
        }
      }
      default -> { }
    }
    if (t.basis() == Basis.BREAK_GLASS) {
      if (!BREAK_GLASS_ROLES.contains(roleOf(p.id))) {
        return Simulation.Outcome.NOT_SHOWN; // their role may not break the glass, and they know it: they escalate
      }
      return answer(p, staffRequest(p, "POST", "/v1/access/break-glass", Map.of("customer", t.customer().value(),
          "reason", "customer on the phone is locked out and has no ticket yet; checking the account status")));
    }
    String path = "/v1/customers/" + t.customer().value();
    if (!t.reveal()) {
      String query = ticket.map(x -> "?ticket=" + x).orElse(caseId.map(x -> "?case=" + x).orElse(""));
      return answer(p, staffRequest(p, "GET", path + query, null));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    ticket.ifPresent(x -> body.put("ticket", x));
    caseId.ifPresent(x -> body.put("caseId", x));
    body.put("fields", List.of(revealable(p, t.mostSensitive()).name()));
    body.put("reason", "the customer asked us to confirm the details on file for their request");
    if (!p.thief && Duration.between(p.mfaAt, clock.instant()).compareTo(FRESH_FACTOR) > 0
        && p.cookies.containsKey("custos_session")) {
      stepUp(p); // the console asks before the reveal, not after a refusal
    }
    return answer(p, staffRequest(p, "POST", path + "/reveal", body));
  }

  /** An insider who met one of their decoys in search results looks at it. */
  private Simulation.Outcome decoy(Person p, Observation.Touch t) throws Exception {
    List<List<String>> mine = keys.decoys().getOrDefault(t.staff().value(), List.of());
    if (mine.isEmpty()) {
      return Simulation.Outcome.NOT_SHOWN;
    }
    List<String> d = mine.get(Math.floorMod(t.customer().value().hashCode(), mine.size()));
    HttpResponse<String> found = staffRequest(p, "GET", "/v1/customers/search?email="
        + URLEncoder.encode(d.get(1), StandardCharsets.UTF_8), null);
    if (found.statusCode() != 200) {
      return refusal(p, found);
    }
    HttpResponse<String> r = staffRequest(p, "GET", "/v1/customers/" + d.get(0), null);
    Simulation.Outcome o = r.statusCode() == 200 ? Simulation.Outcome.NOT_SHOWN : refusal(p, r);
    // Touching a decoy suspends before the answer: the next request finds out if this one did not.
    return o.contained() ? o : suspendedNow(p);
  }

  /** Opens a case listing {@code customers} with the agent as its member, approved by the desk's security analyst. */
  private String openCase(Person p, List<CustomerId> customers) throws Exception {
    for (CustomerId c : customers) {
      ensureCustomer(c, false);
    }
    String id = "CASE-" + (++caseSeq);
    HttpResponse<String> opened = staffRequest(p, "POST", "/v1/cases", Map.of("id", id,
        "title", "Fraud sweep: accounts linked to a reported scam", "customers",
        customers.stream().map(CustomerId::value).distinct().toList(), "members", List.of(p.id.value()), "days", 1));
    if (opened.statusCode() != 201) {
      return id; // refused (the looks will be refused too, and counted as such)
    }
    HttpResponse<String> approved = staffRequest(security, "POST", "/v1/cases/" + id + "/approve", Map.of());
    expect(approved, 200, "approve case " + id);
    currentCase.put(p.id, id);
    return id;
  }

  /** The field of {@code most} classification the person's role may reveal, or the nearest less sensitive one. */
  private Field revealable(Person p, Classification most) {
    Role role = roleOf(p.id);
    FieldSpec best = null;
    for (FieldSpec s : catalogue.specs()) {
      if (s.revealableBy(role) && s.classification().compareTo(most) <= 0
          && (best == null || s.classification().compareTo(best.classification()) > 0)) {
        best = s;
      }
    }
    return best != null ? best.field() : new Field("email");
  }

  private Role roleOf(StaffId id) {
    return roles.getOrDefault(id, Role.SUPPORT_L1);
  }

  // ---- answers

  private Simulation.Outcome answer(Person p, HttpResponse<String> r) throws Exception {
    return r.statusCode() == 200 ? Simulation.Outcome.SHOWN : refusal(p, r);
  }

  /** What a refusal means: containment, a second factor the thief lacks, or just no. */
  private Simulation.Outcome refusal(Person p, HttpResponse<String> r) throws Exception {
    if (isProblem(r, "contained") || p.contained) {
      p.contained = !p.thief;
      return p.thief ? new Simulation.Outcome(false, false, true) : CONTAINED;
    }
    if (isProblem(r, "step-up-required")) {
      return new Simulation.Outcome(false, false, p.thief);
    }
    if (r.statusCode() == 401) {
      return p.thief ? new Simulation.Outcome(false, false, true) : suspendedNow(p);
    }
    if (r.statusCode() >= 500 && r.statusCode() != 503) {
      throw new IllegalStateException("HTTP " + r.statusCode() + " " + r.request().method() + " " + r.uri().getPath() + ": "
          + abbreviated(r.body()));
    }
    return Simulation.Outcome.NOT_SHOWN;
  }

  /** Whether the person's account is now suspended: their session is checked, and a refused login says so. */
  private Simulation.Outcome suspendedNow(Person p) throws Exception {
    HttpResponse<String> me = send(p, "GET", "/v1/session", null);
    if (me.statusCode() == 200) {
      return Simulation.Outcome.NOT_SHOWN;
    }
    if (p.thief) {
      return new Simulation.Outcome(false, false, true);
    }
    return logIn(p).contained() ? CONTAINED : Simulation.Outcome.NOT_SHOWN;
  }

  /**
   * A request in the person's session: logs in first when the session is gone (idle or over), and
   * steps up once when the route asks for a fresh second factor (a thief cannot).
   */
  private HttpResponse<String> staffRequest(Person p, String method, String path, Object body) throws Exception {
    if (!p.cookies.containsKey("custos_session") && !p.thief) {
      Simulation.Outcome o = logIn(p);
      if (o.contained()) {
        return send(p, method, path, body); // refused as unauthenticated: the caller finds the suspension
      }
    }
    HttpResponse<String> r = send(p, method, path, body);
    if (r.statusCode() == 401 && !p.thief) {
      if (logIn(p).contained()) {
        return r;
      }
      r = send(p, method, path, body);
    }
    if (isProblem(r, "step-up-required") && !p.thief && stepUp(p)) {
      r = send(p, method, path, body);
    }
    return r;
  }

  /** A fresh second factor in the person's session. */
  private boolean stepUp(Person p) throws Exception {
    HttpResponse<String> up = send(p, "POST", "/v1/session/step-up", Map.of("factor", "totp", "code", p.nextCode()));
    if (up.statusCode() == 200) {
      p.mfaAt = clock.instant();
      return true;
    }
    return false;
  }

  // ---- the backend and the ticket system

  private void ensureCustomer(CustomerId c, boolean vip) throws Exception {
    if (written.contains(c)) {
      return;
    }
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/customers/" + c.value()))
        .header("Authorization", "Bearer " + keys.serviceToken()).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("fields", record(c, vip))))).build();
    HttpResponse<String> r = exchange(client(address(0)), request);
    expect(r, 200, "write customer " + c.value());
    written.add(c);
  }

  /** A plausible record for a simulated customer; VIP customers have the VIP tier and a high balance. */
  static Map<String, Object> record(CustomerId c, boolean vip) {
    int n = Math.floorMod(c.value().hashCode(), 1_000_000);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("name", "Customer " + c.value());
    f.put("email", email(c));
    f.put("phone", String.format("+44 20 7%03d %04d", n / 10_000 % 1000, n % 10_000));
    f.put("date_of_birth", String.format("19%02d-%02d-%02d", 50 + n % 50, 1 + n % 12, 1 + n % 28));
    f.put("address", Map.of("line1", (1 + n % 200) + " High Street", "city", "London", "postcode", "N1 9GU", "country", "GB"));
    f.put("nationality", "GB");
    f.put("government_id", String.format("QQ%06dC", n));
    f.put("tax_id", String.format("%010d", n));
    f.put("bank_account", String.format("GB29NWBK601613%08d", n));
    f.put("balances", vip ? Map.of("BTC", "41.20", "USD", "250000.00") : Map.of("BTC", "0.05", "USD", "1200.00"));
    f.put("account_tier", vip ? "vip" : "standard");
    f.put("account_status", "active");
    f.put("two_factor_method", "totp");
    f.put("kyc_status", "verified");
    return f;
  }

  static String email(CustomerId c) {
    return c.value() + "@customers.example";
  }

  /** One ticket event, signed as the ticket system signs it. */
  private void webhook(String event, String id, CustomerId requester, Optional<StaffId> assignee, String status,
      boolean byStaff, Instant at) throws Exception {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("id", id);
    t.put("requester_id", requester.value());
    assignee.ifPresent(a -> t.put("assignee_id", a.value()));
    t.put("status", status);
    t.put("channel", byStaff ? "phone" : "email");
    t.put("category", "account-access");
    t.put("created_by_staff", byStaff);
    t.put("updated_at", at.toString());
    byte[] body = JSON.writeValueAsBytes(Map.of("event", event, "ticket", t));
    String now = clock.instant().toString();
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/integrations/tickets"))
        .header("Content-Type", "application/json")
        .header(WebhookSignature.SIGNATURE_HEADER, ticketSystem.sign(now, body))
        .header(WebhookSignature.TIMESTAMP_HEADER, now)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> r = exchange(client(address(0)), request);
    expect(r, 200, event + " ticket " + id);
  }

  // ---- security's side

  @Override
  public void restore(StaffId staff, Instant at) throws Exception {
    clock.advanceTo(at);
    HttpResponse<String> r = staffRequest(security, "POST", "/v1/staff/" + staff.value() + "/restore",
        Map.of("reason", "reviewed the alert: ordinary ticket work on a busy day, restoring the agent"));
    if (r.statusCode() != 200 && r.statusCode() != 409) {
      throw new IllegalStateException("restore " + staff.value() + ": HTTP " + r.statusCode() + " " + abbreviated(r.body()));
    }
    Person p = people.get(staff);
    if (p != null) {
      p.cookies.clear(); // the suspension revoked every session
      p.contained = false;
    }
  }

  @Override
  public List<Simulation.RaisedAlert> alerts() throws Exception {
    HttpResponse<String> r = staffRequest(security, "GET", "/v1/alerts?limit=1000", null);
    expect(r, 200, "read the alerts");
    List<Simulation.RaisedAlert> out = new ArrayList<>();
    for (JsonNode a : JSON.readTree(r.body()).path("alerts")) {
      out.add(new Simulation.RaisedAlert(new StaffId(a.path("staff").asText()), Instant.parse(a.path("raisedAt").asText()),
          "suspend".equals(a.path("measure").asText())));
    }
    if (out.size() == 1000) {
      log.println("  warning: 1,000 alerts or more; only the newest 1,000 are scored");
    }
    return out;
  }

  /** Keeps the data directory (and the server's log in it) at close, for a look after a failure. */
  Path keep() {
    deleteOnClose = false;
    return dir;
  }

  /** Requests sent by status class (index 2 for 2xx ...). */
  long[] statusCounts() {
    return statusCounts.clone();
  }

  // ---- HTTP

  private HttpResponse<String> send(Person p, String method, String path, Object body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("User-Agent", p.userAgent);
    if (body != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    if (!p.cookies.isEmpty()) {
      b.header("Cookie", String.join("; ", p.cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }
    if (p.csrf != null && !"GET".equals(method)) {
      b.header("X-CSRF-Token", p.csrf);
    }
    HttpResponse<String> r = exchange(p.client, b.build());
    for (String set : r.headers().allValues("set-cookie")) {
      String pair = set.split(";", 2)[0];
      int eq = pair.indexOf('=');
      if (eq > 0) {
        if (eq == pair.length() - 1) {
          p.cookies.remove(pair.substring(0, eq));
        } else {
          p.cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    if (r.statusCode() == 200 && r.headers().firstValue("content-type").orElse("").startsWith("application/json")
        && r.body().contains("\"csrfToken\"")) {
      JsonNode csrf = JSON.readTree(r.body()).get("csrfToken");
      if (csrf != null && csrf.isTextual()) {
        p.csrf = csrf.textValue();
      }
    }
    return r;
  }

  /** Sends one request, first moving a remote server's clock to the desk's time; counts the answer's status. */
  private HttpResponse<String> exchange(HttpClient client, HttpRequest request) throws Exception {
    if (remote.isPresent() && !clock.instant().equals(serverClock)) {
      Instant at = clock.instant();
      HttpResponse<String> moved = client(address(0)).send(HttpRequest.newBuilder(base.resolve("/v1/simulation/clock"))
          .header("Authorization", "Bearer " + keys.serviceToken()).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("at", at.toString())))).build(),
          HttpResponse.BodyHandlers.ofString());
      if (moved.statusCode() != 200) {
        throw new IllegalStateException("move the server's clock to " + at + ": HTTP " + moved.statusCode() + " "
            + abbreviated(moved.body()) + (moved.statusCode() == 404 ? " (is it a simulation installation, started with "
            + "the configuration custos simulate --prepare wrote?)" : ""));
      }
      serverClock = at;
    }
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    statusCounts[Math.min(5, r.statusCode() / 100)]++;
    return r;
  }

  private static boolean isProblem(HttpResponse<String> r, String slug) {
    if (r.statusCode() < 400 || !r.body().contains(PROBLEM + slug)) {
      return false;
    }
    try {
      return (PROBLEM + slug).equals(JSON.readTree(r.body()).path("type").asText());
    } catch (IOException e) {
      return false;
    }
  }

  private static void expect(HttpResponse<String> r, int status, String what) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + abbreviated(r.body()));
    }
  }

  private static String abbreviated(String body) {
    return body.length() > 300 ? body.substring(0, 300) + "..." : body;
  }

  private static String address(int slot) {
    return "127.0." + (slot / 240) + "." + (10 + slot % 240);
  }

  /** Another loopback address, never an agent's usual one. */
  private String otherAddress() {
    return "127.1." + (addressSeq / 240 % 250) + "." + (10 + addressSeq++ % 240);
  }

  private HttpClient client(String address) {
    return clients.computeIfAbsent(address, a -> {
      try {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).localAddress(InetAddress.getByName(a))
            .connectTimeout(Duration.ofSeconds(10)).build();
      } catch (IOException e) {
        throw new IllegalStateException("cannot use the loopback address " + a, e);
      }
    });
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    for (HttpClient c : clients.values()) {
      c.close();
    }
    clients.clear();
    if (custos != null) {
      custos.close();
      custos = null;
    }
    if (deleteOnClose && Files.exists(dir)) {
      DemoCommand.deleteTree(dir);
    }
  }


}
