package dev.custos.server;

import dev.custos.access.BreakGlassReview;
import dev.custos.access.BreakGlassReviews;
import dev.custos.access.Case;
import dev.custos.access.CaseDesk;
import dev.custos.access.CaseId;
import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.access.StaffSubject;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Investigation cases and the break-glass review queue over HTTP. A lead (support-l2, fraud-analyst
 * or security-analyst) opens a case listing customers with a reason; another lead (support-l2 or
 * security-analyst) approves it; its lead, members or security close it. Security analysts work the
 * break-glass queue: each use gets a verdict and a note from someone other than its user. Every
 * action, done or refused by a rule, is a ledger entry ({@code custos.case/v1},
 * {@code custos.break-glass-review/v1}); the answer carries its index.
 */
final class CaseRoutes {
  private static final Logger log = LoggerFactory.getLogger(CaseRoutes.class);
  private static final String CASES = "cases";
  private static final String REVIEWS = "break-glass";
  /** Who may open a case: the leads of the support desk, fraud and security. */
  static final Set<Role> OPENERS = EnumSet.of(Role.SUPPORT_L2, Role.FRAUD_ANALYST, Role.SECURITY_ANALYST);
  /** Who may approve one (the core checks again, and that the approver is not the lead). */
  static final Set<Role> APPROVERS = dev.custos.access.CaseApproval.LEAD_ROLES;
  /** Who may close one (the core checks membership, or security). */
  static final Set<Role> CLOSERS = EnumSet.of(Role.SUPPORT_L1, Role.SUPPORT_L2, Role.KYC_REVIEWER, Role.FRAUD_ANALYST,
      Role.SECURITY_ANALYST, Role.APPROVER);
  private static final SecureRandom IDS = new SecureRandom();

  /** {@code POST /v1/cases}. {@code days} defaults to 7. */
  record OpenRequest(String id, String title, List<String> customers, List<String> members, Integer days) {}

  /** {@code POST /v1/break-glass/{id}/review}: {@code verdict} is {@code justified} or {@code unjustified}. */
  record ReviewRequest(String verdict, String note) {}

  private CaseRoutes() {}

  static List<ApiRoute> all(CaseDesk desk, BreakGlassReviews reviews, StaffAuth auth) {
    return List.of(
        ApiRoute.post("/v1/cases", "openCase",
            "Open an investigation case listing customers, with a title saying why; it counts as a purpose once "
                + "another lead approves it", CASES, "application/json",
            Map.of(201, "Opened, with the ledger index", 400, "A field is missing or malformed (named)",
                409, "Refused by a rule (recorded)", 503, "Opened but not recorded in the ledger"),
            ctx -> open(ctx, desk))
            .requiringStaffSession(auth, OPENERS),
        ApiRoute.get("/v1/cases/{id}", "getCase", "A case: its customers, members, approval and state", CASES,
            "application/json", Map.of(200, "The case", 404, "No such case, or not one of yours"),
            ctx -> {
              StaffSubject me = CustomerRoutes.actor(ctx).staff();
              Case c = desk.find(caseId(ctx)).filter(k -> k.members().contains(me.id()) || me.has(Role.SECURITY_ANALYST))
                  .orElseThrow(() -> notFound(ctx.pathParam("id")));
              ctx.json(view(c));
            })
            .requiringStaffSession(auth, CLOSERS),
        ApiRoute.post("/v1/cases/{id}/approve", "approveCase",
            "Approve a case: a lead other than the one who opened it", CASES, "application/json",
            Map.of(200, "Approved, with the ledger index", 404, "No such case",
                409, "Refused by a rule (own case, already approved, closed or expired; recorded)",
                503, "Approved but not recorded in the ledger"),
            ctx -> answer(ctx, desk.approve(CustomerRoutes.actor(ctx).staff(), caseId(ctx)), 200))
            .requiringStaffSession(auth, APPROVERS),
        ApiRoute.post("/v1/cases/{id}/close", "closeCase", "Close a case early: its lead, a member or security",
            CASES, "application/json",
            Map.of(200, "Closed, with the ledger index", 404, "No such case", 409, "Refused by a rule (recorded)",
                503, "Closed but not recorded in the ledger"),
            ctx -> answer(ctx, desk.close(CustomerRoutes.actor(ctx).staff(), caseId(ctx)), 200))
            .requiringStaffSession(auth, CLOSERS),
        ApiRoute.get("/v1/break-glass", "breakGlassQueue",
            "Break-glass uses awaiting review, oldest first (at most ?limit=, 1-1000, default 100)", REVIEWS,
            "application/json", Map.of(200, "The pending uses", 400, "limit out of range"),
            ctx -> {
              int limit = HttpApi.limit(ctx.queryParam("limit"));
              ctx.json(Map.of("pending", reviews.pending(limit).stream().map(CaseRoutes::view).toList()));
            })
            .requiringStaffSession(auth, Set.of(Role.SECURITY_ANALYST)),
        ApiRoute.post("/v1/break-glass/{id}/review", "reviewBreakGlass",
            "Review one break-glass use: a verdict and a note, by a security analyst who is not its user", REVIEWS,
            "application/json",
            Map.of(200, "Reviewed, with the ledger index", 400, "verdict or note missing or malformed (named)",
                403, "The reviewer is the user", 404, "No such use", 409, "Already reviewed",
                503, "Reviewed but not recorded in the ledger"),
            ctx -> review(ctx, reviews))
            .requiringStaffSession(auth, Set.of(Role.SECURITY_ANALYST)));
  }

