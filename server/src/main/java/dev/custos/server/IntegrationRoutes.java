package dev.custos.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custos.access.AccessLedger;
import dev.custos.access.CanonicalJson;
import dev.custos.access.CustomerId;
import dev.custos.access.Ingest;
import dev.custos.access.StaffId;
import dev.custos.access.TicketEvent;
import dev.custos.access.TicketId;
import dev.custos.access.TicketOutcome;
import dev.custos.access.TicketStatus;
import dev.custos.access.Tickets;
import dev.custos.identity.Scope;
import dev.custos.identity.ServiceToken;
import dev.custos.vault.ErasedCustomerException;
import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import dev.custos.vault.PutResult;
import dev.custos.vault.Vault;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What other systems of the exchange send: customer records from the backend
 * ({@code PUT /v1/customers/{id}}, service token with scope {@code customers:write}) and ticket
 * changes from the ticket system ({@code POST /v1/integrations/tickets}, signed webhook). Both are
 * recorded in the ledger.
 */
final class IntegrationRoutes {
  private static final Logger log = LoggerFactory.getLogger(IntegrationRoutes.class);
  /** The ledger entry kind of a ticket-system delivery. */
  static final String TICKET_KIND = "custos.ticket/v1";

  private IntegrationRoutes() {}

  static List<ApiRoute> all(Ingest ingest, Vault vault, Tickets tickets, AccessLedger ledger, WebhookSignature signature,
      ServiceAuth serviceAuth, InstantSource clock) {
    return all(ingest, vault, tickets, ledger, signature, serviceAuth, clock, IntegrationHooks.NONE);
  }

  /** The routes, telling {@code hooks} (detection) of each customer stored and each ticket change. */
  static List<ApiRoute> all(Ingest ingest, Vault vault, Tickets tickets, AccessLedger ledger, WebhookSignature signature,
      ServiceAuth serviceAuth, InstantSource clock, IntegrationHooks hooks) {
    return List.of(
        ApiRoute.put("/v1/customers/{id}", "putCustomer",
            "Create or update a customer's record in the vault: {\"fields\":{...}}; fields not given keep their values",
            "integrations", "application/json",
            Map.of(200, "Stored; says whether created, updated or unchanged and which fields changed, and the ledger index",
                400, "A field is unknown or its value invalid (named)", 409, "The customer was erased",
                503, "Stored, but the ledger did not record it; retry (an unchanged record is not rewritten)"),
            ctx -> putCustomer(ctx, ingest, hooks))
            .requiringServiceToken(serviceAuth, Scope.CUSTOMERS_WRITE),
        ApiRoute.post("/v1/integrations/tickets", "ticketWebhook",
            "The ticket system's webhook: a ticket was created, assigned, reassigned, solved or closed. Signed with "
                + "HMAC-SHA256 over the timestamp and the body (headers " + WebhookSignature.SIGNATURE_HEADER + ", "
                + WebhookSignature.TIMESTAMP_HEADER + ")", "integrations", "application/json",
            Map.of(200, "Applied, or acknowledged as stale (older than what is stored)", 400, "Malformed payload (field named)",
                401, "Missing or wrong signature, or outside the replay window", 409, "An impossible change (e.g. reopening a closed ticket)",
                503, "The ledger did not record the delivery; nothing applied, retry"),
            ctx -> ticket(ctx, tickets, vault, ledger, signature, clock, hooks)));
  }

