package dev.custos.server;

import dev.custos.access.CustomerId;
import dev.custos.approval.Withdrawal;
import dev.custos.approval.WithdrawalDecision;
import dev.custos.approval.WithdrawalDesk;
import dev.custos.identity.Scope;
import dev.custos.identity.ServiceToken;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The withdrawal-policy API for the wallet service (service token with {@code withdrawals:evaluate}):
 * allow, hold (until), require approval (with the request made) or block, with the rules that
 * decided. The amount is a JSON string, so no binary floating point ever touches it.
 */
final class WithdrawalRoutes {
  private static final Logger log = LoggerFactory.getLogger(WithdrawalRoutes.class);

  /** {@code POST /v1/withdrawals/evaluate}; {@code context.newDeviceAt} is optional (ISO-8601). */
  record Evaluate(String account, String asset, String amount, String destination, Map<String, String> context,
      String reference) {}

  private WithdrawalRoutes() {}

  static List<ApiRoute> all(WithdrawalDesk desk, ServiceAuth auth) {
    return List.of(ApiRoute.post("/v1/withdrawals/evaluate", "evaluateWithdrawal",
        "Decide a withdrawal: allow, hold (until), require-approval (m of n, the request made) or block, with the rules "
            + "that decided; recorded in the ledger before the answer", "withdrawals", "application/json",
        Map.of(200, "The decision", 400, "A field is missing or malformed (named)",
            503, "Not decided (ledger or store unavailable): treat as block"),
        ctx -> evaluate(ctx, desk)).requiringServiceToken(auth, Scope.WITHDRAWALS_EVALUATE));
  }

  private static void evaluate(Context ctx, WithdrawalDesk desk) {
    Evaluate e = Json.read(ctx, Evaluate.class);
    CustomerId account = parse("account", () -> CustomerId.parse(e.account()));
    if (e.amount() == null) {
      throw invalid("amount", "amount is required, as a decimal string such as \"0.015\"");
    }
    BigDecimal amount = parse("amount", () -> new BigDecimal(e.amount().strip()));
    Optional<Instant> newDevice = Optional.empty();
    if (e.context() != null && e.context().get("newDeviceAt") != null) {
      try {
        newDevice = Optional.of(Instant.parse(e.context().get("newDeviceAt")));
      } catch (DateTimeParseException ex) {
        throw invalid("context.newDeviceAt", "context.newDeviceAt must be an ISO-8601 instant");
      }
    }
    Optional<Instant> device = newDevice;
    Withdrawal w = parse(fieldOf(e), () -> new Withdrawal(account, e.asset(), amount, e.destination(), device,
        Optional.ofNullable(e.reference())));
    ServiceToken caller = ctx.attribute(ServiceAuth.ATTRIBUTE);
    WithdrawalDesk.Evaluation ev;
    try {
      ev = desk.evaluate(w, caller == null ? "unknown" : caller.name());
    } catch (WithdrawalDesk.Undecided ex) {
      log.error("withdrawal not decided: {}", ex.getMessage());
      throw new ApiException(Problem.of(ProblemType.LEDGER_UNAVAILABLE,
          "the withdrawal could not be decided and recorded; treat it as blocked and retry"));
    }
    WithdrawalDecision d = ev.decision();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("decision", d.effect().wireName());
    d.holdUntil().ifPresent(t -> body.put("holdUntil", t.toString()));
    ev.approval().ifPresent(r -> {
      body.put("required", r.policy().required());
      body.put("approvalRequest", r.id().value());
    });
    body.put("rules", d.rules().stream().map(h -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rule", h.rule());
      m.put("effect", h.effect().wireName());
      m.put("detail", h.detail());
      h.until().ifPresent(t -> m.put("until", t.toString()));
      return m;
    }).toList());
    body.put("ledgerIndex", ev.ledgerIndex());
    ctx.json(body);
  }

  /** The field a {@link Withdrawal} constructor message is about. */
  private static String fieldOf(Evaluate e) {
    return "withdrawal";
  }

  private static ApiException invalid(String field, String why) {
    return new ApiException(Problem.of(ProblemType.INVALID_FIELD, why).with("field", field));
  }

  private static <T> T parse(String field, Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      String m = e.getMessage() == null ? field + " is required" : e.getMessage();
      // Withdrawal's messages start with the field they are about.
      String named = field.equals("withdrawal") ? m.split(" ", 2)[0] : field;
      throw invalid(named, m);
    }
  }
}
