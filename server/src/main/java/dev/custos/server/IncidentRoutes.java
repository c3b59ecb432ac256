package dev.custos.server;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.detect.AlertStore;
import dev.custos.detect.TrackedAlert;
import dev.custos.incident.Exposure;
import dev.custos.incident.Incident;
import dev.custos.incident.IncidentDesk;
import dev.custos.incident.IncidentId;
import dev.custos.incident.IncidentStatus;
import dev.custos.incident.IncidentStep;
import dev.custos.incident.NotificationState;
import dev.custos.incident.NotificationStore;
import dev.custos.vault.Commitment;
import dev.custos.access.CustomerId;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Incidents for security analysts (only them: an incident names suspects and, through its scope,
 * customers): open, list and read them with their timeline, move them along (open → contained →
 * notifying → closed), assign an owner, record containment and remediation; read the scope as JSON
 * or CSV ({@code Accept: text/csv}), start or continue the customer notifications and read their
 * status, and read the regulator report as JSON or a printable page ({@code Accept: text/html}). Every
 * step, reads included, is a {@code custos.incident/v1} entry written before it takes effect: if the
 * ledger does not take it, the answer is 503 and nothing changed or was shown.
 */
final class IncidentRoutes {
  private static final String TAG = "incidents";
  private static final Set<Role> ANALYSTS = Set.of(Role.SECURITY_ANALYST);

  record OpenRequest(String title, List<String> suspects, String from, String to, String notes) {}

  record StatusRequest(String status, Long version) {}

  record AssignRequest(String owner, Long version) {}

  record ActionRequest(String type, String text) {}

  /** What the routes need besides the desk. */
  record Services(IncidentDesk desk, IncidentScopes scopes, NotificationStore notifications,
      Optional<Notifier> notifier, AlertStore alerts, Predicate<StaffId> isAnalyst, Predicate<StaffId> isActive,
      java.time.InstantSource clock) {}

  private IncidentRoutes() {}

