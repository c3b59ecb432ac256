package dev.custos.server;

import dev.custos.access.AccessBroker;
import dev.custos.access.AccessEvent;
import dev.custos.access.AccessLedger;
import dev.custos.access.CanonicalJson;
import dev.custos.access.CustomerId;
import dev.custos.access.Purpose;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.access.StaffSubject;
import dev.custos.access.TicketEvent;
import dev.custos.access.TicketId;
import dev.custos.detect.Alert;
import dev.custos.detect.AlertSink;
import dev.custos.detect.AlertStore;
import dev.custos.detect.Assessment;
import dev.custos.detect.DetectionPolicy;
import dev.custos.detect.Detector;
import dev.custos.detect.Measure;
import dev.custos.detect.Observation;
import dev.custos.detect.Reading;
import dev.custos.detect.StaffProfile;
import dev.custos.identity.AuthEvent;
import dev.custos.identity.Session;
import dev.custos.identity.Sessions;
import dev.custos.identity.StaffAdmin;
import dev.custos.identity.StaffDirectory;
import dev.custos.store.DetectionFacts;
import dev.custos.vault.Classification;
import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldSpec;
import dev.custos.vault.FieldValue;
import dev.custos.vault.Mask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detection on the access path: maps what happens (accesses from the broker's bus, sign-ins and
 * restores from the authentication bus, ticket changes from the webhook) to the {@link Detector}'s
 * observations, with the facts it needs, and applies the measure it asks for. Every measure is a
 * {@value #KIND} ledger entry and an alert (stored, delivered to the {@link AlertSink}); a
 * suspension revokes every session of the person before the request that caused it is answered.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Any view, reveal or break-glass naming a decoy contains its author synchronously, whatever
 *       the broker answered: no ticket names a decoy, so only someone who went looking meets one.</li>
 *   <li>Detector state lives in this instance's memory: a restart forgets the windows (baselines are
 *       relearnt), and with several instances each sees only its own requests (docs/detection.md).</li>
 *   <li>A measure is applied even when its ledger entry cannot be written (fail closed); the alert is
 *       then not stored and the security log says so at ERROR.</li>
 * </ul>
 */
final class Containment implements CustomerGuard, IntegrationHooks {
  /** The ledger entry kind of every measure, alert change and restore. */
  static final String KIND = "custos.detection/v1";
  /** How many customers' high-value flags are remembered before the memory starts over. */
  private static final int HIGH_VALUE_CACHE = 100_000;
  /** How many tickets' creation times and customers' last contacts are remembered. */
  private static final int TICKET_MEMORY = 200_000;
  private static final Logger securityLog = LoggerFactory.getLogger("custos.security");

  /** How detection is set up on this instance. */
  record Settings(DetectionPolicy policy, Duration throttleInterval) {
    static Settings defaults() {
      return of(DetectionPolicy.defaults());
    }

    /** {@code policy} with the default throttle interval (20 s between requests of a throttled person). */
    static Settings of(DetectionPolicy policy) {
      return new Settings(policy, Duration.ofSeconds(20));
    }
  }

  private final Detector detector;
  private final List<Assessment> rises = new ArrayList<>();
  private final Settings settings;
  private final FieldCatalogue catalogue;
  private final Optional<DecoyDesk> decoys;
  private final DetectionFacts facts;
  private final AlertStore alerts;
  private final AlertSink sink;
  private final AccessLedger ledger;
  private final StaffAdmin admin;
  private final Sessions sessions;
  private final StaffDirectory directory;
  private final MeterRegistry meters;
  private final InstantSource clock;
  private final Map<StaffId, StaffSubject> subjects = new ConcurrentHashMap<>();
  private final Map<StaffId, Instant> stepUpSince = new ConcurrentHashMap<>();
  private final Map<StaffId, Instant> throttledNext = new ConcurrentHashMap<>();
  private final Set<StaffId> throttled = ConcurrentHashMap.newKeySet();
  private final Set<StaffId> contained = ConcurrentHashMap.newKeySet();
  private final Map<StaffId, Set<String>> seenAddresses = new ConcurrentHashMap<>();
  private final Map<StaffId, Set<String>> seenDevices = new ConcurrentHashMap<>();
  private final Map<TicketId, Instant> ticketCreated = new ConcurrentHashMap<>();
  private final Map<CustomerId, Instant> lastContact = new ConcurrentHashMap<>();
  private final Map<CustomerId, Boolean> highValue = new ConcurrentHashMap<>();

