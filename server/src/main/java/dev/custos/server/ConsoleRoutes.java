package dev.custos.server;

import dev.custos.access.AccessBroker;
import dev.custos.access.BreakGlassReviews;
import dev.custos.access.CustomerId;
import dev.custos.access.Decision;
import dev.custos.access.Purpose;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.access.Ticket;
import dev.custos.access.TicketId;
import dev.custos.access.TicketStore;
import dev.custos.access.Tickets;
import dev.custos.approval.ApprovalDesk;
import dev.custos.approval.ApprovalRequest;
import dev.custos.approval.ApprovalState;
import dev.custos.approval.Participant;
import dev.custos.approval.RequestId;
import dev.custos.detect.AlertStore;
import dev.custos.detect.Assessment;
import dev.custos.detect.Reading;
import dev.custos.detect.TrackedAlert;
import dev.custos.identity.AuthEvent;
import dev.custos.identity.AuthEventSink;
import dev.custos.identity.PersonLinks;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffAdmin;
import dev.custos.identity.StaffDirectory;
import dev.custos.identity.StaffLogins;
import dev.custos.incident.Exposure;
import dev.custos.incident.Incident;
import dev.custos.incident.IncidentDesk;
import dev.custos.incident.IncidentId;
import dev.custos.incident.IncidentStatus;
import dev.custos.incident.WatermarkCode;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.SignedCheckpoint;
import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldValue;
import dev.custos.vault.SearchKey;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The console: server-rendered pages (JTE templates, precompiled at build time) for agents and for
 * security, over the same services the {@code /v1} routes call, so the console has no policy of its
 * own: a customer is shown only as {@link AccessBroker} decides and records, an alert changes only
 * through {@link AlertRoutes}' steps, an approval only through the {@link ApprovalDesk}.
 *
 * <h2>Security</h2>
 * <ul>
 *   <li>Every page needs a live staff session ({@link StaffAuth}); without a cookie the browser is sent
 *       to {@code /login?continue=/console}, with a refused one it gets the "session ended" page
 *       (a contained person's next click lands there).</li>
 *   <li>Every form carries the session's CSRF token in the field {@value #CSRF_FIELD}, checked on every
 *       POST ({@link StaffAuth#requireForm}) together with the same-origin rule.</li>
 *   <li>No customer data in URLs: a customer is reached through a ticket id, a search posts its key.</li>
 *   <li>Every page is {@code no-store}, under the strict CSP of {@link HttpApi} (scripts and styles only
 *       from this origin, no inline script or style) and carries the session's watermark.</li>
 * </ul>
 */
final class ConsoleRoutes {
  static final String CSRF_FIELD = "csrf";
  private static final String TAG = "console";
  private static final String HTML = "text/html";
  private static final Set<Role> ANY = Set.of();
  private static final Set<Role> AGENTS = EnumSet.of(Role.SUPPORT_L1, Role.SUPPORT_L2, Role.KYC_REVIEWER,
      Role.FRAUD_ANALYST);
  private static final Set<Role> SECURITY = EnumSet.of(Role.SECURITY_ANALYST);
  private static final Set<Role> SECURITY_READERS = EnumSet.of(Role.SECURITY_ANALYST, Role.AUDITOR);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(null, ContentType.Html,
      ConsoleRoutes.class.getClassLoader(), "dev.custos.server");

  /**
   * What the console calls: the very services the API routes call ({@code persons} and {@code quorum}
   * as for {@link ApprovalRoutes}: linked accounts approve as one person; a completed quorum sweeps at once).
   */
  record Services(StaffAuth auth, AccessBroker broker, Containment containment, Tickets tickets, TicketStore ticketStore,
      AlertStore alerts, StaffAdmin admin, StaffDirectory directory, ApprovalDesk approvals, PersonLinks persons,
      Runnable quorum, dev.custos.incident.IncidentDesk incidents, BreakGlassReviews breakGlass,
      Ledger ledger, Witnessing witnessing, StaffLogins logins, AuthEventSink events, FieldCatalogue catalogue,
      Duration mfaWindow, InstantSource clock, IncidentRoutes.Services incidentWork, LeakAttribution attribution,
      LedgerCheck ledgerCheck) {}

  @FunctionalInterface
  private interface Page {
    void handle(Context ctx, StaffAuth.StaffContext c) throws Exception;
  }

  private final Services s;

  private ConsoleRoutes(Services services) {
    this.s = services;
  }

  static List<ApiRoute> all(Services services) {
    return new ConsoleRoutes(services).routes();
  }

  private List<ApiRoute> routes() {
    List<ApiRoute> r = new ArrayList<>();
    r.add(get("/console", "consoleHome", "The console: each person's first page by role", ANY, this::home));
    r.add(get("/console/queue", "consoleQueue", "The agent's queue: open tickets assigned to me", ANY, this::queue));
    r.add(get("/console/tickets/{ticketId}", "consoleTicket",
        "A ticket's customer, masked by role (recorded in the ledger like GET /v1/customers/{id})", ANY, this::ticket));
    r.add(post("/console/tickets/{ticketId}/reveal", "consoleReveal",
        "Reveal a field of the ticket's customer with a reason (needs a recent second factor)", ANY, this::reveal));
    r.add(get("/console/search", "consoleSearchForm", "Search customers by e-mail, phone or government id", ANY,
        (ctx, c) -> render(ctx, c, "search.jte", "Search", true,
            new ConsoleView.Search("email", false, -1, List.of(), null))));
    r.add(post("/console/search", "consoleSearch", "Search (the key is posted, never in the URL): masked stubs", ANY,
        this::search));
    r.add(get("/console/watermark.svg", "consoleWatermark", "The session's watermark tile", ANY, this::watermark));
    r.add(post("/console/logout", "consoleLogout", "Sign out of the console", ANY, this::logout));
    r.add(get("/console/security/board", "consoleRiskBoard", "The live risk board", SECURITY_READERS, this::board));
    r.add(get("/console/security/board/live", "consoleRiskBoardLive", "The risk board's live part (polled)",
        SECURITY_READERS, this::boardLive));
    r.add(get("/console/security/alerts", "consoleAlerts", "Alerts", SECURITY_READERS, this::alerts));
    r.add(post("/console/security/alerts/{id}/{action}", "consoleAlertChange",
        "Acknowledge, assign or close an alert (as POST /v1/alerts/{id}/...)", SECURITY, this::alertChange));
    r.add(get("/console/security/staff", "consoleStaff", "Staff with contain and restore", SECURITY, this::people));
    r.add(post("/console/security/staff/{id}/{action}", "consoleContainment",
        "Contain (suspend, every session revoked) or restore a member of staff, with a reason", SECURITY,
        this::containment));
    r.add(get("/console/approvals", "consoleApprovals", "Approval requests I may decide (security: all pending)", ANY,
        this::approvals));
    r.add(post("/console/approvals/{id}/{action}", "consoleApprovalDecision",
        "Approve (the exact content shown) or deny a request; needs a recent second factor", ANY, this::decide));
    r.add(get("/console/security/break-glass", "consoleBreakGlass", "Break-glass uses awaiting review", SECURITY,
        this::breakGlass));
    r.add(post("/console/security/break-glass/{id}", "consoleBreakGlassReview", "Review a break-glass use", SECURITY,
        this::review));
    r.add(get("/console/security/ledger", "consoleLedger", "The ledger's health", SECURITY_READERS, this::ledger));
    r.add(get("/console/security/incidents", "consoleIncidents",
        "Incidents, newest first, each with its regulator report (scope, counts by category, notifications)", SECURITY,
        this::incidents));
    r.add(post("/console/security/incidents", "consoleOpenIncident",
        "Open an incident (title, suspects, window, notes; as POST /v1/incidents)", SECURITY, this::openIncident));
    r.add(get("/console/security/incidents/{id}", "consoleIncident",
        "One incident: timeline, scope table (recorded as scope.read like GET /v1/incidents/{id}/scope), customers by "
            + "data category and jurisdiction, notification status, and the forms that move it on", SECURITY,
        this::incident));
    r.add(post("/console/security/incidents/{id}/status", "consoleMoveIncident",
        "Move an incident on (as POST /v1/incidents/{id}/status, with the version read)", SECURITY, this::moveIncident));
    r.add(post("/console/security/incidents/{id}/assign", "consoleAssignIncident",
        "Give an incident to a security analyst (as POST /v1/incidents/{id}/assign)", SECURITY, this::assignIncident));
    r.add(post("/console/security/incidents/{id}/actions", "consoleIncidentAction",
        "Record a containment or remediation measure or a note (as POST /v1/incidents/{id}/actions)", SECURITY,
        this::incidentAction));
    r.add(post("/console/security/incidents/{id}/notify", "consoleNotifyIncident",
        "Start or continue notifying the customers (as POST /v1/incidents/{id}/notify)", SECURITY, this::notifyIncident));
    r.add(post("/console/security/incidents/{id}/attribute", "consoleAttributeLeak",
        "Attribute a leaked sample (posted, never in the URL) to staff and sessions (as POST "
            + "/v1/incidents/{id}/attribute, recorded the same way)", SECURITY, this::attribute));
    return r;
  }

  // ---- pages for agents

  private void home(Context ctx, StaffAuth.StaffContext c) {
    Set<Role> roles = c.account().roles();
    String to = roles.stream().anyMatch(SECURITY_READERS::contains) && roles.stream().noneMatch(AGENTS::contains)
        ? "/console/security/board" : "/console/queue";
    ctx.redirect(to, HttpStatus.SEE_OTHER);
  }

  private void queue(Context ctx, StaffAuth.StaffContext c) {
    List<ConsoleView.TicketRow> rows = s.ticketStore().openTicketsAssignedTo(c.account().id()).stream()
        .map(ConsoleRoutes::row).toList();
    render(ctx, c, "queue.jte", "My tickets", true, new ConsoleView.Queue(rows));
  }

  private static ConsoleView.TicketRow row(Ticket t) {
    return new ConsoleView.TicketRow(t.id().value(), t.channel(), t.category(), t.status().name().toLowerCase(Locale.ROOT),
        TIME.format(t.updatedAt()));
  }

  /** The ticket named in the path (400 for a malformed id, a "not found" page for an unknown one). */
  private Optional<Ticket> ticketOf(Context ctx, StaffAuth.StaffContext c) {
    TicketId id;
    try {
      id = TicketId.parse(ctx.pathParam("ticketId"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, "ticketId: " + e.getMessage())
          .with("parameter", "ticketId"));
    }
    Optional<Ticket> t = s.tickets().find(id);
    if (t.isEmpty()) {
      notice(ctx, c, 404, "No such ticket", "There is no ticket " + id.value() + ".", null, -1);
    }
    return t;
  }

  private void ticket(Context ctx, StaffAuth.StaffContext c) {
    Optional<Ticket> t = ticketOf(ctx, c);
    if (t.isEmpty()) {
      return;
    }
    showCustomer(ctx, c, t.get(), null);
  }

  private void showCustomer(Context ctx, StaffAuth.StaffContext c, Ticket t, String message) {
    Optional<AccessBroker.Actor> actor = admitted(ctx, c);
    if (actor.isEmpty()) {
      return;
    }
    CustomerId customer = t.requester();
    AccessBroker.Outcome o = s.broker().view(actor.get(), customer, new Purpose.Ticket(t.id()));
    switch (o) {
      case AccessBroker.Outcome.Shown shown -> {
        List<ConsoleView.FieldRow> fields = new ArrayList<>();
        shown.values().forEach((f, v) -> {
          var mask = shown.permit().plan().asMap().get(f);
          String maskName = mask == null ? "none" : mask.wireName();
          boolean masked = !"none".equals(maskName);
          boolean revealable = masked && s.catalogue().spec(f)
              .map(spec -> c.account().roles().stream().anyMatch(spec::revealableBy)).orElse(false);
          fields.add(new ConsoleView.FieldRow(f.name(), label(f), text(v), maskName, masked, revealable));
        });
        boolean fresh = s.auth().mfaWithin(c, s.mfaWindow());
        render(ctx, c, "customer.jte", "Ticket " + t.id().value(), true, new ConsoleView.Customer(row(t),
            shown.ledgerIndex(), fields, fresh, s.mfaWindow().toSeconds(), message));
      }
      case AccessBroker.Outcome.NotFound n -> notice(ctx, c, 404, "No such customer",
          "The ticket's customer is not in the vault.", null, n.ledgerIndex());
      case AccessBroker.Outcome.Refused r -> refused(ctx, c, r.deny(), r.ledgerIndex(), "/console/queue");
      case AccessBroker.Outcome.Unrecorded u -> unrecorded(ctx, c);
    }
  }

  private void reveal(Context ctx, StaffAuth.StaffContext c) {
    Optional<Ticket> t = ticketOf(ctx, c);
    if (t.isEmpty()) {
      return;
    }
    String fieldName = ctx.formParam("field");
    Field field;
    try {
      field = Field.parse(fieldName);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "field: name the field to reveal").with("field", "field"));
    }
    String reason = Optional.ofNullable(ctx.formParam("reason")).orElse("").strip();
    Optional<AccessBroker.Actor> actor = admitted(ctx, c);
    if (actor.isEmpty()) {
      return;
    }
    AccessBroker.Outcome o = s.broker().reveal(actor.get(), t.get().requester(), new Purpose.Ticket(t.get().id()),
        Set.of(field), reason);
    switch (o) {
      case AccessBroker.Outcome.Shown shown -> {
        List<ConsoleView.FieldRow> fields = new ArrayList<>();
        shown.values().forEach((f, v) -> fields.add(new ConsoleView.FieldRow(f.name(), label(f), text(v), "none", false, false)));
        render(ctx, c, "revealed.jte", "Revealed — ticket " + t.get().id().value(), true,
            new ConsoleView.Revealed(row(t.get()), shown.ledgerIndex(), fields));
      }
      case AccessBroker.Outcome.NotFound n -> notice(ctx, c, 404, "No such customer",
          "The ticket's customer is not in the vault.", null, n.ledgerIndex());
      case AccessBroker.Outcome.Refused r -> {
        switch (r.deny().reason()) {
          case STEP_UP_REQUIRED -> {
            ctx.status(403);
            showCustomer(ctx, c, t.get(), "Confirm it is you with your second factor, then reveal again. (Refusal "
                + "recorded at ledger index " + r.ledgerIndex() + ".)");
          }
          case REASON_REQUIRED -> {
            ctx.status(400);
            showCustomer(ctx, c, t.get(), "Give a real reason for revealing " + label(field) + ": "
                + r.deny().explanation());
          }
          default -> refused(ctx, c, r.deny(), r.ledgerIndex(), "/console/tickets/" + t.get().id().value());
        }
      }
      case AccessBroker.Outcome.Unrecorded u -> unrecorded(ctx, c);
    }
  }

  private void search(Context ctx, StaffAuth.StaffContext c) {
    String keyName = Optional.ofNullable(ctx.formParam("key")).orElse("");
    SearchKey key = null;
    for (SearchKey k : SearchKey.values()) {
      if (k.wireName().equals(keyName)) {
        key = k;
      }
    }
    if (key == null) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "key: one of email, phone, government_id")
          .with("field", "key"));
    }
    String value = Optional.ofNullable(ctx.formParam("value")).orElse("");
    Optional<AccessBroker.Actor> actor = admitted(ctx, c);
    if (actor.isEmpty()) {
      return;
    }
    switch (s.broker().search(actor.get(), key, value)) {
      case AccessBroker.SearchOutcome.Found f -> {
        List<ConsoleView.Match> matches = new ArrayList<>();
        for (AccessBroker.Match m : f.matches()) {
          if (s.containment().hides(c.account().id(), m.customer())) {
            continue; // another person's decoy, exactly as the API hides it
          }
          List<ConsoleView.FieldRow> fields = new ArrayList<>();
          m.values().forEach((k, v) -> fields.add(new ConsoleView.FieldRow(k.name(), label(k), text(v), "", true, false)));
          matches.add(new ConsoleView.Match(fields));
        }
        render(ctx, c, "search.jte", "Search", true, new ConsoleView.Search(key.wireName(), true, f.ledgerIndex(), matches,
            matches.isEmpty() ? "No customer matches." : null));
      }
      case AccessBroker.SearchOutcome.Refused r -> refused(ctx, c, r.deny(), r.ledgerIndex(), "/console/search");
      case AccessBroker.SearchOutcome.Unrecorded u -> unrecorded(ctx, c);
    }
  }

  private void watermark(Context ctx, StaffAuth.StaffContext c) {
    ctx.contentType("image/svg+xml; charset=utf-8")
        .result(Watermark.svg(c.account().id().value(), c.session().handle().value(), s.clock().instant()));
  }

  private void logout(Context ctx, StaffAuth.StaffContext c) {
    if (s.logins().sessions().logout(c.secret())) {
      s.events().record(new AuthEvent(AuthEvent.Type.LOGOUT, s.clock().instant(), Optional.of(c.account().id()),
          Optional.of(c.session().handle()), Optional.of(ctx.ip()), Map.of()));
    }
    StaffAuth.clearCookie(ctx, StaffAuth.COOKIE);
    ctx.redirect("/login", HttpStatus.SEE_OTHER);
  }

  // ---- pages for security

  private void board(Context ctx, StaffAuth.StaffContext c) {
    render(ctx, c, "board.jte", "Risk board", true, boardView());
  }

  private void boardLive(Context ctx, StaffAuth.StaffContext c) {
    ctx.html(template("board_live.jte", Map.of("m", boardView())));
  }

  private ConsoleView.Board boardView() {
    Instant now = s.clock().instant();
    List<TrackedAlert> recent = s.alerts().list(Optional.empty(), 1000);
    Map<StaffId, Assessment> current = new LinkedHashMap<>();
    for (StaffId id : s.containment().watched()) {
      current.put(id, s.containment().assess(id));
    }
    RiskChart chart = RiskChart.of(recent, current, now, s.containment().policy());
    List<ConsoleView.RiskRow> top = current.values().stream()
        .filter(a -> a.risk() > 0)
        .sorted(Comparator.comparingDouble(Assessment::risk).reversed())
        .limit(10)
        .map(a -> new ConsoleView.RiskRow(a.staff().value(), Containment.figure(a.risk()), a.measure().wireName(),
            a.explain(), status(a.staff())))
        .toList();
    int open = (int) recent.stream().filter(t -> t.status() != TrackedAlert.Status.CLOSED).count();
    return new ConsoleView.Board(chart.svg(), top, open, TIME.format(now), chart.legend());
  }

  private String status(StaffId id) {
    try {
      return s.directory().find(id).map(a -> a.status().name().toLowerCase(Locale.ROOT)).orElse("unknown");
    } catch (RuntimeException e) {
      return "unknown";
    }
  }

  private void alerts(Context ctx, StaffAuth.StaffContext c) {
    String filter = Optional.ofNullable(ctx.queryParam("status")).orElse("open");
    Optional<TrackedAlert.Status> status = switch (filter) {
      case "all" -> Optional.empty();
      case "open", "acknowledged", "closed" -> Optional.of(TrackedAlert.Status.parse(filter));
      default -> throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, "status: open, acknowledged, closed or all")
          .with("parameter", "status"));
    };
    Map<StaffId, Boolean> suspended = new LinkedHashMap<>();
    List<ConsoleView.AlertRow> rows = s.alerts().list(status, 200).stream().map(t -> {
      var a = t.alert().assessment();
      List<ConsoleView.Signal> signals = new ArrayList<>();
      for (Reading r : a.readings()) {
        signals.add(new ConsoleView.Signal(r.signal().wireName(), Containment.figure(r.value()),
            Containment.figure(r.ownBaseline()), Containment.figure(r.peerBaseline()), Containment.figure(r.surprise())));
      }
      boolean off = suspended.computeIfAbsent(t.alert().staff(), id -> "suspended".equals(status(id)));
      return new ConsoleView.AlertRow(t.alert().id(), t.alert().staff().value(), TIME.format(t.alert().raisedAt()),
          t.alert().measure().wireName(), Containment.figure(a.risk()), a.explain(), signals, t.status().wireName(),
          t.assignee().map(StaffId::value).orElse(""), t.verdict().map(v -> v.wireName()).orElse(""),
          t.alert().ledgerIndex(), off);
    }).toList();
    List<String> analysts = s.directory().list().stream().filter(a -> a.roles().contains(Role.SECURITY_ANALYST))
        .filter(StaffAccount::isActive).map(a -> a.id().value()).sorted().toList();
    render(ctx, c, "alerts.jte", "Alerts", true, new ConsoleView.Alerts(rows, filter,
        c.account().roles().contains(Role.SECURITY_ANALYST), analysts));
  }

  private void alertChange(Context ctx, StaffAuth.StaffContext c) {
    StaffId by = c.account().id();
    TrackedAlert a = AlertRoutes.find(s.alerts(), ctx.pathParam("id"));
    long index = switch (ctx.pathParam("action")) {
      case "acknowledge" -> AlertRoutes.acknowledge(s.alerts(), s.containment(), s.clock(), a, by);
      case "assign" -> {
        StaffId to;
        try {
          to = StaffId.parse(Optional.ofNullable(ctx.formParam("assignee")).orElse(by.value()));
        } catch (IllegalArgumentException e) {
          throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "assignee: " + e.getMessage()).with("field", "assignee"));
        }
        yield AlertRoutes.assign(s.alerts(), s.containment(), s.clock(), a, by, to);
      }
      case "close" -> AlertRoutes.close(s.alerts(), s.containment(), s.clock(), a, by, ctx.formParam("verdict"),
          ctx.formParam("note"));
      default -> throw new ApiException(Problem.of(ProblemType.NOT_FOUND, "no alert action " + safe(ctx.pathParam("action"))));
    };
    ctx.redirect("/console/security/alerts?status=all&done=" + ctx.pathParam("action") + "&entry=" + index,
        HttpStatus.SEE_OTHER);
  }

  private void people(Context ctx, StaffAuth.StaffContext c) {
    List<ConsoleView.StaffRow> rows = s.directory().list().stream()
        .sorted(Comparator.comparing(a -> a.id().value()))
        .map(a -> new ConsoleView.StaffRow(a.id().value(), a.displayName(),
            a.roles().stream().map(Role::wireName).sorted().collect(Collectors.joining(", ")),
            a.status().name().toLowerCase(Locale.ROOT), a.statusReason().orElse("")))
        .toList();
    render(ctx, c, "staff.jte", "Staff", true, new ConsoleView.People(rows,
        s.auth().mfaWithin(c, StaffRoutes.STEP_UP_MAX_AGE)));
  }

  private void containment(Context ctx, StaffAuth.StaffContext c) {
    StaffId id;
    try {
      id = StaffId.parse(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, e.getMessage()).with("parameter", "id"));
    }
    String reason = Optional.ofNullable(ctx.formParam("reason")).orElse("").strip();
    if (reason.isEmpty()) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "reason: say why").with("field", "reason"));
    }
    String back = Optional.ofNullable(ctx.formParam("back")).filter(b -> b.equals("alerts")).isPresent()
        ? "/console/security/alerts?status=all" : "/console/security/staff";
    switch (ctx.pathParam("action")) {
      case "contain" -> {
        int revoked = StaffRoutes.done(s.admin().suspend(id, reason, "staff:" + c.account().id()));
        ctx.redirect(back + (back.contains("?") ? "&" : "?") + "done=contained&sessions=" + revoked, HttpStatus.SEE_OTHER);
      }
      case "restore" -> {
        s.auth().requireRecentMfa(c, StaffRoutes.STEP_UP_MAX_AGE);
        StaffRoutes.done(s.admin().restore(id, reason, c.account().id(), "staff:" + c.account().id()));
        ctx.redirect(back + (back.contains("?") ? "&" : "?") + "done=restored", HttpStatus.SEE_OTHER);
      }
      default -> throw new ApiException(Problem.of(ProblemType.NOT_FOUND, "no staff action " + safe(ctx.pathParam("action"))));
    }
  }

  private void approvals(Context ctx, StaffAuth.StaffContext c) {
    Participant p = ApprovalRoutes.me(ctx, s.persons());
    boolean everything = p.subject().has(Role.SECURITY_ANALYST) || p.subject().has(Role.AUDITOR);
    List<ApprovalRequest> found = everything ? s.approvals().list(Optional.of(ApprovalState.PENDING), Optional.empty(), 200)
        : s.approvals().toApprove(p, 500);
    Set<RequestId> decidable = s.approvals().toApprove(p, 500).stream().map(ApprovalRequest::id)
        .collect(Collectors.toSet());
    List<ConsoleView.ApprovalRow> rows = found.stream().map(r -> new ConsoleView.ApprovalRow(r.id().value(),
        r.spec().action().wireName(), r.spec().customer().map(CustomerId::value).orElse(""),
        r.spec().parameters().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", ")),
        r.requester().value(), r.state().wireName(), r.policy().required(),
        r.policy().approverRoles().stream().map(Role::wireName).sorted().collect(Collectors.joining(", ")),
        r.approvals().stream().map(a -> a.staff().value()).collect(Collectors.joining(", ")), r.bindingHash(),
        TIME.format(r.createdAt()), TIME.format(r.expiresAt()), decidable.contains(r.id()))).toList();
    render(ctx, c, "approvals.jte", "Approvals", true, new ConsoleView.Approvals(rows, everything,
        s.auth().mfaWithin(c, StaffRoutes.STEP_UP_MAX_AGE)));
  }

  private void decide(Context ctx, StaffAuth.StaffContext c) {
    RequestId id;
    try {
      id = RequestId.parse(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, e.getMessage()).with("parameter", "id"));
    }
    s.auth().requireRecentMfa(c, StaffRoutes.STEP_UP_MAX_AGE);
    Participant p = ApprovalRoutes.me(ctx, s.persons());
    String action = ctx.pathParam("action");
    ApprovalDesk.Result result = switch (action) {
      case "approve" -> {
        String hash = ctx.formParam("bindingHash");
        if (hash == null || hash.isBlank()) {
          throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "bindingHash is required: the hash of the content "
              + "you approve").with("field", "bindingHash"));
        }
        yield s.approvals().approve(p, id, hash);
      }
      case "deny" -> {
        String note = Optional.ofNullable(ctx.formParam("note")).map(String::strip).filter(n -> !n.isEmpty()).orElse(null);
        if (note != null && (note.length() > 1000 || note.chars().anyMatch(Character::isISOControl))) {
          throw new ApiException(Problem.of(ProblemType.INVALID_FIELD,
              "note must be at most 1000 characters without control characters").with("field", "note"));
        }
        yield s.approvals().deny(p, id, note);
      }
      default -> throw new ApiException(Problem.of(ProblemType.NOT_FOUND, "no approval action " + safe(action)));
    };
    if (result instanceof ApprovalDesk.Result.Done d && d.request().state() == ApprovalState.APPROVED) {
      s.quorum().run();
    }
    switch (result) {
      case ApprovalDesk.Result.Done d -> ctx.redirect("/console/approvals?done=" + action + "&state="
          + d.request().state().wireName() + "&entry=" + d.ledgerIndex(), HttpStatus.SEE_OTHER);
      case ApprovalDesk.Result.Refused r -> notice(ctx, c, 409, "Not done", r.why(), "/console/approvals", r.ledgerIndex());
      case ApprovalDesk.Result.NotFound n -> notice(ctx, c, 404, "No such request",
          "There is no approval request " + id.value() + " you may decide.", "/console/approvals", -1);
      case ApprovalDesk.Result.Unrecorded u -> unrecorded(ctx, c);
    }
  }

  private void breakGlass(Context ctx, StaffAuth.StaffContext c) {
    List<ConsoleView.BreakGlassRow> rows = s.breakGlass().pending(200).stream().map(r -> new ConsoleView.BreakGlassRow(
        r.id(), r.use().staff().value(), r.use().customer().value(), r.use().reason(), TIME.format(r.use().at()))).toList();
    render(ctx, c, "breakglass.jte", "Break-glass reviews", true, new ConsoleView.BreakGlass(rows));
  }

  private void review(Context ctx, StaffAuth.StaffContext c) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, "id must be a number").with("parameter", "id"));
    }
    String verdict = Optional.ofNullable(ctx.formParam("verdict")).orElse("");
    if (!verdict.equals("justified") && !verdict.equals("unjustified")) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "verdict: justified or unjustified")
          .with("field", "verdict"));
    }
    String note = Optional.ofNullable(ctx.formParam("note")).orElse("").strip();
    switch (s.breakGlass().review(CustomerRoutes.actor(ctx).staff(), id, verdict.equals("justified"), note)) {
      case BreakGlassReviews.Result.Done d -> ctx.redirect("/console/security/break-glass?done=reviewed&entry="
          + d.ledgerIndex(), HttpStatus.SEE_OTHER);
      case BreakGlassReviews.Result.Refused r -> notice(ctx, c, r.field().equals("reviewer") ? 403 : 409, "Not done",
          r.why(), "/console/security/break-glass", -1);
      case BreakGlassReviews.Result.NotFound n -> notice(ctx, c, 404, "No such use",
          "There is no break-glass use " + id + ".", "/console/security/break-glass", -1);
      case BreakGlassReviews.Result.Unrecorded u -> unrecorded(ctx, c);
    }
  }

  private void ledger(Context ctx, StaffAuth.StaffContext c) {
    Witnessing.Served served = s.witnessing().served();
    SignedCheckpoint cp = served.checkpoint();
    List<ConsoleView.Witness> witnesses = s.witnessing().status().stream().map(w -> new ConsoleView.Witness(
        String.valueOf(w.get("url")), w.get("cosignedSize") == null ? "none yet" : String.valueOf(w.get("cosignedSize")),
        w.get("lastCosignedAt") == null ? "never" : String.valueOf(w.get("lastCosignedAt")),
        w.get("lastProblem") == null ? "" : String.valueOf(w.get("lastProblem")))).toList();
    render(ctx, c, "ledger.jte", "Ledger health", false, new ConsoleView.LedgerHealth(cp.checkpoint().origin(),
        cp.checkpoint().size(), HexFormat.of().formatHex(cp.checkpoint().rootHash().bytes()), s.ledger().durableSize(),
        served.cosignatures(), s.witnessing().configured(), witnesses, s.ledger().verifierKey().encoded(),
        s.ledgerCheck().last().map(o -> new ConsoleView.LastVerify(true, TIME.format(o.at()), o.size(), o.ok(),
            o.problem(), o.took().toMillis())).orElse(new ConsoleView.LastVerify(false, "", 0, false, "", 0))));
  }

  private void incidents(Context ctx, StaffAuth.StaffContext c) {
    List<ConsoleView.IncidentRow> rows = s.incidents().list(Optional.empty(), 200).stream()
        .map(ConsoleRoutes::incidentRow).toList();
    render(ctx, c, "incidents.jte", "Incidents", true, new ConsoleView.Incidents(rows));
  }

  private static ConsoleView.IncidentRow incidentRow(Incident i) {
    return new ConsoleView.IncidentRow(i.id().value(), i.title(), i.status().wireName(),
        i.owner().map(StaffId::value).orElse(""),
        i.suspects().stream().map(StaffId::value).sorted().collect(Collectors.joining(", ")),
        TIME.format(i.from()) + " – " + TIME.format(i.to()), TIME.format(i.openedAt()));
  }

  /** The form's suspects: staff ids separated by commas, spaces or lines. */
  private void openIncident(Context ctx, StaffAuth.StaffContext c) {
    String suspects = Optional.ofNullable(ctx.formParam("suspects")).orElse("");
    List<String> ids = java.util.Arrays.stream(suspects.split("[,\\s]+")).filter(x -> !x.isEmpty()).toList();
    Incident opened = IncidentRoutes.open(s.incidents(), c.account().id(), new IncidentRoutes.OpenRequest(
        ctx.formParam("title"), ids, formInstant(ctx.formParam("from")), formInstant(ctx.formParam("to")),
        ctx.formParam("notes")));
    ctx.redirect("/console/security/incidents/" + opened.id().value() + "?done=opened", HttpStatus.SEE_OTHER);
  }

  /**
   * A form's time: an ISO-8601 instant, or what a {@code datetime-local} field sends ({@code 2026-11-21T10:00},
   * read as UTC, which the form says); anything else is passed on for the API's check to name the field.
   */
  static String formInstant(String text) {
    if (text == null) {
      return null;
    }
    String t = text.strip();
    if (t.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?")) {
      return t + (t.length() == 16 ? ":00Z" : "Z");
    }
    return t;
  }

  private Incident incidentOf(Context ctx) {
    IncidentId id;
    try {
      id = IncidentId.parse(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, "id: " + e.getMessage()).with("parameter", "id"));
    }
    return s.incidents().find(id).orElseThrow(() -> new ApiException(Problem.of(ProblemType.NOT_FOUND,
        "There is no incident " + id.value() + ".")));
  }

  private void incident(Context ctx, StaffAuth.StaffContext c) {
    Incident i = incidentOf(ctx);
    IncidentRoutes.Services work = s.incidentWork();
    // Reading the scope is recorded exactly as the API records it: a scope.read step, entry first.
    IncidentScopes.View v = IncidentRoutes.scope(work, i, c.account().id(), "html", "scope.read");
    Incident now = s.incidents().find(i.id()).orElse(i);
    List<ConsoleView.StepRow> timeline = s.incidents().timeline(i.id()).stream().map(st -> new ConsoleView.StepRow(
        TIME.format(st.at()), st.by(), st.event(), new java.util.TreeMap<>(st.detail()).entrySet().stream()
            .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")), st.text().orElse(""),
        st.ledgerIndex())).toList();
    dev.custos.incident.Scope scope = v.scope();
    List<ConsoleView.ExposureRow> exposures = new ArrayList<>();
    for (Exposure e : scope.exposures()) {
      exposures.add(new ConsoleView.ExposureRow(v.id(e).map(CustomerId::value).orElse("unresolved"),
          v.jurisdictions().getOrDefault(e.customer(), "unknown"),
          new java.util.TreeMap<>(e.fields()).entrySet().stream().map(f -> f.getKey().replace('_', ' ') + " ("
              + (f.getValue() == Exposure.Shown.REVEALED ? "revealed" : "masked") + ")").collect(Collectors.joining(", ")),
          TIME.format(e.first()), TIME.format(e.last()),
          e.staff().stream().map(StaffId::value).sorted().collect(Collectors.joining(", ")), e.accesses()));
    }
    Map<String, Integer> categories = new LinkedHashMap<>();
    scope.customersByCategory().forEach((k, n) -> categories.put(k.wireName(), n));
    List<ConsoleView.Count> byCategory = categories.entrySet().stream()
        .map(e -> new ConsoleView.Count(e.getKey(), e.getValue())).toList();
    List<ConsoleView.Count> byJurisdiction = new java.util.TreeMap<>(v.byJurisdiction()).entrySet().stream()
        .map(e -> new ConsoleView.Count(e.getKey(), e.getValue())).toList();
    Map<dev.custos.incident.NotificationState, Integer> counts = work.notifications().counts(i.id());
    List<ConsoleView.Count> notifications = new ArrayList<>();
    int total = 0;
    for (dev.custos.incident.NotificationState st : dev.custos.incident.NotificationState.values()) {
      int n = counts.getOrDefault(st, 0);
      notifications.add(new ConsoleView.Count(st.wireName(), n));
      total += n;
    }
    List<String> analysts = s.directory().list().stream().filter(a -> a.roles().contains(Role.SECURITY_ANALYST))
        .filter(StaffAccount::isActive).map(a -> a.id().value()).sorted().toList();
    render(ctx, c, "incident.jte", "Incident " + now.id().value(), true, new ConsoleView.IncidentDetail(incidentRow(now),
        now.notes(), now.version(), now.status().next().stream().map(IncidentStatus::wireName).toList(), analysts,
        timeline, scope.exposures().size(), scope.exposures().size() - v.resolved().size(), scope.accesses(),
        scope.coveredSize(), exposures, CategoryChart.svg(categories, "Customers of incident " + now.id().value()
            + " by data category"), byCategory, byJurisdiction, notifications, total,
        now.status() == IncidentStatus.NOTIFYING, work.notifier().isPresent()));
  }

  private long formVersion(Context ctx) {
    String text = Optional.ofNullable(ctx.formParam("version")).orElse("");
    if (!text.matches("\\d{1,18}")) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD,
          "version: the incident's version as read (a whole number, 0 or more)").with("field", "version"));
    }
    return Long.parseLong(text);
  }

  private void moveIncident(Context ctx, StaffAuth.StaffContext c) {
    Incident i = incidentOf(ctx);
    IncidentStatus next;
    try {
      next = IncidentStatus.parse(Optional.ofNullable(ctx.formParam("status")).orElse(""));
    } catch (IllegalArgumentException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "status: " + e.getMessage()).with("field", "status"));
    }
    long version = formVersion(ctx);
    IncidentDesk.Result.Done d = IncidentRoutes.done(s.incidents().move(c.account().id(), i.id(), version, next));
    ctx.redirect("/console/security/incidents/" + i.id().value() + "?done=moved&entry=" + d.ledgerIndex(),
        HttpStatus.SEE_OTHER);
  }

  private void assignIncident(Context ctx, StaffAuth.StaffContext c) {
    Incident i = incidentOf(ctx);
    StaffId owner;
    try {
      owner = StaffId.parse(Optional.ofNullable(ctx.formParam("owner")).orElse(""));
    } catch (IllegalArgumentException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "owner: " + e.getMessage()).with("field", "owner"));
    }
    long version = formVersion(ctx);
    if (!s.incidentWork().isAnalyst().test(owner)) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "owner: " + owner.value()
          + " is not an active security analyst").with("field", "owner"));
    }
    IncidentDesk.Result.Done d = IncidentRoutes.done(s.incidents().assign(c.account().id(), i.id(), version, owner));
    ctx.redirect("/console/security/incidents/" + i.id().value() + "?done=assigned&entry=" + d.ledgerIndex(),
        HttpStatus.SEE_OTHER);
  }

  private void incidentAction(Context ctx, StaffAuth.StaffContext c) {
    Incident i = incidentOf(ctx);
    IncidentDesk.ActionType type;
    try {
      type = IncidentDesk.ActionType.parse(Optional.ofNullable(ctx.formParam("type")).orElse(""));
    } catch (IllegalArgumentException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "type: containment, remediation or note")
          .with("field", "type"));
    }
    String text = Optional.ofNullable(ctx.formParam("text")).orElse("").strip();
    if (text.isEmpty() || text.length() > dev.custos.incident.IncidentStep.MAX_TEXT) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "text: 1 to "
          + dev.custos.incident.IncidentStep.MAX_TEXT + " characters").with("field", "text"));
    }
    IncidentDesk.Result.Done d = IncidentRoutes.done(s.incidents().act(c.account().id(), i.id(), type, text));
    ctx.redirect("/console/security/incidents/" + i.id().value() + "?done=recorded&entry=" + d.ledgerIndex(),
        HttpStatus.SEE_OTHER);
  }

  private void notifyIncident(Context ctx, StaffAuth.StaffContext c) {
    Incident i = incidentOf(ctx);
    Map<String, Object> body = IncidentRoutes.notifyCustomers(s.incidentWork(), i, c.account().id());
    ctx.redirect("/console/security/incidents/" + i.id().value() + "?done=notifying&queued=" + body.get("queuedNow")
        + "&entry=" + body.get("ledgerIndex"), HttpStatus.SEE_OTHER);
  }

  @SuppressWarnings("unchecked")
  private void attribute(Context ctx, StaffAuth.StaffContext c) throws Exception {
    Incident i = incidentOf(ctx);
    String sample = Optional.ofNullable(ctx.formParam("sample")).orElse("");
    String watermark = Optional.ofNullable(ctx.formParam("watermark")).orElse("").strip();
    if (sample.isBlank() && watermark.isEmpty()) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD,
          "sample: paste the published records (CSV with a header, or JSON lines), or give a watermark code")
          .with("field", "sample"));
    }
    if (sample.length() > AttributionRoutes.MAX_SAMPLE_CHARS) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "sample: at most "
          + AttributionRoutes.MAX_SAMPLE_CHARS + " characters; attribute a sample of the leak").with("field", "sample"));
    }
    Map<String, Object> d;
    try {
      d = s.attribution().attribute(i.id().value(), c.account().id().value(), new LeakAttribution.Request(
          sample.isBlank() ? "" : sample, watermark.isEmpty() ? List.of() : List.of(watermark), Optional.empty(),
          Optional.empty(), 20));
    } catch (LeakAttribution.BadInput e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, e.getMessage()).with("field",
          e.field.equals("watermarks") ? "watermark" : e.field));
    } catch (dev.custos.access.AccessLedger.Unavailable e) {
      unrecorded(ctx, c);
      return;
    }
    Map<String, Object> sampleInfo = (Map<String, Object>) d.get("sample");
    List<String> unresolved = ((List<Map<String, Object>>) sampleInfo.get("unresolved")).stream()
        .map(u -> "line " + u.get("line") + ": " + u.get("reason")).toList();
    render(ctx, c, "attribution.jte", "Attribution — incident " + i.id().value(), true, new ConsoleView.AttributionView(
        i.id().value(), (Integer) sampleInfo.get("records"), (Integer) sampleInfo.get("matched"),
        (Integer) sampleInfo.get("decoys"), unresolved, ((Number) d.get("population")).longValue(),
        candidates((List<Map<String, Object>>) d.get("staff")), candidates((List<Map<String, Object>>) d.get("sessions")),
        ((Number) d.get("ledgerIndex")).longValue()));
  }

  @SuppressWarnings("unchecked")
  private static List<ConsoleView.CandidateRow> candidates(List<Map<String, Object>> list) {
    List<ConsoleView.CandidateRow> rows = new ArrayList<>();
    for (Map<String, Object> m : list) {
      List<String> evidence = ((List<Map<String, Object>>) m.get("evidence")).stream().map(e -> switch (String.valueOf(
          e.get("type"))) {
        case "decoy-assigned" -> "decoy on line " + e.get("line") + " was assigned only to them";
        case "decoy-touched" -> "decoy on line " + e.get("line") + " was opened by them (ledger index "
            + e.get("ledgerIndex") + ")";
        case "watermark" -> "watermark " + e.get("code") + " is their session " + e.get("session");
        default -> String.valueOf(e.get("type"));
      }).toList();
      List<Integer> lines = (List<Integer>) m.get("explainedLines");
      String shownLines = lines.size() > 20
          ? lines.subList(0, 20).stream().map(String::valueOf).collect(Collectors.joining(", ")) + " …"
          : lines.stream().map(String::valueOf).collect(Collectors.joining(", "));
      Object chance = m.get("log10Chance");
      rows.add(new ConsoleView.CandidateRow((Integer) m.get("rank"), String.valueOf(m.get("staff")),
          String.valueOf(m.getOrDefault("session", "")), (Integer) m.get("explained"), shownLines,
          (Integer) m.get("accessedOnly"), ((Number) m.get("volume")).longValue(),
          "-inf".equals(String.valueOf(chance)) ? "none (impossible by coincidence)" : "10^" + chance, Boolean.TRUE.equals(m.get("certain")), evidence));
    }
    return rows;
  }

  // ---- the frame

  private ApiRoute get(String path, String id, String summary, Set<Role> roles, Page page) {
    return ApiRoute.get(path, id, summary, TAG, HTML, documented(), wrap(roles, page));
  }

  private ApiRoute post(String path, String id, String summary, Set<Role> roles, Page page) {
    return ApiRoute.post(path, id, summary, TAG, HTML, documented(), wrap(roles, page));
  }

  private static Map<Integer, String> documented() {
    return Map.of(200, "HTML page", 303, "Done; to the page that shows it, or to /login without a session",
        401, "The session ended (HTML page)", 403, "Not allowed, or the form's CSRF token is missing (HTML page)");
  }

  /** Session first (the form token on POST), then the page; every refusal is a page people can read. */
  private Handler wrap(Set<Role> roles, Page page) {
    return ctx -> {
      long started = System.nanoTime();
      // A form's POST is a navigation: under "no-referrer" the browser sends "Origin: null", which the
      // same-origin rule refuses. "same-origin" still sends nothing to other sites (and console URLs
      // carry no customer data).
      ctx.header("Referrer-Policy", "same-origin");
      StaffAuth.StaffContext c;
      try {
        c = ctx.method() == HandlerType.GET ? s.auth().require(ctx, roles)
            : s.auth().requireForm(ctx, roles, ctx.formParam(CSRF_FIELD));
      } catch (ApiException e) {
        refusedSession(ctx, e);
        return;
      }
      ctx.attribute(StaffAuth.ATTRIBUTE, c);
      try {
        page.handle(ctx, c);
      } catch (ApiException e) {
        problemPage(ctx, c, e.problem());
      }
      ctx.header("Server-Timing", String.format(Locale.ROOT, "app;dur=%.1f", (System.nanoTime() - started) / 1e6));
    };
  }

  private void refusedSession(Context ctx, ApiException e) {
    int status = e.problem().status();
    if (status == 401 && ctx.cookie(StaffAuth.COOKIE) == null && ctx.method() == HandlerType.GET) {
      ctx.redirect("/login?continue=/console", HttpStatus.SEE_OTHER);
      return;
    }
    if (status == 401) {
      StaffAuth.clearCookie(ctx, StaffAuth.COOKIE);
      ctx.status(401).html(template("ended.jte", Map.of()));
      return;
    }
    ctx.status(status).html(template("plain_notice.jte", Map.of("heading", switch (e.problem().type()) {
      case CSRF -> "This form has expired";
      case FORBIDDEN -> "Not for your role";
      default -> "Not available right now";
    }, "message", e.problem().type() == ProblemType.CSRF
        ? "The page was open too long or came from elsewhere. Go back, reload the page and try again."
        : e.problem().detail())));
  }

  private void problemPage(Context ctx, StaffAuth.StaffContext c, Problem p) {
    String heading = switch (p.type()) {
      case CONTAINED -> "Your access is suspended";
      case STEP_UP_REQUIRED -> "Confirm it is you";
      case QUOTA_EXCEEDED -> "Slow down";
      case CONFLICT -> "Not done";
      case NOT_FOUND -> "Not found";
      case INVALID_FIELD, INVALID_PARAMETER, REASON_REQUIRED, BAD_REQUEST -> "Please check the form";
      case LEDGER_UNAVAILABLE, NOT_READY -> "Not available right now";
      default -> "Not allowed";
    };
    String message = switch (p.type()) {
      case CONTAINED -> "Security has suspended your access to customer data. Contact security.";
      case STEP_UP_REQUIRED -> "This needs your second factor again. Use \"Confirm it is me\" at the top of the page, "
          + "then try again.";
      default -> p.detail();
    };
    Object index = p.extensions().get("ledgerIndex");
    notice(ctx, c, p.status(), heading, message, null, index instanceof Number n ? n.longValue() : -1);
  }

  private Optional<AccessBroker.Actor> admitted(Context ctx, StaffAuth.StaffContext c) {
    AccessBroker.Actor actor = CustomerRoutes.actor(ctx);
    try {
      s.containment().admit(actor);
      return Optional.of(actor);
    } catch (ApiException e) {
      Object retry = e.problem().extensions().get("retryAfter");
      if (retry != null) {
        ctx.header("Retry-After", retry.toString());
      }
      problemPage(ctx, c, e.problem());
      return Optional.empty();
    }
  }

  private void refused(Context ctx, StaffAuth.StaffContext c, Decision.Deny deny, long index, String back) {
    String heading;
    String message;
    int status = 403;
    switch (deny.reason()) {
      case QUOTA_EXCEEDED -> {
        status = 429;
        heading = "Over your quota";
        message = "You have opened as many customers as your quota allows for now."
            + deny.retryAfter().map(d -> " You can continue in about " + Math.max(1, d.toMinutes()) + " minute(s).")
                .orElse("");
        deny.retryAfter().ifPresent(d -> ctx.header("Retry-After", Long.toString(d.toSeconds())));
      }
      case STAFF_SUSPENDED -> {
        heading = "Your access is suspended";
        message = "Security has suspended your access to customer data. Contact security.";
      }
      case TICKET_NOT_ASSIGNED, TICKET_UNKNOWN, TICKET_CLOSED, TICKET_OTHER_CUSTOMER, NO_PURPOSE, PURPOSE_MISMATCH -> {
        heading = "No ticket of yours for this customer";
        message = "You can open a customer only from an open ticket assigned to you. " + deny.explanation() + ".";
      }
      case ROLE_MAY_NOT_VIEW, ROLE_MAY_NOT_REVEAL -> {
        heading = "Not for your role";
        message = deny.explanation() + ".";
      }
      default -> {
        heading = "Access denied";
        message = deny.explanation() + ".";
      }
    }
    notice(ctx, c, status, heading, message, back, index);
  }

  private void unrecorded(Context ctx, StaffAuth.StaffContext c) {
    notice(ctx, c, 503, "Not available right now",
        "The access could not be recorded in the ledger, so nothing was shown. Try again in a moment.", null, -1);
  }

  private void notice(Context ctx, StaffAuth.StaffContext c, int status, String heading, String message, String back,
      long ledgerIndex) {
    ctx.status(status);
    render(ctx, c, "notice.jte", heading, true, new ConsoleView.Notice(heading, message, null, ledgerIndex,
        back == null ? "/console" : back, back == null ? "Back to the console" : "Back"));
  }

  private void render(Context ctx, StaffAuth.StaffContext c, String template, String title, boolean watermarked,
      Object model) {
    ctx.html(template(template, Map.of("chrome", chrome(ctx, c, title, watermarked), "m", model)));
  }

  private static String template(String name, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    TEMPLATES.render(name, params, out);
    return out.toString();
  }

  private ConsoleView.Chrome chrome(Context ctx, StaffAuth.StaffContext c, String title, boolean watermarked) {
    Set<Role> roles = c.account().roles();
    String path = ctx.path();
    List<ConsoleView.NavItem> nav = new ArrayList<>();
    if (roles.stream().anyMatch(AGENTS::contains)) {
      nav.add(item(path, "/console/queue", "My tickets", "q"));
      nav.add(item(path, "/console/search", "Search", "s"));
    }
    if (roles.stream().anyMatch(SECURITY_READERS::contains)) {
      nav.add(item(path, "/console/security/board", "Risk board", "b"));
      nav.add(item(path, "/console/security/alerts", "Alerts", "a"));
    }
    if (roles.contains(Role.SECURITY_ANALYST)) {
      nav.add(item(path, "/console/security/staff", "Staff", "f"));
    }
    nav.add(item(path, "/console/approvals", "Approvals", "p"));
    if (roles.contains(Role.SECURITY_ANALYST)) {
      nav.add(item(path, "/console/security/break-glass", "Break-glass", "g"));
    }
    if (roles.contains(Role.SECURITY_ANALYST)) {
      nav.add(item(path, "/console/security/incidents", "Incidents", "i"));
    }
    if (roles.stream().anyMatch(SECURITY_READERS::contains)) {
      nav.add(item(path, "/console/security/ledger", "Ledger", "l"));
    }
    return new ConsoleView.Chrome(title, c.account().id().value(), c.account().displayName(),
        roles.stream().map(Role::wireName).sorted().collect(Collectors.joining(", ")), c.secret().csrfToken(),
        WatermarkCode.of(c.session().handle().value()), nav, watermarked, doneNotice(ctx));
  }

  private static ConsoleView.NavItem item(String path, String href, String label, String key) {
    return new ConsoleView.NavItem(href, label, key, path.equals(href) || path.startsWith(href + "/"));
  }

  /** The line a page shows after a change sent the browser to it (fixed texts; the query carries no data). */
  private static String doneNotice(Context ctx) {
    String done = ctx.queryParam("done");
    if (done == null) {
      return null;
    }
    String entry = Optional.ofNullable(ctx.queryParam("entry")).filter(e -> e.matches("\\d{1,19}"))
        .map(e -> " (ledger index " + e + ")").orElse("");
    return switch (done) {
      case "acknowledge" -> "Alert acknowledged" + entry + ".";
      case "assign" -> "Alert assigned" + entry + ".";
      case "close" -> "Alert closed" + entry + ".";
      case "contained" -> "Contained: suspended, " + Optional.ofNullable(ctx.queryParam("sessions"))
          .filter(n -> n.matches("\\d{1,6}")).orElse("all") + " session(s) ended.";
      case "restored" -> "Restored.";
      case "approve" -> "Approved" + entry + "; the request is now "
          + Optional.ofNullable(ctx.queryParam("state")).filter(x -> x.matches("[a-z\\-]{1,20}")).orElse("updated") + ".";
      case "deny" -> "Denied" + entry + ".";
      case "reviewed" -> "Review recorded" + entry + ".";
      case "opened" -> "Incident opened.";
      case "recorded" -> "Recorded" + entry + ".";
      case "moved" -> "Status changed" + entry + ".";
      case "assigned" -> "Owner changed" + entry + ".";
      case "notifying" -> "Notifications started" + entry + "; " + Optional.ofNullable(ctx.queryParam("queued"))
          .filter(n -> n.matches("\\d{1,9}")).orElse("no") + " new notification(s) queued.";
      default -> null;
    };
  }

  static String label(Field f) {
    String n = f.name().replace('_', ' ');
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }

  /** A field value as one line of text. */
  static String text(FieldValue v) {
    return switch (v) {
      case FieldValue.Text t -> t.value();
      case FieldValue.Items items -> items.values().stream().map(ConsoleRoutes::text).collect(Collectors.joining(", "));
      case FieldValue.Entries entries -> entries.values().entrySet().stream()
          .map(e -> e.getKey().replace('_', ' ') + ": " + text(e.getValue())).collect(Collectors.joining("; "));
    };
  }

  private static String safe(String s) {
    String t = s.replaceAll("[^A-Za-z0-9_\\-]", "?");
    return t.length() > 40 ? t.substring(0, 40) : t;
  }
}
