package dev.custos.server;

import dev.custos.access.AccessBroker;
import dev.custos.access.CaseId;
import dev.custos.access.CustomerId;
import dev.custos.access.Decision;
import dev.custos.access.DenyReason;
import dev.custos.access.Purpose;
import dev.custos.access.StaffSubject;
import dev.custos.access.TicketId;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffStatus;
import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import dev.custos.vault.Mask;
import dev.custos.vault.SearchKey;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Customer data for staff: the masked view of a ticket's customer, reveals with a reason and a
 * recent second factor, exact-match search and break-glass. Each handler only translates HTTP to
 * the {@link AccessBroker} and its outcome back; the broker records every request in the ledger
 * before anything is disclosed, and every answer, refusals included, carries that entry's index in
 * {@code ledgerIndex}.
 */
final class CustomerRoutes {
  private static final String TAG = "customers";

  /** {@code POST /v1/customers/{id}/reveal}. */
  record RevealRequest(String ticket, String caseId, List<String> fields, String reason) {}

  /** {@code POST /v1/access/break-glass}. */
  record BreakGlassRequest(String customer, String reason) {}

  private CustomerRoutes() {}

  static List<ApiRoute> all(AccessBroker broker, StaffAuth auth) {
    return all(broker, auth, CustomerGuard.OPEN);
  }

  /** The routes, each access first admitted by {@code guard} (containment's step-up, throttle, suspension). */
  static List<ApiRoute> all(AccessBroker broker, StaffAuth auth, CustomerGuard guard) {
    return List.of(
        ApiRoute.get("/v1/customers/search", "searchCustomers",
            "Find customers by exact e-mail, phone or government id (one of the query parameters email, phone, "
                + "government_id): masked matches", TAG, "application/json",
            Map.of(200, "Matches, possibly none, and the ledger index of the search", 400, "Not exactly one search key",
                429, "Search quota used up", 503, "The ledger did not record the search; nothing disclosed"),
            ctx -> search(ctx, broker, guard))
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.get("/v1/customers/{id}", "viewCustomer",
            "A customer's record, masked by role, for a ticket (?ticket=) or a case (?case=)", TAG, "application/json",
            Map.of(200, "The masked record and the ledger index of this access", 403, "Denied, with the reason code",
                404, "No such customer for this purpose", 429, "A quota is used up",
                503, "The ledger did not record the access; nothing disclosed"),
            ctx -> {
              CustomerId id = customer(ctx);
              answer(ctx, id, broker.view(admitted(ctx, guard), id, purpose(ctx.queryParam("ticket"), ctx.queryParam("case"))));
            })
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.post("/v1/customers/{id}/reveal", "revealCustomerFields",
            "Named fields unmasked, for a ticket or case, with a reason and a second factor within the last minutes", TAG,
            "application/json",
            Map.of(200, "The revealed fields and the ledger index", 400, "Malformed, or no real reason",
                403, "Denied, or a step-up is required", 404, "No such customer for this purpose",
                429, "Reveal quota used up", 503, "The ledger did not record the access; nothing disclosed"),
            ctx -> {
              CustomerId id = customer(ctx);
              RevealRequest req = Json.read(ctx, RevealRequest.class);
              answer(ctx, id, broker.reveal(admitted(ctx, guard), id, purpose(req.ticket(), req.caseId()), fields(req.fields()),
                  req.reason()));
            })
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.post("/v1/access/break-glass", "breakGlass",
            "Emergency access without ticket or case: masked, alerted to security at once, queued for review", TAG,
            "application/json",
            Map.of(200, "The masked record and the ledger index", 400, "Malformed, or no real reason",
                403, "Your role may not break the glass", 404, "No such customer", 429, "Break-glass quota used up",
                503, "The ledger did not record the access; nothing disclosed"),
            ctx -> {
              BreakGlassRequest req = Json.read(ctx, BreakGlassRequest.class);
              CustomerId id = parse("customer", () -> CustomerId.parse(req.customer()));
              answer(ctx, id, broker.breakGlass(admitted(ctx, guard), id, req.reason()));
            })
            .requiringStaffSession(auth, Set.of()));
  }

  /** The person of the session, as the access policy sees them. */
  static AccessBroker.Actor actor(Context ctx) {
    StaffAuth.StaffContext c = StaffAuth.context(ctx);
    StaffAccount a = c.account();
    return new AccessBroker.Actor(new StaffSubject(a.id(), a.roles(), a.status() == StaffStatus.ACTIVE, a.team(), a.shift()),
        c.session().handle().value(), c.session().mfaAt());
  }

  private static AccessBroker.Actor admitted(Context ctx, CustomerGuard guard) {
    AccessBroker.Actor actor = actor(ctx);
    try {
      guard.admit(actor);
    } catch (ApiException e) {
      Object retry = e.problem().extensions().get("retryAfter");
      if (retry != null) {
        ctx.header("Retry-After", retry.toString());
      }
      throw e;
    }
    return actor;
  }

  private static CustomerId customer(Context ctx) {
    return parse("id", () -> CustomerId.parse(ctx.pathParam("id")));
  }