  Containment(Settings settings, FieldCatalogue catalogue, Optional<DecoyDesk> decoys, DetectionFacts facts,
      AlertStore alerts, AlertSink sink, AccessLedger ledger, StaffAdmin admin, Sessions sessions, StaffDirectory directory,
      MeterRegistry meters, InstantSource clock) {
    this.directory = directory;
    this.settings = settings;
    this.catalogue = catalogue;
    this.decoys = decoys;
    this.facts = facts;
    this.alerts = alerts;
    this.sink = sink;
    this.ledger = ledger;
    this.admin = admin;
    this.sessions = sessions;
    this.meters = meters;
    this.clock = clock;
    this.detector = new Detector(settings.policy(), rises::add);
  }

  // ---- the customer routes' gate

  @Override
  public void admit(AccessBroker.Actor actor) {
    StaffSubject s = actor.staff();
    if (subjects.put(s.id(), s) == null) {
      synchronized (detector) {
        detector.enrol(profile(s));
      }
    }
    if (contained.contains(s.id())) {
      throw new ApiException(Problem.of(ProblemType.CONTAINED, "your account is suspended; ask security"));
    }
    if (s.active() && measure(s.id()) == Measure.SUSPEND) {
      // Suspended here, active in the directory: restored elsewhere (another instance, custos staff restore).
      forget(s.id());
    }
    Instant since = stepUpSince.get(s.id());
    if (since != null && (actor.mfaAt().isEmpty() || actor.mfaAt().get().isBefore(since))) {
      throw new ApiException(Problem.of(ProblemType.STEP_UP_REQUIRED,
          "confirm a second factor again (POST /v1/session/step-up) before the next customer access")
          .with("reason", "step-up-required"));
    }
    if (throttled.contains(s.id())) {
      Instant now = clock.instant();
      Instant next = throttledNext.get(s.id());
      if (next != null && now.isBefore(next)) {
        long seconds = Math.max(1, Duration.between(now, next).toSeconds());
        throw new ApiException(Problem.of(ProblemType.QUOTA_EXCEEDED, "customer accesses are slowed down for you; retry in "
            + seconds + " s").with("quota", "containment-throttle").with("retryAfter", seconds));
      }
      throttledNext.put(s.id(), now.plus(settings.throttleInterval()));
    }
  }

  @Override
  public boolean hides(StaffId viewer, CustomerId customer) {
    return decoys.isPresent() && decoys.get().isDecoy(customer) && !decoys.get().assigned(viewer, customer);
  }

  // ---- the buses

  /** The access bus: each access mapped to an observation. */
  void onAccess(AccessEvent e) {
    boolean onShift = onShift(e.staff(), e.at());
    Observation o = switch (e.action()) {
      case SEARCH -> new Observation.Search(e.at(), e.staff(), e.customersShown(), onShift);
      case VIEW, REVEAL, BREAK_GLASS -> e.customer().map(c -> touch(e, c, onShift)).orElse(null);
    };
    if (o != null) {
      observe(o);
    }
  }

  private Observation.Touch touch(AccessEvent e, CustomerId c, boolean onShift) {
    boolean decoy = isDecoy(c);
    boolean permitted = "permit".equals(e.decision());
    // A refused or hidden request still says whom the person went looking for: counted, on no ticket.
    Observation.Basis basis = !permitted ? Observation.Basis.NONE : switch (e.purpose()) {
      case Purpose.Ticket t -> Observation.Basis.OWN_TICKET;
      case Purpose.Case k -> Observation.Basis.CASE;
      case Purpose.BreakGlass b -> Observation.Basis.BREAK_GLASS;
      case Purpose.None n -> Observation.Basis.NONE;
    };
    boolean reveal = e.action() == dev.custos.access.Action.REVEAL && permitted;
    Classification most = reveal && e.plan().isPresent()
        ? mostSensitive(e.plan().get().asMap().entrySet().stream().filter(f -> f.getValue() == Mask.NONE)
            .map(Map.Entry::getKey).toList())
        : Classification.PUBLIC;
    return new Observation.Touch(e.at(), e.staff(), c, reveal, most, basis, highValue(c), decoy, onShift);
  }