  static List<ApiRoute> all(Services s, StaffAuth auth) {
    IncidentDesk desk = s.desk();
    return List.of(
        ApiRoute.post("/v1/incidents", "openIncident",
            "Open an incident: {\"title\",\"suspects\":[staff ids],\"from\",\"to\" (ISO-8601),\"notes\"}", TAG,
            "application/json", Map.of(201, "Opened", 400, "A bad field (named)", 503, "The ledger did not take the entry"),
            ctx -> {
              StaffId by = StaffAuth.context(ctx).account().id();
              OpenRequest req = Json.read(ctx, OpenRequest.class);
              Incident opened = open(desk, by, req);
              ctx.status(201);
              ctx.json(view(opened, desk.timeline(opened.id())));
            })
            .requiringStaffSession(auth, ANALYSTS),
        ApiRoute.get("/v1/incidents", "listIncidents",
            "Incidents, newest first (?status=open|contained|notifying|closed, ?limit=1..1000, default 100)", TAG,
            "application/json", Map.of(200, "The incidents", 400, "A bad status or limit (parameter named)"),
            ctx -> {
              Optional<IncidentStatus> status = Optional.ofNullable(ctx.queryParam("status"))
                  .map(v -> parseParameter("status", () -> IncidentStatus.parse(v)));
              int limit = HttpApi.limit(ctx.queryParam("limit"));
              ctx.json(Map.of("incidents", desk.list(status, limit).stream().map(i -> view(i, null)).toList()));
            })
            .requiringStaffSession(auth, ANALYSTS),
        ApiRoute.get("/v1/incidents/{id}", "getIncident", "One incident with its timeline", TAG, "application/json",
            Map.of(200, "The incident", 400, "A malformed id", 404, "No such incident"),
            ctx -> {
              Incident i = find(desk, ctx);
              ctx.json(view(i, desk.timeline(i.id())));
            })
            .requiringStaffSession(auth, ANALYSTS),
        ApiRoute.post("/v1/incidents/{id}/status", "moveIncident",
            "Move an incident on: {\"status\":\"contained|notifying|closed\",\"version\":n} (the version read)", TAG,
            "application/json", Map.of(200, "Moved", 400, "A bad status or version (field named)", 404,
                "No such incident", 409, "Stale version or a move the status does not allow", 503,
                "The ledger did not take the entry"),
            ctx -> {
              StaffId by = StaffAuth.context(ctx).account().id();
              IncidentId id = id(ctx);
              StatusRequest req = Json.read(ctx, StatusRequest.class);
              IncidentStatus next = parse("status", () -> IncidentStatus.parse(required("status", req.status())));
              long version = version(req.version());
              IncidentDesk.Result.Done d = done(desk.move(by, id, version, next));
              answer(ctx, desk, d);
            })
            .requiringStaffSession(auth, ANALYSTS),
        ApiRoute.post("/v1/incidents/{id}/assign", "assignIncident",
            "Give an incident to a security analyst: {\"owner\":\"…\",\"version\":n}", TAG, "application/json",
            Map.of(200, "Assigned", 400, "A bad owner or version (field named)", 404, "No such incident", 409,
                "Stale version or closed", 503, "The ledger did not take the entry"),
            ctx -> {
              StaffId by = StaffAuth.context(ctx).account().id();
              IncidentId id = id(ctx);
              AssignRequest req = Json.read(ctx, AssignRequest.class);
              StaffId owner = parse("owner", () -> StaffId.parse(required("owner", req.owner())));
              long version = version(req.version());
              if (!s.isAnalyst().test(owner)) {
                throw field("owner", "owner: " + owner.value() + " is not an active security analyst");
              }
              answer(ctx, desk, done(desk.assign(by, id, version, owner)));
            })
            .requiringStaffSession(auth, ANALYSTS),
        ApiRoute.post("/v1/incidents/{id}/actions", "recordIncidentAction",
            "Record a containment or remediation measure or a note: {\"type\":\"containment|remediation|note\",\"text\"}",
            TAG, "application/json", Map.of(200, "Recorded", 400, "A bad type or text (field named)", 404,
                "No such incident", 503, "The ledger did not take the entry"),
            ctx -> {
              StaffId by = StaffAuth.context(ctx).account().id();
              IncidentId id = id(ctx);
              ActionRequest req = Json.read(ctx, ActionRequest.class);
              IncidentDesk.ActionType type = parse("type", () -> IncidentDesk.ActionType.parse(required("type", req.type())));
              String text = req.text() == null ? "" : req.text().strip();
              if (text.isEmpty() || text.length() > IncidentStep.MAX_TEXT) {
                throw field("text", "text: 1 to " + IncidentStep.MAX_TEXT + " characters");
              }
              answer(ctx, desk, done(desk.act(by, id, type, text)));
            })
            .requiringStaffSession(auth, ANALYSTS),
        ApiRoute.get("/v1/incidents/{id}/scope", "getIncidentScope",
            "The incident's scope: customers (ids), fields masked or revealed, when, counts by data category and "
                + "jurisdiction; CSV with Accept: text/csv. Recorded in the ledger.", TAG, "application/json",
            Map.of(200, "The scope (JSON or CSV)", 400, "A malformed id", 404, "No such incident", 503,
                "The ledger did not take the entry, or the access index cannot be read"),
            ctx -> {
              StaffId by = StaffAuth.context(ctx).account().id();
              Incident i = find(desk, ctx);
              boolean csv = wants(ctx, "text/csv");
              IncidentScopes.View v = scope(s, i, by, csv ? "csv" : "json", "scope.read");
              if (csv) {
                ctx.header("Content-Disposition", "attachment; filename=\"" + i.id().value() + "-scope.csv\"");
                ctx.contentType("text/csv; charset=utf-8").result(csv(v));
              } else {
                ctx.json(scopeView(i, v, true));
              }
            })
            .requiringStaffSession(auth, ANALYSTS),
        ApiRoute.post("/v1/incidents/{id}/notify", "notifyIncidentCustomers",
            "Start or continue notifying the incident's customers by e-mail (the incident must be notifying); at most "
                + "once per customer", TAG, "application/json",
            Map.of(202, "Queued; sending in the background", 404, "No such incident", 409, "Not notifying", 503,
                "Notifications are off (no notify.smtp.host), or the ledger did not take the entry"),
            ctx -> {
              StaffId by = StaffAuth.context(ctx).account().id();
              Incident i = find(desk, ctx);
              Map<String, Object> body = notifyCustomers(s, i, by);
              ctx.status(202);
              ctx.json(body);
            })
            .requiringStaffSession(auth, ANALYSTS),
        ApiRoute.get("/v1/incidents/{id}/notifications", "getIncidentNotifications",
            "How many of the incident's notifications are pending, sending, sent, retrying, uncertain, failed or "
                + "unreachable, and which customers' need a person (uncertain, failed, unreachable)", TAG, "application/json", Map.of(200, "The counts", 404, "No such incident"),
            ctx -> {
              Incident i = find(desk, ctx);
              Map<String, Object> body = notificationsView(s.notifications(), i.id());
              // What needs a person: uncertain (check the SMTP log by Message-ID), failed, unreachable.
              List<Map<String, Object>> attention = new ArrayList<>();
              for (dev.custos.incident.Notification n : s.notifications().list(i.id())) {
                if (n.state() == NotificationState.UNCERTAIN || n.state() == NotificationState.FAILED
                    || n.state() == NotificationState.UNREACHABLE) {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("customer", n.customerId().value());
                  m.put("commitment", n.customer().hex());
                  m.put("state", n.state().wireName());
                  n.error().ifPresent(e -> m.put("reason", e));
                  m.put("attempts", n.attempts());
                  m.put("updatedAt", n.updatedAt().toString());
                  attention.add(m);
                }
              }
              body.put("needsAttention", attention);
              ctx.json(body);
            })
            .requiringStaffSession(auth, ANALYSTS),
        ApiRoute.get("/v1/incidents/{id}/report", "getIncidentReport",
            "The regulator report: counts by data category and jurisdiction, timeline, containment, remediation, "
                + "notifications; a printable page with Accept: text/html. Recorded in the ledger.", TAG,
            "application/json", Map.of(200, "The report (JSON or HTML)", 404, "No such incident", 503,
                "The ledger did not take the entry, or the access index cannot be read"),
            ctx -> {
              StaffId by = StaffAuth.context(ctx).account().id();
              Incident i = find(desk, ctx);
              boolean html = wants(ctx, "text/html");
              IncidentScopes.View v = scope(s, i, by, html ? "html" : "json", "report.read");
              Map<String, Object> report = report(s, i, v);
              if (html) {
                ctx.contentType("text/html; charset=utf-8").result(IncidentReportPage.render(report));
              } else {
                ctx.json(report);
              }
            })
            .requiringStaffSession(auth, ANALYSTS),
        ApiRoute.get("/assets/incident-report.css", "incidentReportStylesheet",
            "The regulator report page's stylesheet (screen and print)", "console", "text/css", Map.of(200, "CSS"),
            SystemRoutes.resource("incident-report.css", "text/css; charset=utf-8", true)));
  }

