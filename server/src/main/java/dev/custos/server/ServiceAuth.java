package dev.custos.server;

import dev.custos.identity.AuthEvent;
import dev.custos.identity.AuthEventSink;
import dev.custos.identity.Scope;
import dev.custos.identity.ServiceToken;
import dev.custos.identity.ServiceTokens;
import dev.custos.identity.TokenCheck;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates integrations by service token ({@code Authorization: Bearer cst_...}).
 *
 * <p>Every refusal except a missing scope answers the same 401, so a caller cannot tell an unknown
 * token from a revoked one or a wrong secret; the reason goes to the log and to the metric
 * {@code custos.service_token.checks{outcome}} only. A token store that cannot be read refuses
 * with 503 (it fails alike for every token, so this reveals nothing).
 *
 * <p>Every accepted request is an authentication event {@code token.used} (token id and name, the
 * scope, the route) in the ledger and on the event bus, recorded before the handler runs; if the
 * ledger cannot take it the request is refused with 503. The one exception is a route whose own
 * ledger entry names the token ({@code POST /v1/ledger/entries}), declared with
 * {@link ApiRoute#requiringServiceTokenRecordedByHandler}.
 */
public final class ServiceAuth {
  /** The request attribute holding the accepted {@link ServiceToken}. */
  static final String ATTRIBUTE = "custos.serviceToken";
  private static final Logger log = LoggerFactory.getLogger(ServiceAuth.class);

  private final ServiceTokens tokens;
  private final AuthEventSink events;
  private final InstantSource clock;
  private final Counter accepted;
  private final Map<TokenCheck.Reason, Counter> rejected = new EnumMap<>(TokenCheck.Reason.class);

  ServiceAuth(ServiceTokens tokens, AuthEventSink events, InstantSource clock, MeterRegistry meters) {
    this.tokens = tokens;
    this.events = events;
    this.clock = clock;
    this.accepted = counter(meters, "accepted");
    for (TokenCheck.Reason r : TokenCheck.Reason.values()) {
      rejected.put(r, counter(meters, r.name().toLowerCase(Locale.ROOT)));
    }
  }

  private static Counter counter(MeterRegistry meters, String outcome) {
    return Counter.builder("custos.service_token.checks").description("Service-token checks by outcome")
        .tag("outcome", outcome).register(meters);
  }

  /**
   * The token of this request if it carries one valid for {@code scope}.
   *
   * @param recordUse whether to record {@code token.used} (false only where the handler's own ledger entry names the token)
   * @throws ApiException 401 without a valid token, 403 when the token lacks {@code scope}, 503 when
   *     the use cannot be recorded
   */
  ServiceToken require(Context ctx, Scope scope, boolean recordUse) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"custos\"");
      rejected.get(TokenCheck.Reason.MALFORMED).increment();
      throw new ApiException(Problem.of(ProblemType.UNAUTHORIZED,
          "this endpoint needs a service token: Authorization: Bearer <token>"));
    }
    String presented = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    TokenCheck check = tokens.check(presented, scope);
    switch (check) {
      case TokenCheck.Accepted a -> {
        if (recordUse) {
          recordUse(ctx, a.token(), scope);
        }
        accepted.increment();
        return a.token();
      }
      case TokenCheck.Rejected r when r.reason() == TokenCheck.Reason.UNAVAILABLE -> {
        // The store fails the same way for every token, so saying so reveals nothing about tokens.
        rejected.get(r.reason()).increment();
        log.warn("service token not checked for {} {}: the token store is unavailable", ctx.method(), ctx.path());
        throw new ApiException(Problem.of(ProblemType.NOT_READY,
            "credentials cannot be checked right now; retry later"));
      }
      case TokenCheck.Rejected r when r.reason() == TokenCheck.Reason.MISSING_SCOPE -> {
        rejected.get(r.reason()).increment();
        log.info("service token refused for {} {}: lacks scope {}", ctx.method(), ctx.path(), scope.wireName());
        throw new ApiException(Problem.of(ProblemType.FORBIDDEN,
            "the service token was not issued for scope " + scope.wireName()).with("scope", scope.wireName()));
      }
      case TokenCheck.Rejected r -> {
        rejected.get(r.reason()).increment();
        log.info("service token refused for {} {}: {}", ctx.method(), ctx.path(), r.reason());
        ctx.header("WWW-Authenticate", "Bearer realm=\"custos\", error=\"invalid_token\"");
        throw new ApiException(Problem.of(ProblemType.UNAUTHORIZED, "the service token is not valid"));
      }
    }
  }

  private void recordUse(Context ctx, ServiceToken token, Scope scope) {
    try {
      events.record(new AuthEvent(AuthEvent.Type.TOKEN_USED, clock.instant(), Optional.empty(), Optional.empty(),
          Optional.of(ctx.ip()), Map.of("token", token.id(), "name", token.name(), "scope", scope.wireName(),
              "route", ctx.method().name() + " " + HttpApi.route(ctx))));
    } catch (RuntimeException e) {
      log.warn("service token use not recorded for {} {}: {}", ctx.method(), HttpApi.route(ctx), e.toString());
      throw new ApiException(Problem.of(ProblemType.NOT_READY, "the request cannot be recorded right now; retry later"));
    }
  }
}