  /** The most sensitive classification among {@code revealed} (public for none; secret for a field not in the catalogue). */
  Classification mostSensitive(java.util.Collection<Field> revealed) {
    Classification most = Classification.PUBLIC;
    for (Field f : revealed) {
      Classification k = catalogue.spec(f).map(FieldSpec::classification).orElse(Classification.SECRET);
      if (k.compareTo(most) > 0) {
        most = k;
      }
    }
    return most;
  }

  /** Whether {@code staff} is on shift at {@code at} (true for someone without a shift or not known here). */
  boolean onShift(StaffId staff, Instant at) {
    StaffSubject s = subjects.get(staff);
    return s == null || s.shift().isEmpty() || s.shift().get().onShift(at);
  }

  /** Whether {@code customer} is one of the decoys. */
  boolean isDecoy(CustomerId customer) {
    return decoys.isPresent() && decoys.get().isDecoy(customer);
  }

  /**
   * Relearns observations of the past, in time order, without applying any measure: what they called
   * for was applied (or not) when they happened, and is in the ledger and the database. Staff not
   * enrolled yet are enrolled from the directory first, so that their shift and peer group are known.
   */
  void relearn(List<Observation> past) {
    synchronized (detector) {
      for (Observation o : past) {
        enrolFromDirectory(o.staff());
        detector.observe(o);
      }
      rises.clear();
    }
  }

  /** Makes sure {@code staff} is enrolled (their shift known) before their past is relearnt. */
  void enrol(StaffId staff) {
    synchronized (detector) {
      enrolFromDirectory(staff);
    }
  }

  /** The authentication bus: sign-ins (new device or address) and restores. */
  void onAuth(AuthEvent e) {
    if (e.staff().isEmpty()) {
      return;
    }
    StaffId staff = e.staff().get();
    switch (e.type()) {
      case LOGIN_SUCCEEDED -> {
        String address = e.address().orElse("");
        String device = e.session().flatMap(h -> sessions.live(staff).stream().filter(x -> x.handle().equals(h))
            .findFirst()).map(Session::userAgent).orElse("");
        Set<String> addresses = seenAddresses.computeIfAbsent(staff, k -> ConcurrentHashMap.newKeySet());
        Set<String> devices = seenDevices.computeIfAbsent(staff, k -> ConcurrentHashMap.newKeySet());
        // The first sign-in this instance sees is the baseline, not news (it forgets at restart).
        boolean newAddress = !addresses.isEmpty() && !addresses.contains(address);
        boolean newDevice = !devices.isEmpty() && !devices.contains(device);
        addresses.add(address);
        devices.add(device);
        observe(new Observation.SessionStart(e.at(), staff, newDevice, newAddress));
      }
      case STAFF_RESTORED -> restored(staff, e.detail().getOrDefault("analyst", ""), e.detail().getOrDefault("reason", ""),
          e.at());
      default -> { }
    }
  }

  // ---- integrations

  @Override
  public boolean ignoresTicket(TicketEvent e) {
    if (decoys.isEmpty() || !decoys.get().isDecoy(e.requester())) {
      return false;
    }
    // No real ticket names a decoy. One created by staff is someone reaching for a decoy: a touch.
    if (e.createdByStaff() && e.assignee().isPresent()) {
      observe(new Observation.Touch(e.occurredAt(), e.assignee().get(), e.requester(), false, Classification.PUBLIC,
          Observation.Basis.NONE, false, true, true));
    } else {
      securityLog.warn("SECURITY a ticket names a decoy customer (ticket {}); ignored", e.id().value());
    }
    return true;
  }

  @Override
  public void ticketApplied(TicketEvent e) {
    try {
      observeTicket(e);
    } catch (RuntimeException ex) {
      // The ticket is applied and recorded; detection missing one fact must not fail the delivery.
      securityLog.error("SECURITY detection could not read ticket {}: {}", e.id().value(), ex.toString());
    }
  }

