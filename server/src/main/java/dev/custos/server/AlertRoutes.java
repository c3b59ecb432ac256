package dev.custos.server;

import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.detect.AlertStore;
import dev.custos.detect.AlertVerdict;
import dev.custos.detect.Reading;
import dev.custos.detect.TrackedAlert;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Alerts for security: list and read them (security analysts and auditors), acknowledge, assign and
 * close them with a verdict (security analysts). Each change is a {@code custos.detection/v1} ledger
 * entry written before the change. Also the decoy list, for security analysts after a recent step-up.
 */
final class AlertRoutes {
  private static final String TAG = "alerts";
  private static final Set<Role> READERS = Set.of(Role.SECURITY_ANALYST, Role.AUDITOR);
  private static final Set<Role> WORKERS = Set.of(Role.SECURITY_ANALYST);

  record AssignRequest(String assignee) {}

  record CloseRequest(String verdict, String note) {}

  private AlertRoutes() {}

  static List<ApiRoute> all(AlertStore alerts, Containment containment, StaffAuth auth,
      java.time.InstantSource clock, java.util.function.Predicate<dev.custos.access.StaffId> decoyReadApproved) {
    return List.of(
        ApiRoute.get("/v1/alerts", "listAlerts",
            "Alerts raised by detection, newest first (?status=open|acknowledged|closed, ?limit=1..1000, default 100)",
            TAG, "application/json", Map.of(200, "The alerts", 400, "A bad status or limit (parameter named)"),
            ctx -> {
              Optional<TrackedAlert.Status> status = Optional.ofNullable(ctx.queryParam("status")).map(s -> parse("status",
                  () -> TrackedAlert.Status.parse(s), ProblemType.INVALID_PARAMETER));
              int limit = HttpApi.limit(ctx.queryParam("limit"));
              ctx.json(Map.of("alerts", alerts.list(status, limit).stream().map(AlertRoutes::view).toList()));
            })
            .requiringStaffSession(auth, READERS),
        ApiRoute.get("/v1/alerts/{id}", "getAlert", "One alert with its explanation", TAG, "application/json",
            Map.of(200, "The alert", 404, "No such alert"),
            ctx -> ctx.json(view(find(alerts, ctx))))
            .requiringStaffSession(auth, READERS),
        ApiRoute.post("/v1/alerts/{id}/acknowledge", "acknowledgeAlert", "Acknowledge an open alert", TAG,
            "application/json", Map.of(200, "Acknowledged", 404, "No such alert", 409, "Not open"),
            ctx -> {
              StaffId by = StaffAuth.context(ctx).account().id();
              TrackedAlert a = find(alerts, ctx);
              answer(ctx, alerts, a.alert().id(), acknowledge(alerts, containment, clock, a, by));
            })
            .requiringStaffSession(auth, WORKERS),
        ApiRoute.post("/v1/alerts/{id}/assign", "assignAlert", "Assign an alert to a security analyst: {\"assignee\":\"…\"}",
            TAG, "application/json", Map.of(200, "Assigned", 400, "No assignee (field named)", 404, "No such alert",
                409, "Closed"),
            ctx -> {
              StaffId by = StaffAuth.context(ctx).account().id();
              TrackedAlert a = find(alerts, ctx);
              AssignRequest req = Json.read(ctx, AssignRequest.class);
              StaffId to = parse("assignee", () -> StaffId.parse(req.assignee()), ProblemType.INVALID_FIELD);
              answer(ctx, alerts, a.alert().id(), assign(alerts, containment, clock, a, by, to));
            })
            .requiringStaffSession(auth, WORKERS),
        ApiRoute.post("/v1/alerts/{id}/close", "closeAlert",
            "Close an alert with a verdict: {\"verdict\":\"true-positive|false-positive|benign\",\"note\":\"…\"}", TAG,
            "application/json", Map.of(200, "Closed", 400, "A bad verdict or note (field named)", 404, "No such alert",
                409, "Already closed"),
            ctx -> {
              StaffId by = StaffAuth.context(ctx).account().id();
              TrackedAlert a = find(alerts, ctx);
              CloseRequest req = Json.read(ctx, CloseRequest.class);
              answer(ctx, alerts, a.alert().id(), close(alerts, containment, clock, a, by, req.verdict(), req.note()));
            })
            .requiringStaffSession(auth, WORKERS),
        ApiRoute.get("/v1/decoys", "listDecoys",
            "The decoy customers' ids (a security analyst with an executed decoy-list-read approval of the last hour, "
                + "after a recent step-up; recorded in the ledger)", TAG,
            "application/json", Map.of(200, "The decoy ids"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              auth.requireRecentMfa(c, StaffRoutes.STEP_UP_MAX_AGE);
              if (!decoyReadApproved.test(c.account().id())) {
                throw new ApiException(Problem.of(ProblemType.FORBIDDEN, "reading the decoy list needs your own "
                    + "decoy-list-read request approved by other security analysts and executed within the last hour "
                    + "(POST /v1/approvals)"));
              }
              long index = containment.recordAlertChange("decoys.read", "-", c.account().id(), Map.of());
              List<String> ids = containment.decoys().map(DecoyDesk::open).orElse(List.of()).stream()
                  .map(CustomerId::value).toList();
              ctx.json(Map.of("decoys", ids, "ledgerIndex", index));
            })
            .requiringStaffSession(auth, WORKERS));
  }