  /** The purpose named by a ticket or a case id; neither is {@link Purpose#NONE}, both is a bad request. */
  static Purpose purpose(String ticket, String kase) {
    boolean hasTicket = ticket != null && !ticket.isBlank();
    boolean hasCase = kase != null && !kase.isBlank();
    if (hasTicket && hasCase) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, "give a ticket or a case, not both")
          .with("field", "case"));
    }
    if (hasTicket) {
      return new Purpose.Ticket(parse("ticket", () -> TicketId.parse(ticket)));
    }
    if (hasCase) {
      return new Purpose.Case(parse("case", () -> CaseId.parse(kase)));
    }
    return Purpose.NONE;
  }

  private static Set<Field> fields(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "fields must name at least one field to reveal")
          .with("field", "fields"));
    }
    Set<Field> out = new LinkedHashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      out.add(parse("fields[" + i + "]", () -> Field.parse(name)));
    }
    return out;
  }

  private static <T> T parse(String field, Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      String why = e.getMessage() == null ? "is required" : e.getMessage();
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, field + ": " + why).with("field", field));
    }
  }

  private static void search(Context ctx, AccessBroker broker, CustomerGuard guard) {
    List<SearchKey> given = new ArrayList<>();
    for (SearchKey k : SearchKey.values()) {
      if (ctx.queryParam(k.wireName()) != null) {
        given.add(k);
      }
    }
    if (given.size() != 1) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER,
          "give exactly one of the query parameters " + String.join(", ",
              java.util.Arrays.stream(SearchKey.values()).map(SearchKey::wireName).toList()))
          .with("field", "query"));
    }
    SearchKey key = given.get(0);
    AccessBroker.Actor actor = admitted(ctx, guard);
    switch (broker.search(actor, key, ctx.queryParam(key.wireName()))) {
      case AccessBroker.SearchOutcome.Found f -> HttpApi.json(ctx, g -> {
        g.writeStartObject();
        g.writeNumberField("ledgerIndex", f.ledgerIndex());
        g.writeArrayFieldStart("matches");
        for (AccessBroker.Match s : f.matches()) {
          if (guard.hides(actor.staff().id(), s.customer())) {
            continue; // another person's decoy: each sees only their own, so a leaked one names its viewer
          }
          g.writeStartObject();
          g.writeStringField("customer", s.customer().value());
          g.writeFieldName("fields");
          FieldValues.write(g, s.values());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      });
      case AccessBroker.SearchOutcome.Refused r -> throw refusal(ctx, r.deny(), r.ledgerIndex());
      case AccessBroker.SearchOutcome.Unrecorded u -> throw unrecorded();
    }
  }

  private static void answer(Context ctx, CustomerId id, AccessBroker.Outcome outcome) {
    switch (outcome) {
      case AccessBroker.Outcome.Shown s -> HttpApi.json(ctx, g -> {
        // Streamed (no tree): the answer of every masked read.
        g.writeStartObject();
        g.writeStringField("customer", id.value());
        g.writeNumberField("ledgerIndex", s.ledgerIndex());
        g.writeFieldName("fields");
        FieldValues.write(g, s.values());
        g.writeObjectFieldStart("masks");
        for (Map.Entry<Field, Mask> m : s.permit().plan().asMap().entrySet()) {
          if (s.values().containsKey(m.getKey())) {
            g.writeStringField(m.getKey().name(), m.getValue().wireName());
          }
        }
        g.writeEndObject();
        g.writeEndObject();
      });
      case AccessBroker.Outcome.NotFound n -> throw new ApiException(
          Problem.of(ProblemType.NOT_FOUND, "no customer " + id.value() + " for this purpose")
              .with("ledgerIndex", n.ledgerIndex()));
      case AccessBroker.Outcome.Refused r -> throw refusal(ctx, r.deny(), r.ledgerIndex());
      case AccessBroker.Outcome.Unrecorded u -> throw unrecorded();
    }
  }

  /**
   * The problem for a deny: 429 for a quota (with {@code Retry-After} and {@code retryAfter}, the
   * seconds until the quota's window frees a slot), 400 for a missing reason, 403 with the reason
   * code otherwise.
   */
  static ApiException refusal(Context ctx, Decision.Deny deny, long ledgerIndex) {
    ProblemType type = switch (deny.reason()) {
      case QUOTA_EXCEEDED -> ProblemType.QUOTA_EXCEEDED;
      case STEP_UP_REQUIRED -> ProblemType.STEP_UP_REQUIRED;
      case REASON_REQUIRED -> ProblemType.REASON_REQUIRED;
      case BAD_REQUEST, UNKNOWN_FIELD, FIELD_NOT_SEARCHABLE -> ProblemType.INVALID_FIELD;
      default -> ProblemType.ACCESS_DENIED;
    };
    Problem p = Problem.of(type, deny.explanation()).with("reason", deny.reason().wireName())
        .with("ledgerIndex", ledgerIndex);
    if (deny.reason() == DenyReason.QUOTA_EXCEEDED) {
      p = p.with("quota", deny.rules().stream().filter(r -> r.startsWith("quota:")).map(r -> r.substring(6))
          .findFirst().orElse("unknown"));
    }
    if (deny.retryAfter().isPresent()) {
      long seconds = deny.retryAfter().get().toSeconds();
      ctx.header("Retry-After", Long.toString(seconds));
      p = p.with("retryAfter", seconds);
    }
    return new ApiException(p);
  }

  static ApiException unrecorded() {
    return new ApiException(Problem.of(ProblemType.LEDGER_UNAVAILABLE,
        "the access could not be recorded in the ledger, so nothing was disclosed; retry shortly"));
  }
}
