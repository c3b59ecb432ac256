package dev.custos.server;

import dev.custos.access.Role;
import dev.custos.identity.RecentSessions;
import dev.custos.identity.Session;
import dev.custos.identity.SessionCheck;
import dev.custos.identity.SessionSecret;
import dev.custos.identity.SessionState;
import dev.custos.identity.Sessions;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffDirectory;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates staff by session cookie on every request, and protects cookie-authenticated unsafe
 * requests against cross-site forgery.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>The session and its account are read from the database ({@link Sessions#check}) at most
 *       {@link StaffIdentity#SESSION_CACHE_TTL} apart while a person works ({@link RecentSessions}):
 *       a logout, a revocation, a step-up, a role change or a suspension made on this instance
 *       refuses the old session at its very next request; one committed by another instance, within
 *       that TTL.</li>
 *   <li>Unsafe methods (POST, PUT, PATCH, DELETE) need the header {@value #CSRF_HEADER} equal to the
 *       session's CSRF token (constant-time), and a cross-origin {@code Origin} is refused; the cookie
 *       is also {@code SameSite=Strict}.</li>
 *   <li>Every refusal of the session answers the same 401; reasons go to logs and the metric
 *       {@code custos.staff_session.checks{outcome}}.</li>
 *   <li>A store that cannot be read answers 503: never access.</li>
 * </ul>
 */
public final class StaffAuth {
  static final String COOKIE = "custos_session";
  static final String PENDING_COOKIE = "custos_login";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String ATTRIBUTE = "custos.staffContext";
  private static final Logger log = LoggerFactory.getLogger(StaffAuth.class);
  private static final Set<HandlerType> SAFE = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

  /** The authenticated person of a request. */
  public record StaffContext(Session session, SessionSecret secret, StaffAccount account) {}

  private final Sessions sessions;
  private final StaffDirectory directory;
  private final RecentSessions recent;
  private final Counter accepted;
  private final Map<SessionCheck.Reason, Counter> refused = new EnumMap<>(SessionCheck.Reason.class);
  private final Counter csrfRefused;

  StaffAuth(Sessions sessions, StaffDirectory directory, RecentSessions recent, MeterRegistry meters) {
    this.sessions = sessions;
    this.directory = directory;
    this.recent = recent;
    this.accepted = counter(meters, "accepted");
    for (SessionCheck.Reason r : SessionCheck.Reason.values()) {
      refused.put(r, counter(meters, r.name().toLowerCase(Locale.ROOT)));
    }
    this.csrfRefused = counter(meters, "csrf");
  }

  private static Counter counter(MeterRegistry meters, String outcome) {
    return Counter.builder("custos.staff_session.checks").description("Staff session checks by outcome")
        .tag("outcome", outcome).register(meters);
  }

  /** The context set by a route that {@link ApiRoute#requiringStaffSession requires a session}. */
  static StaffContext context(Context ctx) {
    StaffContext c = ctx.attribute(ATTRIBUTE);
    if (c == null) {
      throw new IllegalStateException("route " + ctx.path() + " reads a staff context it did not require");
    }
    return c;
  }

  /**
   * The complete session of this request, of a person with one of {@code anyOf} (any role when empty).
   *
   * @throws ApiException 401 without a live session, 403 on a CSRF failure or a missing role, 503 when
   *     the store is unavailable
   */
  StaffContext require(Context ctx, Set<Role> anyOf) {
    return require(ctx, anyOf, ctx.header(CSRF_HEADER));
  }

  /**
   * As {@link #require}, for the console's HTML forms: the CSRF token of an unsafe request comes from
   * the form field the page was rendered with instead of the header (same constant-time check, same
   * same-origin rule).
   */
  StaffContext requireForm(Context ctx, Set<Role> anyOf, String formToken) {
    return require(ctx, anyOf, formToken);
  }

  /** Whether a second factor was proven in this session within {@code maxAge} (what the page offers). */
  boolean mfaWithin(StaffContext c, Duration maxAge) {
    return sessions.mfaWithin(c.session(), maxAge);
  }

  private StaffContext require(Context ctx, Set<Role> anyOf, String presentedCsrf) {
    StaffContext c = session(ctx, COOKIE, SessionState.ACTIVE);
    checkCsrf(ctx, c.secret(), presentedCsrf);
    if (!anyOf.isEmpty() && c.account().roles().stream().noneMatch(anyOf::contains)) {
      throw new ApiException(Problem.of(ProblemType.FORBIDDEN, "this needs one of the roles "
          + anyOf.stream().map(Role::wireName).sorted().toList()));
    }
    accepted.increment();
    return c;
  }

  /** The pending login of this request (between the password and the second factor). */
  StaffContext requirePending(Context ctx) {
    return session(ctx, PENDING_COOKIE, SessionState.PENDING);
  }

  /**
   * @throws ApiException 403 {@code step-up-required} unless a second factor was proven in this session
   *     within {@code maxAge}
   */
  void requireRecentMfa(StaffContext c, Duration maxAge) {
    if (!sessions.mfaWithin(c.session(), maxAge)) {
      throw new ApiException(Problem.of(ProblemType.STEP_UP_REQUIRED,
          "confirm with your second factor first (POST /v1/session/step-up); it is valid for "
              + maxAge.toMinutes() + " minutes").with("stepUp", "/v1/session/step-up"));
    }
  }

  private StaffContext session(Context ctx, String cookie, SessionState state) {
    String presented = ctx.cookie(cookie);
    Optional<SessionSecret> secret = state == SessionState.ACTIVE ? SessionSecret.parse(presented) : Optional.empty();
    if (secret.isPresent()) {
      Optional<RecentSessions.Recent> r = recent.find(secret.get().storageKey());
      if (r.isPresent()) {
        return new StaffContext(r.get().session(), secret.get(), r.get().account());
      }
    }
    long generation = recent.generation(); // read before the store, so a change committed meanwhile is not remembered
    switch (sessions.check(presented, state)) {
      case SessionCheck.Valid v -> {
        Optional<StaffAccount> account;
        try {
          account = directory.find(v.session().staff());
        } catch (RuntimeException e) {
          throw unavailable(ctx);
        }
        if (account.isEmpty() || !account.get().isActive()) {
          // Suspension revokes sessions in the same transaction; this is a second line.
          throw new ApiException(Problem.of(ProblemType.UNAUTHORIZED, "log in first"));
        }
        recent.remember(v.secret().storageKey(), generation, v.session(), account.get());
        return new StaffContext(v.session(), v.secret(), account.get());
      }
      case SessionCheck.Refused r -> {
        refused.get(r.reason()).increment();
        if (r.reason() != SessionCheck.Reason.MISSING) {
          log.info("staff session refused for {} {}: {}", ctx.method(), HttpApi.route(ctx), r.reason());
        }
        throw new ApiException(Problem.of(ProblemType.UNAUTHORIZED,
            state == SessionState.PENDING ? "the login has expired or was not started; start again" : "log in first"));
      }
      case SessionCheck.Unavailable u -> throw unavailable(ctx);
    }
  }

  private ApiException unavailable(Context ctx) {
    log.warn("staff session not checked for {} {}: the session store is unavailable", ctx.method(), HttpApi.route(ctx));
    return new ApiException(Problem.of(ProblemType.NOT_READY, "sessions cannot be checked right now; retry later"));
  }

  private void checkCsrf(Context ctx, SessionSecret secret, String presented) {
    if (SAFE.contains(ctx.method())) {
      return;
    }
    if (!secret.csrfMatches(presented) || !sameOrigin(ctx)) {
      csrfRefused.increment();
      log.warn("cross-site request refused for {} {}", ctx.method(), HttpApi.route(ctx));
      throw new ApiException(Problem.of(ProblemType.CSRF,
          "unsafe requests need the header " + CSRF_HEADER + " with the session's csrfToken, from the same origin"));
    }
  }

  /** True when there is no Origin header or it names the host the request was sent to. */
  static boolean sameOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null) {
      return true;
    }
    String host = ctx.header("Host");
    try {
      URI o = URI.create(origin);
      String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
      return host != null && authority != null && authority.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Sets a session cookie: HttpOnly, SameSite=Strict, Path=/, Secure when the request came over TLS. */
  static void setCookie(Context ctx, String name, String value, Instant expiresAt, Instant now) {
    long maxAge = Math.max(0, Duration.between(now, expiresAt).toSeconds());
    ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict"
        + (ctx.req().isSecure() ? "; Secure" : ""));
  }

  static void clearCookie(Context ctx, String name) {
    ctx.res().addHeader("Set-Cookie", name + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
        + (ctx.req().isSecure() ? "; Secure" : ""));
  }
}