  /** Checks an opening request field by field (400 naming the field) and opens the incident (the API and the console). */
  static Incident open(IncidentDesk desk, StaffId by, OpenRequest req) {
    String title = required("title", req.title()).strip();
    if (title.isEmpty() || title.length() > Incident.MAX_TITLE || title.chars().anyMatch(c -> c < 0x20)) {
      throw field("title", "title: 1 to " + Incident.MAX_TITLE + " characters on one line");
    }
    String notes = req.notes() == null ? "" : req.notes();
    if (notes.length() > Incident.MAX_NOTES) {
      throw field("notes", "notes: at most " + Incident.MAX_NOTES + " characters");
    }
    if (req.suspects() == null || req.suspects().isEmpty() || req.suspects().size() > Incident.MAX_SUSPECTS) {
      throw field("suspects", "suspects: 1 to " + Incident.MAX_SUSPECTS + " staff ids");
    }
    Set<StaffId> suspects = new LinkedHashSet<>();
    for (String id : req.suspects()) {
      suspects.add(parse("suspects", () -> StaffId.parse(id)));
    }
    Instant from = parse("from", () -> Instant.parse(required("from", req.from())));
    Instant to = parse("to", () -> Instant.parse(required("to", req.to())));
    if (!from.isBefore(to)) {
      throw field("to", "to: the window must end after it starts");
    }
    return done(desk.open(by, title, notes, suspects, from, to)).incident();
  }