  private static void open(Context ctx, CaseDesk desk) {
    OpenRequest req = Json.read(ctx, OpenRequest.class);
    CaseId id = req.id() == null ? new CaseId("case-" + HexFormat.of().formatHex(randomBytes()))
        : parse("id", () -> CaseId.parse(req.id()));
    if (req.title() == null || req.title().isBlank()) {
      throw invalid("title", "title is required: what the investigation is about");
    }
    if (req.customers() == null || req.customers().isEmpty()) {
      throw invalid("customers", "customers must list at least one customer");
    }
    if (req.customers().size() > Case.MAX_CUSTOMERS) {
      throw invalid("customers", "customers must list at most " + Case.MAX_CUSTOMERS);
    }
    Set<CustomerId> customers = new LinkedHashSet<>();
    for (int i = 0; i < req.customers().size(); i++) {
      String c = req.customers().get(i);
      customers.add(parse("customers[" + i + "]", () -> CustomerId.parse(c)));
    }
    Set<StaffId> members = new LinkedHashSet<>();
    List<String> given = req.members() == null ? List.of() : req.members();
    if (given.size() >= Case.MAX_MEMBERS) {
      throw invalid("members", "members must list fewer than " + Case.MAX_MEMBERS + " (the lead is added)");
    }
    for (int i = 0; i < given.size(); i++) {
      String m = given.get(i);
      members.add(parse("members[" + i + "]", () -> StaffId.parse(m)));
    }
    int days = req.days() == null ? 7 : req.days();
    if (days < 1 || days > Duration.ofDays(30).toDays()) {
      throw invalid("days", "days must be 1 to 30");
    }
    String title = parse("title", () -> {
      if (req.title().length() > 200 || req.title().chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException("title must be 1-200 characters without control characters");
      }
      return req.title().strip();
    });
    answer(ctx, desk.open(CustomerRoutes.actor(ctx).staff(), id, title, customers, members, Duration.ofDays(days)), 201);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    IDS.nextBytes(b);
    return b;
  }