  private void observeTicket(TicketEvent e) {
    if (ticketCreated.size() >= TICKET_MEMORY || lastContact.size() >= TICKET_MEMORY) {
      // Bounded: after a restart or a clear, detection knows fewer creation times and contacts (fail
      // towards "not a quick close" and "not in contact", the latter counting as self-created).
      ticketCreated.clear();
      lastContact.clear();
    }
    if (e.type() == TicketEvent.Type.CREATED) {
      ticketCreated.putIfAbsent(e.id(), e.occurredAt());
      if (!e.createdByStaff()) {
        lastContact.put(e.requester(), e.occurredAt());
      }
    }
    if (e.assignee().isEmpty()) {
      return;
    }
    StaffId staff = e.assignee().get();
    Instant created = ticketCreated.getOrDefault(e.id(), Instant.EPOCH);
    Observation.TicketFact.Kind kind;
    if (e.type() == TicketEvent.Type.SOLVED || e.type() == TicketEvent.Type.CLOSED) {
      kind = Observation.TicketFact.Kind.CLOSED;
    } else if (e.type() == TicketEvent.Type.CREATED && e.createdByStaff()) {
      kind = Observation.TicketFact.Kind.CREATED_BY_SELF;
    } else {
      kind = Observation.TicketFact.Kind.ASSIGNED;
    }
    Instant contact = lastContact.get(e.requester());
    boolean inContact = !e.createdByStaff()
        || contact != null && contact.isAfter(e.occurredAt().minus(Duration.ofDays(30)));
    observe(new Observation.TicketFact(e.occurredAt(), staff, kind, e.requester(), created, inContact));
  }

  @Override
  public void customerStored(CustomerId customer, Map<Field, FieldValue> fields) {
    Optional<Boolean> high = HighValue.of(fields);
    if (high.isPresent()) {
      facts.setHighValue(customer, high.get(), clock.instant());
      highValue.put(customer, high.get());
    }
  }

  private boolean highValue(CustomerId c) {
    Boolean known = highValue.get(c);
    if (known != null) {
      return known;
    }
    boolean v;
    try {
      v = facts.highValue(c);
    } catch (RuntimeException e) {
      return false;
    }
    if (highValue.size() >= HIGH_VALUE_CACHE) {
      highValue.clear(); // bounded: a desk touches far fewer customers than the vault holds
    }
    highValue.put(c, v);
    return v;
  }

  // ---- measures

  private void observe(Observation o) {
    List<Assessment> now;
    synchronized (detector) {
      // Someone not seen through the customer routes yet (a ticket assignee, a sign-in).
      enrolFromDirectory(o.staff());
      detector.observe(o);
      now = List.copyOf(rises);
      rises.clear();
    }
    for (Assessment a : now) {
      apply(a);
    }
  }

  /** Applies one rise of a person's measure: ledger entry, the measure itself, alert, log, metric, delivery. */
  void apply(Assessment a) {
    StaffId staff = a.staff();
    OptionalIndex index = record(measureEntry(a));
    String alertId = index.present ? "alert-" + index.value : null;
    switch (a.measure()) {
      case STEP_UP -> stepUpSince.put(staff, a.at());
      case THROTTLE -> throttled.add(staff);
      case SUSPEND -> {
        // Held here until the directory's suspension is written; kept only if it cannot be.
        contained.add(staff);
        try {
          StaffAdmin.Outcome<Integer> o = admin.suspend(staff, "contained by detection"
              + (alertId == null ? "" : " (" + alertId + ")") + ": " + summary(a), "custos.detection");
          if (o instanceof StaffAdmin.Outcome.Done<Integer>) {
            contained.remove(staff);
          } else {
            securityLog.error("SECURITY detection could not suspend {}: {}; held on this instance", staff, o);
          }
        } catch (RuntimeException e) {
          securityLog.error("SECURITY detection could not suspend {} in the database ({}); held on this instance",
              staff, e.toString());
        }
      }
      default -> { }
    }
    Counter.builder("custos.security.alerts").description("Security alerts raised").tag("kind", a.measure().wireName())
        .register(meters).increment();
    if (a.measure() == Measure.SUSPEND) {
      securityLog.error("SECURITY PAGE {} contained (ledger index {}): {}", staff, index.present ? index.value : "none",
          a.explain());
    } else {
      securityLog.warn("SECURITY ALERT {} (ledger index {}): {}", a.measure().wireName(),
          index.present ? index.value : "none", a.explain());
    }
    if (alertId == null) {
      securityLog.error("SECURITY the detection entry for {} was not recorded; the alert is not stored", staff);
      return;
    }
    Alert alert = new Alert(alertId, a, index.value);
    try {
      alerts.add(alert);
    } catch (RuntimeException e) {
      securityLog.error("SECURITY alert {} could not be stored: {}", alertId, e.toString());
    }
    sink.deliver(alert);
  }