  /**
   * Open → acknowledged by {@code by}: the ledger entry first, then the store. The one path of the API
   * and the console.
   *
   * @return the change's ledger index
   * @throws ApiException 409 when the alert is not open, 503 when the ledger did not record the change
   */
  static long acknowledge(AlertStore alerts, Containment containment, java.time.InstantSource clock, TrackedAlert a,
      StaffId by) {
    require(a.status() == TrackedAlert.Status.OPEN, "alert " + a.alert().id() + " is " + a.status().wireName());
    long index = containment.recordAlertChange("alert.acknowledged", a.alert().id(), by, Map.of());
    require(alerts.acknowledge(a.alert().id(), by, clock.instant()), "alert " + a.alert().id() + " is no longer open");
    return index;
  }

  /** Assigns the alert to {@code to} (ledger first); as {@link #acknowledge} otherwise. */
  static long assign(AlertStore alerts, Containment containment, java.time.InstantSource clock, TrackedAlert a, StaffId by,
      StaffId to) {
    require(a.status() != TrackedAlert.Status.CLOSED, "alert " + a.alert().id() + " is closed");
    long index = containment.recordAlertChange("alert.assigned", a.alert().id(), by, Map.of("assignee", to.value()));
    require(alerts.assign(a.alert().id(), to, clock.instant()), "alert " + a.alert().id() + " is closed");
    return index;
  }

  /**
   * Closes the alert with a verdict and a note (ledger first, the note as its hash).
   *
   * @throws ApiException 400 naming {@code verdict} or {@code note}, 409 when already closed
   */
  static long close(AlertStore alerts, Containment containment, java.time.InstantSource clock, TrackedAlert a, StaffId by,
      String verdictText, String noteText) {
    if (verdictText == null || verdictText.isBlank()) {
      throw field("verdict", "verdict is required: one of true-positive, false-positive, benign");
    }
    AlertVerdict verdict = parse("verdict", () -> AlertVerdict.parse(verdictText), ProblemType.INVALID_FIELD);
    String note = noteText == null ? "" : noteText.strip();
    if (note.length() > 1000) {
      throw field("note", "note is at most 1000 characters");
    }
    require(a.status() != TrackedAlert.Status.CLOSED, "alert " + a.alert().id() + " is already closed");
    long index = containment.recordAlertChange("alert.closed", a.alert().id(), by,
        Map.of("verdict", verdict.wireName(), "note_sha256", Containment.sha256(note)));
    require(alerts.close(a.alert().id(), verdict, note, by, clock.instant()), "alert " + a.alert().id() + " is already closed");
    return index;
  }

  static Map<String, Object> view(TrackedAlert t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.alert().id());
    m.put("staff", t.alert().staff().value());
    m.put("raisedAt", t.alert().raisedAt().toString());
    m.put("measure", t.alert().measure().wireName());
    m.put("risk", t.alert().assessment().risk());
    m.put("explanation", t.alert().assessment().explain());
    List<Map<String, Object>> signals = new ArrayList<>();
    for (Reading r : t.alert().assessment().readings()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("signal", r.signal().wireName());
      s.put("value", r.value());
      s.put("ownBaseline", r.ownBaseline());
      s.put("peerBaseline", r.peerBaseline());
      s.put("surprise", r.surprise());
      signals.add(s);
    }
    m.put("signals", signals);
    m.put("ledgerIndex", t.alert().ledgerIndex());
    m.put("status", t.status().wireName());
    t.acknowledgedBy().ifPresent(s -> m.put("acknowledgedBy", s.value()));
    t.assignee().ifPresent(s -> m.put("assignee", s.value()));
    t.verdict().ifPresent(v -> m.put("verdict", v.wireName()));
    t.closedBy().ifPresent(s -> m.put("closedBy", s.value()));
    if (!t.note().isEmpty()) {
      m.put("note", t.note());
    }
    m.put("updatedAt", t.updatedAt().toString());
    return m;
  }

  private static void answer(Context ctx, AlertStore alerts, String id, long index) {
    Map<String, Object> body = view(alerts.find(id).orElseThrow());
    body.put("changeLedgerIndex", index);
    ctx.json(body);
  }

  private static TrackedAlert find(AlertStore alerts, Context ctx) {
    return find(alerts, ctx.pathParam("id"));
  }

  /** The alert {@code id}; 400 for an impossible id, 404 for an unknown one. */
  static TrackedAlert find(AlertStore alerts, String id) {
    if (id.isBlank() || id.length() > 64) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, "id: 1 to 64 characters").with("parameter", "id"));
    }
    return alerts.find(id).orElseThrow(() -> new ApiException(Problem.of(ProblemType.NOT_FOUND, "no alert " + id)));
  }


  private static void require(boolean ok, String conflict) {
    if (!ok) {
      throw new ApiException(Problem.of(ProblemType.CONFLICT, conflict));
    }
  }

  private static ApiException field(String name, String why) {
    return new ApiException(Problem.of(ProblemType.INVALID_FIELD, why).with("field", name));
  }

  private static <T> T parse(String name, java.util.function.Supplier<T> parser, ProblemType type) {
    try {
      return parser.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      String why = e.getMessage() == null ? "is required" : e.getMessage();
      throw new ApiException(Problem.of(type, name + ": " + why)
          .with(type == ProblemType.INVALID_PARAMETER ? "parameter" : "field", name));
    }
  }
}