  private static void answer(Context ctx, CaseDesk.Result result, int status) {
    switch (result) {
      case CaseDesk.Result.Done d -> {
        Map<String, Object> body = view(d.kase());
        body.put("ledgerIndex", d.ledgerIndex());
        ctx.status(status).json(body);
      }
      case CaseDesk.Result.Refused r -> throw new ApiException(Problem.of(ProblemType.CONFLICT, r.why())
          .with("field", "id").with("ledgerIndex", r.ledgerIndex()));
      case CaseDesk.Result.NotFound n -> throw notFound(n.id().value());
      case CaseDesk.Result.Unrecorded u -> {
        log.error("a case action was {} but not recorded in the ledger: {}", u.changed() ? "made" : "refused", u.why());
        throw new ApiException(Problem.of(ProblemType.LEDGER_UNAVAILABLE, u.changed()
            ? "the change was made but the ledger did not record it; security has been told through the server log"
            : "the action was refused and the ledger did not record the attempt; retry shortly"));
      }
    }
  }

  private static void review(Context ctx, BreakGlassReviews reviews) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, "id must be a break-glass use number")
          .with("parameter", "id"));
    }
    ReviewRequest req = Json.read(ctx, ReviewRequest.class);
    boolean justified = switch (req.verdict() == null ? "" : req.verdict()) {
      case "justified" -> true;
      case "unjustified" -> false;
      default -> throw invalid("verdict", "verdict must be justified or unjustified");
    };
    switch (reviews.review(CustomerRoutes.actor(ctx).staff(), id, justified, req.note())) {
      case BreakGlassReviews.Result.Done d -> {
        Map<String, Object> body = view(d.review());
        body.put("ledgerIndex", d.ledgerIndex());
        ctx.json(body);
      }
      case BreakGlassReviews.Result.Refused r -> throw new ApiException(switch (r.field()) {
        case "reviewer" -> Problem.of(ProblemType.FORBIDDEN, r.why()).with("field", r.field());
        case "id" -> Problem.of(ProblemType.CONFLICT, r.why()).with("field", r.field());
        default -> Problem.of(ProblemType.INVALID_FIELD, r.why()).with("field", r.field());
      });
      case BreakGlassReviews.Result.NotFound n -> throw notFound("break-glass use " + n.id());
      case BreakGlassReviews.Result.Unrecorded u -> {
        log.error("break-glass use {} was reviewed but the review is not in the ledger: {}", id, u.why());
        throw new ApiException(Problem.of(ProblemType.LEDGER_UNAVAILABLE,
            "the review was stored but the ledger did not record it; security has been told through the server log"));
      }
    }
  }

  static Map<String, Object> view(Case c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id().value());
    m.put("lead", c.lead().value());
    m.put("title", c.title());
    m.put("customers", c.customers().stream().map(CustomerId::value).sorted().toList());
    m.put("members", c.members().stream().map(StaffId::value).sorted().toList());
    m.put("openedAt", c.openedAt().toString());
    m.put("expiresAt", c.expiresAt().toString());
    c.approval().ifPresent(a -> {
      m.put("approvedBy", a.by().value());
      m.put("approvedAt", a.at().toString());
    });
    c.closedAt().ifPresent(t -> m.put("closedAt", t.toString()));
    m.put("approved", c.approvedByAnotherLead());
    return m;
  }

  static Map<String, Object> view(BreakGlassReview r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("staff", r.use().staff().value());
    m.put("customer", r.use().customer().value());
    m.put("reason", r.use().reason());
    m.put("at", r.use().at().toString());
    r.verdict().ifPresent(v -> {
      m.put("reviewer", v.reviewer().value());
      m.put("verdict", v.justified() ? "justified" : "unjustified");
      m.put("note", v.note());
      m.put("reviewedAt", v.at().toString());
    });
    return m;
  }


  private static CaseId caseId(Context ctx) {
    try {
      return CaseId.parse(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, e.getMessage()).with("parameter", "id"));
    }
  }

  private static ApiException notFound(String what) {
    return new ApiException(Problem.of(ProblemType.NOT_FOUND, "no " + what));
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
