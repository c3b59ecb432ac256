package dev.custos.server;

import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.access.TicketId;
import dev.custos.access.Tickets;
import dev.custos.approval.ActionSpec;
import dev.custos.approval.Approval;
import dev.custos.approval.ApprovalDesk;
import dev.custos.approval.ApprovalRequest;
import dev.custos.approval.ApprovalState;
import dev.custos.approval.Canceller;
import dev.custos.approval.Participant;
import dev.custos.identity.PersonLinks;
import dev.custos.approval.RequestId;
import dev.custos.approval.SensitiveAction;
import io.javalin.http.Context;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Four-eyes approval requests over HTTP. Any member of staff may ask for a sensitive action; the
 * eligible approvers of its policy approve (with a second factor proven in the last
 * {@link StaffRoutes#STEP_UP_MAX_AGE}) or deny; its requester or security cancel; its requester
 * edits it while pending, which voids the approvals. Every step, done or refused, is a
 * {@code custos.approval/v1} ledger entry; the answer carries its index.
 */
final class ApprovalRoutes {
  private static final Logger log = LoggerFactory.getLogger(ApprovalRoutes.class);
  private static final String TAG = "approvals";
  /** Everyone with a role may ask and see their own requests; the policy decides who approves. */
  static final Set<Role> ANY = Set.of();

  /** {@code POST /v1/approvals} and {@code PUT /v1/approvals/{id}}. */
  record Ask(String action, String customer, Map<String, String> parameters, String ticket) {}

  /** {@code POST /v1/approvals/{id}/approve}: the binding hash the approver was shown. */
  record Approve(String bindingHash) {}

  /** {@code POST /v1/approvals/{id}/deny|cancel}. */
  record Note(String note) {}

  private ApprovalRoutes() {}

  /**
   * The routes; {@code persons} says which human is behind an account (linked accounts count as one
   * person); {@code quorum} runs after an approval completes a quorum (the server sweeps at once,
   * so a request without a time-lock is carried out now rather than at the next timed sweep).
   */
  static List<ApiRoute> all(ApprovalDesk desk, Tickets tickets, StaffAuth auth, PersonLinks persons, Runnable quorum) {
    return List.of(
        ApiRoute.post("/v1/approvals", "requestApproval",
            "Ask for a sensitive action; it takes effect once enough other people approved it and its time-lock elapsed",
            TAG, "application/json", Map.of(201, "Requested, with the binding hash and the ledger index",
                400, "A field is missing or malformed (named)", 409, "Refused by a rule (recorded)",
                503, "Requested but not recorded in the ledger"),
            ctx -> {
              Ask ask = Json.read(ctx, Ask.class);
              ActionSpec spec = spec(ask, null);
              Set<String> conflicted = new HashSet<>();
              if (ask.ticket() != null) {
                TicketId t = parse("ticket", () -> TicketId.parse(ask.ticket()));
                // The owner of the ticket behind the request is not an independent approver.
                tickets.find(t).flatMap(k -> k.assignee()).ifPresent(a -> conflicted.add(a.value()));
              }
              answer(ctx, desk.request(me(ctx, persons), spec, conflicted), 201);
            }).requiringStaffSession(auth, ANY),
        ApiRoute.get("/v1/approvals", "listApprovals",
            "Requests: ?mine=true those you asked for, ?toApprove=true those you may approve now, else (security, "
                + "auditors) all; ?state= filters", TAG, "application/json",
            Map.of(200, "The requests, newest first", 400, "state or limit malformed"),
            ctx -> list(ctx, desk, persons)).requiringStaffSession(auth, ANY),
        ApiRoute.get("/v1/approvals/{id}", "getApproval",
            "A request: what it asks, its binding hash, state and approvals", TAG, "application/json",
            Map.of(200, "The request", 404, "No such request, or not one you may see"),
            ctx -> {
              Participant p = me(ctx, persons);
              ApprovalRequest r = desk.find(id(ctx)).filter(x -> mayView(p, x)).orElseThrow(() -> notFound(ctx));
              ctx.json(view(r));
            }).requiringStaffSession(auth, ANY),
        ApiRoute.put("/v1/approvals/{id}", "editApproval",
            "Change what a pending request asks (its requester only); every approval collected is void", TAG,
            "application/json", Map.of(200, "Edited", 400, "A field is missing or malformed (named)", 404, "No such request",
                409, "Refused by a rule (recorded)", 503, "Edited but not recorded in the ledger"),
            ctx -> {
              RequestId id = id(ctx);
              ApprovalRequest current = desk.find(id).orElseThrow(() -> notFound(ctx));
              answer(ctx, desk.edit(me(ctx, persons), id, spec(Json.read(ctx, Ask.class), current.spec().action())), 200);
            }).requiringStaffSession(auth, ANY),
        ApiRoute.post("/v1/approvals/{id}/approve", "approveRequest",
            "Approve the exact content you were shown (bindingHash); needs a recent second factor", TAG,
            "application/json", Map.of(200, "Approved (approved: the quorum is reached)", 400, "bindingHash missing",
                403, "Step-up required", 404, "No such request",
                409, "Refused by a rule: own request, same person or team, no approver role, changed, already decided",
                503, "Approved but not recorded in the ledger"),
            ctx -> {
              auth.requireRecentMfa(StaffAuth.context(ctx), StaffRoutes.STEP_UP_MAX_AGE);
              Approve body = Json.read(ctx, Approve.class);
              if (body.bindingHash() == null || body.bindingHash().isBlank()) {
                throw invalid("bindingHash", "bindingHash is required: the hash of the content you approve");
              }
              ApprovalDesk.Result result = desk.approve(me(ctx, persons), id(ctx), body.bindingHash());
              answer(ctx, result, 200);
              if (result instanceof ApprovalDesk.Result.Done d && d.request().state() == ApprovalState.APPROVED) {
                quorum.run();
              }
            }).requiringStaffSession(auth, ANY),
        ApiRoute.post("/v1/approvals/{id}/deny", "denyRequest", "Refuse a pending request (an eligible approver)", TAG,
            "application/json", Map.of(200, "Denied", 403, "Step-up required", 404, "No such request",
                409, "Refused by a rule (recorded)", 503, "Denied but not recorded in the ledger"),
            ctx -> {
              auth.requireRecentMfa(StaffAuth.context(ctx), StaffRoutes.STEP_UP_MAX_AGE);
              answer(ctx, desk.deny(me(ctx, persons), id(ctx), note(ctx)), 200);
            }).requiringStaffSession(auth, ANY),
        ApiRoute.post("/v1/approvals/{id}/cancel", "cancelRequest",
            "Withdraw a request before it is executed (its requester, or security)", TAG, "application/json",
            Map.of(200, "Cancelled", 404, "No such request", 409, "Refused by a rule (recorded)",
                503, "Cancelled but not recorded in the ledger"),
            ctx -> answer(ctx, desk.cancel(new Canceller.Staff(me(ctx, persons)), id(ctx), note(ctx)), 200))
            .requiringStaffSession(auth, ANY));
  }

  private static void list(Context ctx, ApprovalDesk desk, PersonLinks persons) {
    Participant p = me(ctx, persons);
    Optional<ApprovalState> state = Optional.ofNullable(ctx.queryParam("state")).map(s -> {
      try {
        return ApprovalState.parse(s);
      } catch (IllegalArgumentException e) {
        throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, e.getMessage()).with("parameter", "state"));
      }
    });
    List<ApprovalRequest> found;
    if ("true".equals(ctx.queryParam("toApprove"))) {
      found = desk.toApprove(p, 500);
    } else if ("true".equals(ctx.queryParam("mine"))) {
      found = desk.list(state, Optional.of(p.subject().id()), 200);
    } else if (p.subject().has(Role.SECURITY_ANALYST) || p.subject().has(Role.AUDITOR)) {
      found = desk.list(state, Optional.empty(), 200);
    } else {
      throw new ApiException(Problem.of(ProblemType.FORBIDDEN,
          "only security and auditors list every request; ask for ?mine=true or ?toApprove=true"));
    }
    ctx.json(Map.of("requests", found.stream().filter(r -> state.isEmpty() || r.state() == state.get())
        .map(ApprovalRoutes::view).toList()));
  }

  private static boolean mayView(Participant p, ApprovalRequest r) {
    return r.requester().equals(p.subject().id()) || p.subject().has(Role.SECURITY_ANALYST)
        || p.subject().has(Role.AUDITOR) || r.policy().approverRoles().stream().anyMatch(p.subject()::has);
  }

  private static ActionSpec spec(Ask ask, SensitiveAction keep) {
    SensitiveAction action = keep != null && ask.action() == null ? keep
        : parse("action", () -> SensitiveAction.parse(ask.action()));
    Optional<CustomerId> customer = ask.customer() == null ? Optional.empty()
        : Optional.of(parse("customer", () -> CustomerId.parse(ask.customer())));
    Map<String, String> params = ask.parameters() == null ? Map.of() : ask.parameters();
    if (action.aboutCustomer() && customer.isEmpty()) {
      throw invalid("customer", "customer is required for " + action.wireName());
    }
    if (!action.aboutCustomer() && customer.isPresent()) {
      throw invalid("customer", "customer must be absent for " + action.wireName());
    }
    ActionSpec spec = parse("parameters", () -> ActionSpec.of(action, customer, params));
    Optional<String[]> unusable = ApprovalExecution.checkParameters(action, spec.parameters());
    if (unusable.isPresent()) {
      throw invalid(unusable.get()[0], unusable.get()[1]);
    }
    return spec;
  }

  private static String note(Context ctx) {
    if (ctx.body().isBlank()) {
      return null;
    }
    String note = Json.read(ctx, Note.class).note();
    if (note != null && (note.length() > 1000 || note.chars().anyMatch(Character::isISOControl))) {
      throw invalid("note", "note must be at most 1000 characters without control characters");
    }
    return note;
  }

  /** The caller, with the person behind the account when an administrator linked it (else the account itself). */
  /** Where a customer cancels a request about them during the time-lock they were told of. */
  static final String CUSTOMER_CANCEL = "/v1/me/approvals/{id}/cancel";

  /**
   * {@code POST /v1/me/approvals/{id}/cancel}: the customer a request is about cancels it during its
   * time-lock (Authorization: Bearer, the exchange's customer token as for the access log). A request
   * about someone else is answered as if it did not exist.
   */
  static ApiRoute customerCancel(ApprovalDesk desk, Optional<dev.custos.identity.oidc.CustomerTokens> tokens) {
    return ApiRoute.post(CUSTOMER_CANCEL, "customerCancelRequest",
        "The customer stops a change to their account during its time-lock (Authorization: Bearer <customer JWT "
            + "of the exchange's login>); recorded in the ledger", TAG, "application/json",
        Map.of(200, "Cancelled", 401, "No valid customer token", 404, "No such request about you",
            409, "Not in a time-lock the customer was told of (recorded)", 503, "Cancelled but not recorded in the ledger"),
        ctx -> {
          CustomerId customer = TransparencyRoutes.authenticate(ctx, tokens).customer();
          RequestId id = id(ctx);
          desk.find(id).filter(r -> r.spec().customer().equals(Optional.of(customer))).orElseThrow(() -> notFound(ctx));
          answer(ctx, desk.cancel(new Canceller.Customer(), id, note(ctx)), 200);
        });
  }

  /** The caller as an approval participant: the person behind the account (linked accounts count once). */
  static Participant me(Context ctx, PersonLinks persons) {
    dev.custos.access.StaffSubject subject = CustomerRoutes.actor(ctx).staff();
    return new Participant(subject, persons.person(subject.id()).orElse(subject.id().value()));
  }

  private static void answer(Context ctx, ApprovalDesk.Result result, int status) {
    switch (result) {
      case ApprovalDesk.Result.Done d -> {
        Map<String, Object> body = view(d.request());
        body.put("event", d.event());
        body.put("ledgerIndex", d.ledgerIndex());
        ctx.status(status).json(body);
      }
      case ApprovalDesk.Result.Refused r -> throw new ApiException(Problem.of(ProblemType.CONFLICT, r.why())
          .with("field", r.field()).with("ledgerIndex", r.ledgerIndex()));
      case ApprovalDesk.Result.NotFound n -> throw notFound(ctx);
      case ApprovalDesk.Result.Unrecorded u -> {
        log.error("an approval step was {} but not recorded in the ledger: {}", u.changed() ? "made" : "refused", u.why());
        throw new ApiException(Problem.of(ProblemType.LEDGER_UNAVAILABLE, u.changed()
            ? "the change was made but the ledger did not record it; security has been told through the server log"
            : "the step was refused and the ledger did not record the attempt; retry shortly"));
      }
    }
  }

  static Map<String, Object> view(ApprovalRequest r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id().value());
    m.put("action", r.spec().action().wireName());
    r.spec().customer().ifPresent(c -> m.put("customer", c.value()));
    m.put("parameters", r.spec().parameters());
    m.put("bindingHash", r.bindingHash());
    m.put("requester", r.requester().value());
    m.put("state", r.state().wireName());
    m.put("required", r.policy().required());
    m.put("approverRoles", r.policy().approverRoles().stream().map(Role::wireName).sorted().toList());
    m.put("approvals", r.approvals().stream().map(ApprovalRoutes::view).toList());
    m.put("createdAt", r.createdAt().toString());
    m.put("expiresAt", r.expiresAt().toString());
    r.approvedAt().ifPresent(t -> m.put("approvedAt", t.toString()));
    r.unlocksAt().ifPresent(t -> m.put("unlocksAt", t.toString()));
    r.closedBy().ifPresent(b -> m.put("closedBy", b));
    r.closedAt().ifPresent(t -> m.put("closedAt", t.toString()));
    r.note().ifPresent(n -> m.put("note", n));
    return m;
  }

  private static Map<String, Object> view(Approval a) {
    return Map.of("staff", a.staff().value(), "at", a.at().toString());
  }

  private static RequestId id(Context ctx) {
    try {
      return RequestId.parse(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, e.getMessage()).with("parameter", "id"));
    }
  }

  private static ApiException notFound(Context ctx) {
    return new ApiException(Problem.of(ProblemType.NOT_FOUND, "no approval request " + ctx.pathParam("id")));
  }

  private static ApiException invalid(String field, String why) {
    return new ApiException(Problem.of(ProblemType.INVALID_FIELD, why).with("field", field));
  }

  private static <T> T parse(String field, Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw invalid(field, field + ": " + (e.getMessage() == null ? "is required" : e.getMessage()));
    }
  }
}