  /**
   * Starts or continues notifying {@code i}'s customers, as {@code by}: the run is recorded before anything
   * is queued; the answer is the notification counts with {@code queuedNow}, {@code unresolved} and
   * {@code ledgerIndex}. The API route and the console both call this.
   */
  static Map<String, Object> notifyCustomers(Services s, Incident i, StaffId by) {
    if (s.notifier().isEmpty()) {
      throw new ApiException(Problem.of(ProblemType.NOT_READY,
          "customer notifications are off: set notify.smtp.host and notify.from"));
    }
    if (i.status() != IncidentStatus.NOTIFYING) {
      throw new ApiException(Problem.of(ProblemType.CONFLICT, "incident " + i.id() + " is "
          + i.status().wireName() + "; move it to notifying first (contain before you notify)"));
    }
    dev.custos.incident.Scope scope = indexed(() -> s.scopes().scope(i));
    Map<Commitment, CustomerId> customers = new LinkedHashMap<>();
    int unresolved = 0;
    for (Exposure e : scope.exposures()) {
      Optional<CustomerId> c = s.scopes().directory().resolve(e.customer());
      if (c.isPresent()) {
        customers.put(e.customer(), c.get());
      } else {
        unresolved++;
      }
    }
    // The run is recorded before anything is queued: if the ledger refuses, nothing is.
    Map<String, Object> members = new TreeMap<>();
    members.put("customers", (long) scope.exposures().size());
    members.put("unresolved", (long) unresolved);
    members.put("covered_size", scope.coveredSize());
    IncidentDesk.Result.Done d = done(s.desk().record(by.value(), i.id(), "notify", members,
        Map.of("customers", Integer.toString(scope.exposures().size()),
            "unresolved", Integer.toString(unresolved))));
    int queued = s.notifications().enqueue(i.id(), customers, s.clock().instant());
    s.notifier().get().wake();
    Map<String, Object> body = notificationsView(s.notifications(), i.id());
    body.put("queuedNow", queued);
    body.put("unresolved", unresolved);
    body.put("ledgerIndex", d.ledgerIndex());
    return body;
  }

  /** Records the read (entry first), then computes the scope and reads the jurisdictions (entries too). */
  static IncidentScopes.View scope(Services s, Incident i, StaffId by, String format, String event) {
    dev.custos.incident.Scope preview = indexed(() -> s.scopes().scope(i));
    Map<String, Object> members = new TreeMap<>();
    members.put("format", format);
    members.put("customers", (long) preview.exposures().size());
    members.put("covered_size", preview.coveredSize());
    done(s.desk().record(by.value(), i.id(), event, members,
        Map.of("format", format, "customers", Integer.toString(preview.exposures().size()))));
    try {
      return indexed(() -> {
        try {
          return s.scopes().view(i, preview, by.value());
        } catch (IncidentScopes.Unrecorded e) {
          throw new UnrecordedRead(e);
        }
      });
    } catch (UnrecordedRead e) {
      throw CustomerRoutes.unrecorded();
    }
  }

  private static final class UnrecordedRead extends RuntimeException {
    UnrecordedRead(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /** Runs an index query; an index that cannot be read is a 503, never a partial answer. */
  private static <T> T indexed(java.util.function.Supplier<T> query) {
    try {
      return query.get();
    } catch (UnrecordedRead e) {
      throw e;
    } catch (IllegalStateException e) {
      throw new ApiException(Problem.of(ProblemType.NOT_READY, "the access index cannot be read right now; retry"));
    }
  }

  static Map<String, Object> view(Incident i, List<IncidentStep> timeline) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", i.id().value());
    m.put("title", i.title());
    m.put("notes", i.notes());
    m.put("suspects", i.suspects().stream().map(StaffId::value).toList());
    m.put("from", i.from().toString());
    m.put("to", i.to().toString());
    m.put("status", i.status().wireName());
    m.put("next", i.status().next().stream().map(IncidentStatus::wireName).toList());
    i.owner().ifPresent(o -> m.put("owner", o.value()));
    m.put("openedBy", i.openedBy().value());
    m.put("openedAt", i.openedAt().toString());
    m.put("updatedAt", i.updatedAt().toString());
    m.put("version", i.version());
    if (timeline != null) {
      m.put("timeline", timeline.stream().map(IncidentRoutes::step).toList());
    }
    return m;
  }