  private static void putCustomer(Context ctx, Ingest ingest, IntegrationHooks hooks) {
    CustomerId id;
    try {
      id = CustomerId.parse(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, "id: " + e.getMessage()).with("field", "id"));
    }
    Json.requireJsonBody(ctx);
    JsonNode body = tree(ctx.bodyAsBytes());
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!name.equals("fields")) {
        throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "field '" + name + "': unknown field").with("field", name));
      }
    }
    Map<Field, FieldValue> fields;
    try {
      fields = FieldValues.read(body.get("fields"), "fields");
    } catch (IllegalArgumentException e) {
      throw invalid(e);
    }
    if (fields.isEmpty()) {
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "fields: give at least one field").with("field", "fields"));
    }
    ServiceToken token = ctx.attribute(ServiceAuth.ATTRIBUTE);
    Ingest.Result result;
    try {
      result = ingest.put("api", token == null ? "unknown" : token.id(), Map.of(id, fields));
    } catch (IllegalArgumentException e) {
      throw invalid(e);
    } catch (ErasedCustomerException e) {
      throw new ApiException(Problem.of(ProblemType.CONFLICT, "customer " + id.value() + " was erased and stays erased"));
    } catch (AccessLedger.Unavailable e) {
      log.error("customer {} stored but its ingest entry was not recorded: {}", id.value(), e.getMessage());
      throw new ApiException(Problem.of(ProblemType.LEDGER_UNAVAILABLE,
          "the record was stored but the ledger did not record it; retry the same request"));
    }
    try {
      hooks.customerStored(id, fields);
    } catch (RuntimeException e) {
      log.error("customer {} stored but its detection facts were not updated: {}", id.value(), e.toString());
    }
    PutResult r = result.results().get(0);
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("customer", id.value());
    out.put("outcome", r.outcome().name().toLowerCase(java.util.Locale.ROOT));
    var changed = out.putArray("changed");
    r.changed().forEach(f -> changed.add(f.name()));
    // An unchanged record writes no ledger entry: there is no index to give.
    result.ledgerIndex().ifPresent(i -> out.put("ledgerIndex", i));
    ctx.json(out);
  }

  /** Reads a body as a JSON tree, numbers as exact decimals. */
  static JsonNode tree(byte[] body) {
    if (body.length == 0) {
      throw new ApiException(Problem.of(ProblemType.MALFORMED_JSON, "the request body is empty; a JSON object is required"));
    }
    try {
      JsonNode node = FieldValues.reader().readTree(body);
      if (node == null || !node.isObject()) {
        throw new ApiException(Problem.of(ProblemType.MALFORMED_JSON, "the request body must be a JSON object"));
      }
      return node;
    } catch (IOException e) {
      throw new ApiException(Problem.of(ProblemType.MALFORMED_JSON, "malformed JSON"));
    }
  }

  private static ApiException invalid(IllegalArgumentException e) {
    String msg = e.getMessage() == null ? "invalid value" : e.getMessage();
    int colon = msg.indexOf(':');
    String field = colon > 0 && !msg.substring(0, colon).contains(" ") ? msg.substring(0, colon) : "fields";
    return new ApiException(Problem.of(ProblemType.INVALID_FIELD, msg).with("field", field));
  }

  // ---- the ticket webhook

  private static void ticket(Context ctx, Tickets tickets, Vault vault, AccessLedger ledger, WebhookSignature signature,
      InstantSource clock, IntegrationHooks hooks) {
    byte[] body = ctx.bodyAsBytes();
    WebhookSignature.Refusal refusal = signature.check(ctx.header(WebhookSignature.SIGNATURE_HEADER),
        ctx.header(WebhookSignature.TIMESTAMP_HEADER), body);
    if (refusal != null) {
      log.warn("ticket webhook refused: {}", refusal.explanation);
      throw new ApiException(Problem.of(ProblemType.UNAUTHORIZED, "webhook refused: " + refusal.explanation));
    }
    TicketEvent event = ticketEvent(tree(body));
    Map<String, Object> entry = new TreeMap<>();
    entry.put("kind", TICKET_KIND);
    entry.put("at", clock.instant().toString());
    entry.put("event", event.type().wireName());
    entry.put("ticket", event.id().value());
    entry.put("status", event.status().wireName());
    entry.put("assignee", event.assignee().map(StaffId::value).orElse(null));
    entry.put("requester", vault.commitment(event.requester()).map(c -> c.hex()).orElse(null));
    entry.put("created_by_staff", event.createdByStaff());
    entry.put("updated_at", event.occurredAt().toString());
    long index;
    try {
      index = ledger.append(CanonicalJson.encode(entry)).index();
    } catch (AccessLedger.Unavailable e) {
      throw CustomerRoutes.unrecorded();
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("ledgerIndex", index);
    if (hooks.ignoresTicket(event)) {
      // Recorded, not applied: no ticket may grant access to a decoy (docs/detection.md).
      ctx.json(out.put("outcome", "ignored"));
      return;
    }
    switch (tickets.apply(event)) {
      case TicketOutcome.Applied a -> {
        out.put("outcome", "applied").put("version", a.ticket().version());
        hooks.ticketApplied(event);
      }
      case TicketOutcome.Stale s -> out.put("outcome", "stale").put("version", s.current().version());
      case TicketOutcome.Refused r -> throw new ApiException(Problem.of(ProblemType.CONFLICT, r.reason())
          .with("ledgerIndex", index));
    }
    ctx.json(out);
  }

  /** The Zendesk-style payload: {@code {"event":…,"ticket":{id, requester_id, assignee_id, status, channel, category, created_by_staff, updated_at}}}. */
  static TicketEvent ticketEvent(JsonNode body) {
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!name.equals("event") && !name.equals("ticket")) {
        throw fieldProblem(name, "unknown field");
      }
    }
    JsonNode t = body.get("ticket");
    if (t == null || !t.isObject()) {
      throw fieldProblem("ticket", "expected an object");
    }
    java.util.Set<String> known = java.util.Set.of("id", "requester_id", "assignee_id", "status", "channel", "category",
        "created_by_staff", "updated_at");
    for (var it = t.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw fieldProblem("ticket." + name, "unknown field");
      }
    }
    TicketEvent.Type type = parse("event", text(body, "event", "event"), s -> {
      for (TicketEvent.Type x : TicketEvent.Type.values()) {
        if (x.wireName().equals(s)) {
          return x;
        }
      }
      throw new IllegalArgumentException("must be one of created, assigned, reassigned, solved, closed");
    });
    TicketId id = parse("ticket.id", text(t, "id", "ticket.id"), TicketId::parse);
    CustomerId requester = parse("ticket.requester_id", text(t, "requester_id", "ticket.requester_id"), CustomerId::parse);
    JsonNode assigneeNode = t.get("assignee_id");
    Optional<StaffId> assignee = assigneeNode == null || assigneeNode.isNull() ? Optional.empty()
        : Optional.of(parse("ticket.assignee_id", text(t, "assignee_id", "ticket.assignee_id"), StaffId::parse));
    TicketStatus status = parse("ticket.status", text(t, "status", "ticket.status"), TicketStatus::parse);
    JsonNode staffNode = t.get("created_by_staff");
    if (staffNode != null && !staffNode.isBoolean()) {
      throw fieldProblem("ticket.created_by_staff", "expected true or false");
    }
    Instant at = parse("ticket.updated_at", text(t, "updated_at", "ticket.updated_at"), Instant::parse);
    String channel = text(t, "channel", "ticket.channel");
    String category = text(t, "category", "ticket.category");
    TicketEvent event;
    try {
      event = new TicketEvent(type, id, requester, assignee, status, channel, category,
          staffNode != null && staffNode.booleanValue(), at);
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage() == null ? "invalid" : e.getMessage();
      throw fieldProblem(msg.contains("channel") ? "ticket.channel" : msg.contains("category") ? "ticket.category" : "ticket", msg);
    }
    event.inconsistency().ifPresent(why -> {
      throw fieldProblem("event", why);
    });
    return event;
  }

  private static String text(JsonNode parent, String name, String path) {
    JsonNode n = parent.get(name);
    if (n == null || n.isNull()) {
      throw fieldProblem(path, "is required");
    }
    if (!n.isTextual()) {
      throw fieldProblem(path, "expected a string");
    }
    return n.textValue();
  }

  private static <T> T parse(String path, String text, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw fieldProblem(path, e instanceof DateTimeParseException ? "expected an ISO-8601 instant such as 2026-11-21T10:00:00Z"
          : e.getMessage());
    }
  }

  private static ApiException fieldProblem(String field, String why) {
    return new ApiException(Problem.of(ProblemType.INVALID_FIELD, "field '" + field + "': " + why).with("field", field));
  }
}