  private void restored(StaffId staff, String analyst, String reason, Instant at) {
    forget(staff);
    Map<String, Object> e = base("restore", at);
    e.put("staff", staff.value());
    e.put("analyst", analyst);
    e.put("reason_sha256", sha256(reason));
    record(e);
    securityLog.warn("SECURITY {} restored by {}", staff, analyst);
  }

  /** Lifts every measure this instance holds for {@code staff}; the detector keeps their baseline. */
  private void forget(StaffId staff) {
    synchronized (detector) {
      detector.restore(staff);
    }
    contained.remove(staff);
    throttled.remove(staff);
    throttledNext.remove(staff);
    stepUpSince.remove(staff);
  }

  /** Writes a {@value #KIND} entry for an alert's change; the index, or a 503 if the ledger did not take it. */
  long recordAlertChange(String event, String alertId, StaffId by, Map<String, Object> detail) {
    Map<String, Object> e = base(event, clock.instant());
    e.put("alert", alertId);
    e.put("by", by.value());
    e.putAll(detail);
    OptionalIndex i = record(e);
    if (!i.present) {
      throw CustomerRoutes.unrecorded();
    }
    return i.value;
  }

  private Map<String, Object> measureEntry(Assessment a) {
    Map<String, Object> e = base("measure", a.at());
    e.put("staff", a.staff().value());
    e.put("measure", a.measure().wireName());
    e.put("risk", figure(a.risk()));
    List<Object> signals = new ArrayList<>();
    for (Reading r : a.readings()) {
      Map<String, Object> s = new TreeMap<>();
      s.put("signal", r.signal().wireName());
      s.put("value", figure(r.value()));
      s.put("own", figure(r.ownBaseline()));
      s.put("peers", figure(r.peerBaseline()));
      s.put("surprise", figure(r.surprise()));
      signals.add(s);
    }
    e.put("signals", signals);
    return e;
  }

  static Map<String, Object> base(String event, Instant at) {
    Map<String, Object> e = new TreeMap<>();
    e.put("kind", KIND);
    e.put("event", event);
    e.put("at", at.toString());
    return e;
  }

  private record OptionalIndex(boolean present, long value) {}

  private OptionalIndex record(Map<String, Object> entry) {
    try {
      return new OptionalIndex(true, ledger.append(CanonicalJson.encode(entry)).index());
    } catch (AccessLedger.Unavailable | RuntimeException e) {
      securityLog.error("SECURITY a {} entry was not recorded: {}", KIND, e.toString());
      return new OptionalIndex(false, -1);
    }
  }

  /** The measure now held for {@code staff} on this instance. */
  Measure measure(StaffId staff) {
    synchronized (detector) {
      return detector.measure(staff);
    }
  }

  /** The latest assessment of {@code staff} with its explanation (the console's risk board). */
  Assessment assess(StaffId staff) {
    synchronized (detector) {
      return detector.assess(staff);
    }
  }

  /** The detection policy (its thresholds scale the console's risk chart). */
  DetectionPolicy policy() {
    return settings.policy();
  }

  /** Everyone this instance's detector has seen. */
  Set<StaffId> watched() {
    return Set.copyOf(subjects.keySet());
  }

  Optional<DecoyDesk> decoys() {
    return decoys;
  }

  /** Enrols {@code id} from the staff directory unless already enrolled (no lookup then). */
  private void enrolFromDirectory(StaffId id) {
    if (subjects.containsKey(id)) {
      return;
    }
    try {
      directory.find(id).ifPresent(a -> {
        StaffSubject s = new StaffSubject(a.id(), a.roles(), a.isActive(), a.team(), a.shift());
        if (subjects.putIfAbsent(id, s) == null) {
          detector.enrol(profile(s));
        }
      });
    } catch (RuntimeException e) {
      // Unknown or unreadable: the detector puts them in a group of their own (no peers to hide among).
    }
  }

  private static StaffProfile profile(StaffSubject s) {
    Role main = s.roles().stream().sorted().findFirst().orElse(Role.SUPPORT_L1);
    return new StaffProfile(s.id(), s.team().orElse(""), main, s.shift().map(Object::toString).orElse("none"));
  }

  private static String summary(Assessment a) {
    String text = a.explain();
    return text.length() <= 400 ? text : text.substring(0, 397) + "...";
  }

  /** Figures in entries as strings of four significant digits: canonical JSON has no floating point. */
  static String figure(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "inf";
  }

  static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}