  static Map<String, Object> step(IncidentStep s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", s.at().toString());
    m.put("by", s.by());
    m.put("event", s.event());
    m.put("detail", new TreeMap<>(s.detail()));
    s.text().ifPresent(t -> m.put("text", t));
    m.put("ledgerIndex", s.ledgerIndex());
    return m;
  }

  static Map<String, Object> scopeView(Incident i, IncidentScopes.View v, boolean customers) {
    dev.custos.incident.Scope scope = v.scope();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("incident", i.id().value());
    m.put("staff", i.suspects().stream().map(StaffId::value).toList());
    m.put("from", scope.from().toString());
    m.put("to", scope.to().toString());
    m.put("coveredSize", scope.coveredSize());
    m.put("accesses", scope.accesses());
    m.put("customers", scope.exposures().size());
    m.put("unresolved", scope.exposures().size() - v.resolved().size());
    Map<String, Integer> categories = new LinkedHashMap<>();
    scope.customersByCategory().forEach((c, n) -> categories.put(c.wireName(), n));
    m.put("byCategory", categories);
    m.put("byJurisdiction", v.byJurisdiction());
    Map<String, Object> fields = new LinkedHashMap<>();
    scope.customersByField().forEach((f, c) -> fields.put(f, Map.of("customers", c[0], "revealed", c[1])));
    m.put("byField", fields);
    if (customers) {
      List<Map<String, Object>> exposures = new ArrayList<>();
      for (Exposure e : scope.exposures()) {
        Map<String, Object> x = ScopeDocuments.exposure(e, v.id(e));
        x.put("jurisdiction", v.jurisdictions().getOrDefault(e.customer(), "unknown"));
        exposures.add(x);
      }
      m.put("exposures", exposures);
    }
    return m;
  }

  /** One line per customer; cells that a spreadsheet would run as a formula are quoted with a leading apostrophe. */
  static String csv(IncidentScopes.View v) {
    StringBuilder out = new StringBuilder("customer_id,commitment,jurisdiction,first,last,accesses,staff,fields\r\n");
    for (Exposure e : v.scope().exposures()) {
      List<String> fields = new ArrayList<>();
      e.fields().forEach((f, how) -> fields.add(f + "=" + (how == Exposure.Shown.REVEALED ? "revealed" : "masked")));
      List<String> cells = List.of(v.id(e).map(CustomerId::value).orElse(""), e.customer().hex(),
          v.jurisdictions().getOrDefault(e.customer(), "unknown"), e.first().toString(), e.last().toString(),
          Integer.toString(e.accesses()), String.join(";", e.staff().stream().map(StaffId::value).toList()),
          String.join(";", fields));
      for (int k = 0; k < cells.size(); k++) {
        out.append(k == 0 ? "" : ",").append(cell(cells.get(k)));
      }
      out.append("\r\n");
    }
    return out.toString();
  }

  static String cell(String value) {
    String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }

  static Map<String, Object> notificationsView(NotificationStore store, IncidentId id) {
    Map<NotificationState, Integer> counts = store.counts(id);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("incident", id.value());
    Map<String, Integer> byState = new LinkedHashMap<>();
    int total = 0;
    for (NotificationState st : NotificationState.values()) {
      int n = counts.getOrDefault(st, 0);
      byState.put(st.wireName(), n);
      total += n;
    }
    m.put("total", total);
    m.put("byState", byState);
    m.put("done", counts.entrySet().stream().filter(e -> e.getKey().terminal()).mapToInt(Map.Entry::getValue).sum() == total);
    return m;
  }

  static Map<String, Object> report(Services s, Incident i, IncidentScopes.View v) {
    List<IncidentStep> timeline = s.desk().timeline(i.id());
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("incident", view(i, null));
    Map<String, Object> counts = scopeView(i, v, false);
    counts.remove("incident");
    r.put("scope", counts);
    List<Map<String, Object>> measures = new ArrayList<>();
    for (TrackedAlert a : s.alerts().list(Optional.empty(), 1000)) {
      if (i.suspects().contains(a.alert().staff())) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("staff", a.alert().staff().value());
        m.put("raisedAt", a.alert().raisedAt().toString());
        m.put("measure", a.alert().measure().wireName());
        m.put("alert", a.alert().id());
        m.put("status", a.status().wireName());
        a.verdict().ifPresent(x -> m.put("verdict", x.wireName()));
        m.put("ledgerIndex", a.alert().ledgerIndex());
        measures.add(m);
      }
    }
    Map<String, Object> containment = new LinkedHashMap<>();
    containment.put("detection", measures);
    Map<String, Boolean> active = new TreeMap<>();
    i.suspects().forEach(st -> active.put(st.value(), s.isActive().test(st)));
    containment.put("suspectsActive", active);
    containment.put("actions", actions(timeline, "containment"));
    r.put("containment", containment);
    r.put("remediation", actions(timeline, "remediation"));
    r.put("notifications", notificationsView(s.notifications(), i.id()));
    r.put("timeline", timeline.stream().map(IncidentRoutes::step).toList());
    return r;
  }

  private static List<Map<String, Object>> actions(List<IncidentStep> timeline, String type) {
    return timeline.stream().filter(st -> st.event().equals("action") && type.equals(st.detail().get("type")))
        .map(IncidentRoutes::step).toList();
  }

  private static boolean wants(Context ctx, String type) {
    String accept = ctx.header("Accept");
    return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains(type);
  }

  private static void answer(Context ctx, IncidentDesk desk, IncidentDesk.Result.Done d) {
    Incident now = desk.find(d.incident().id()).orElse(d.incident());
    Map<String, Object> body = view(now, desk.timeline(now.id()));
    body.put("changeLedgerIndex", d.ledgerIndex());
    ctx.json(body);
  }

  static IncidentDesk.Result.Done done(IncidentDesk.Result r) {
    return switch (r) {
      case IncidentDesk.Result.Done d -> d;
      case IncidentDesk.Result.NotFound n -> throw new ApiException(Problem.of(ProblemType.NOT_FOUND, "no incident " + n.id()));
      case IncidentDesk.Result.Conflict c -> throw new ApiException(Problem.of(ProblemType.CONFLICT, c.why()));
      case IncidentDesk.Result.Unrecorded u -> throw new ApiException(Problem.of(ProblemType.LEDGER_UNAVAILABLE,
          "the step could not be recorded in the ledger, so nothing changed; retry shortly"));
    };
  }

  private static IncidentId id(Context ctx) {
    String text = ctx.pathParam("id");
    try {
      return IncidentId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, "id: " + e.getMessage()).with("parameter", "id"));
    }
  }

  private static Incident find(IncidentDesk desk, Context ctx) {
    IncidentId id = id(ctx);
    return desk.find(id).orElseThrow(() -> new ApiException(Problem.of(ProblemType.NOT_FOUND, "no incident " + id)));
  }

  private static long version(Long version) {
    if (version == null || version < 0) {
      throw field("version", "version: the incident's version as read (a whole number, 0 or more)");
    }
    return version;
  }


  private static String required(String name, String value) {
    if (value == null || value.isBlank()) {
      throw field(name, name + " is required");
    }
    return value;
  }

  private static ApiException field(String name, String why) {
    return new ApiException(Problem.of(ProblemType.INVALID_FIELD, why).with("field", name));
  }

  private static <T> T parse(String name, java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException e) {
      String why = e instanceof java.time.format.DateTimeParseException
          ? "an ISO-8601 instant such as 2026-11-21T10:00:00Z" : e.getMessage() == null ? "is invalid" : e.getMessage();
      throw field(name, name + ": " + why);
    }
  }

  private static <T> T parseParameter(String name, java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (RuntimeException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, name + ": " + e.getMessage())
          .with("parameter", name));
    }
  }
}
