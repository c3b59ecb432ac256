package dev.custos.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.Role;
import dev.custos.identity.AuthEvent;
import dev.custos.identity.AuthEventSink;
import dev.custos.identity.Factor;
import dev.custos.identity.LoginStep;
import dev.custos.identity.Password;
import dev.custos.identity.Session;
import dev.custos.identity.SessionHandle;
import dev.custos.identity.StaffLogins;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Staff login, step-up, logout and one's own sessions, over {@link StaffLogins}.
 *
 * <p>Login is two requests: {@code POST /v1/session/login} with the password opens a pending login
 * (cookie {@value StaffAuth#PENDING_COOKIE}, five minutes), and {@code POST /v1/session/login/second-factor}
 * completes it with a TOTP code, a WebAuthn assertion (challenge from
 * {@code POST /v1/session/login/webauthn-challenge}) or a recovery code, setting the session cookie
 * {@value StaffAuth#COOKIE} with a new id. Every refusal of credentials is the same 401.
 */
final class SessionRoutes {
  private static final String TAG = "session";

  record LoginRequest(String username, char[] password) {
    LoginRequest {
      if (username == null || username.isBlank()) {
        throw new IllegalArgumentException("username is required");
      }
      if (password == null) {
        throw new IllegalArgumentException("password is required");
      }
    }
  }

  /** A second factor: {@code factor} is totp, recovery-code or webauthn; {@code code} or {@code credential} carries it. */
  record FactorRequest(String factor, String code, JsonNode credential) {
    FactorRequest {
      if (factor == null) {
        throw new IllegalArgumentException("factor is required: totp, webauthn or recovery-code");
      }
    }

    Factor parsed() {
      for (Factor f : Factor.values()) {
        if (f.wireName().equals(factor.strip().toLowerCase(Locale.ROOT))) {
          return f;
        }
      }
      throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "factor must be totp, webauthn or recovery-code")
          .with("field", "factor"));
    }

    String proof() {
      Factor f = parsed();
      if (f == Factor.WEBAUTHN) {
        if (credential == null || !credential.isObject()) {
          throw new ApiException(Problem.of(ProblemType.INVALID_FIELD,
              "credential must be the PublicKeyCredential as a JSON object").with("field", "credential"));
        }
        return credential.toString();
      }
      if (code == null || code.isBlank()) {
        throw new ApiException(Problem.of(ProblemType.INVALID_FIELD, "code is required for " + f.wireName())
            .with("field", "code"));
      }
      return code;
    }
  }

  private SessionRoutes() {}

  static List<ApiRoute> all(StaffLogins logins, StaffAuth auth, AuthEventSink events, InstantSource clock) {
    return List.of(
        ApiRoute.post("/v1/session/login", "login", "First login step: account name and password", TAG,
            "application/json", Map.of(200, "Password accepted; a second factor is required", 401, "Login failed",
                403, "Account suspended", 429, "Too many attempts"),
            ctx -> login(ctx, logins, clock)),
        ApiRoute.post("/v1/session/login/webauthn-challenge", "loginWebAuthnChallenge",
            "A WebAuthn challenge for the pending login", TAG, "application/json",
            Map.of(200, "Options for navigator.credentials.get()", 401, "No pending login", 404, "No WebAuthn credential"),
            ctx -> {
              StaffAuth.StaffContext pending = auth.requirePending(ctx);
              challenge(ctx, logins, pending);
            }),
        ApiRoute.post("/v1/session/login/second-factor", "loginSecondFactor", "Second login step: a second factor", TAG,
            "application/json", Map.of(200, "Logged in; the session cookie is set", 401, "Login failed",
                403, "Account suspended", 429, "Too many attempts"),
            ctx -> {
              StaffAuth.StaffContext pending = auth.requirePending(ctx);
              FactorRequest req = Json.read(ctx, FactorRequest.class);
              LoginStep step = logins.secondFactor(pending.secret(), pending.session(), req.parsed(), req.proof(), address(ctx));
              if (step instanceof LoginStep.Complete) {
                StaffAuth.clearCookie(ctx, StaffAuth.PENDING_COOKIE);
              }
              answer(ctx, step, clock);
            }),
        ApiRoute.get("/v1/session", "currentSession", "The current session and its person", TAG, "application/json",
            Map.of(200, "The session"),
            ctx -> ctx.json(view(StaffAuth.context(ctx))))
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.post("/v1/session/step-up/webauthn-challenge", "stepUpWebAuthnChallenge",
            "A WebAuthn challenge for a step-up", TAG, "application/json",
            Map.of(200, "Options for navigator.credentials.get()", 404, "No WebAuthn credential"),
            ctx -> challenge(ctx, logins, StaffAuth.context(ctx)))
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.post("/v1/session/step-up", "stepUp",
            "Prove a second factor again; reveals and approvals need a recent one", TAG, "application/json",
            Map.of(200, "Stepped up; the session cookie is replaced", 429, "Too many attempts"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              FactorRequest req = Json.read(ctx, FactorRequest.class);
              answer(ctx, logins.stepUp(c.secret(), c.session(), req.parsed(), req.proof(), address(ctx)), clock);
            })
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.post("/v1/session/logout", "logout", "End the current session", TAG, "application/json",
            Map.of(204, "Logged out"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              if (logins.sessions().logout(c.secret())) {
                events.record(new AuthEvent(AuthEvent.Type.LOGOUT, clock.instant(), Optional.of(c.account().id()),
                    Optional.of(c.session().handle()), Optional.of(ctx.ip()), Map.of()));
              }
              StaffAuth.clearCookie(ctx, StaffAuth.COOKIE);
              ctx.status(204);
            })
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.get("/v1/sessions", "mySessions", "My live sessions, newest first", TAG, "application/json",
            Map.of(200, "The sessions"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              List<Map<String, Object>> list = logins.sessions().live(c.account().id()).stream()
                  .map(s -> sessionSummary(s, s.handle().equals(c.session().handle()))).toList();
              ctx.json(Map.of("sessions", list));
            })
            .requiringStaffSession(auth, Set.of()),
        ApiRoute.delete("/v1/sessions/{handle}", "revokeMySession", "Revoke one of my sessions", TAG, "application/json",
            Map.of(204, "Revoked", 404, "No such live session of mine"),
            ctx -> {
              StaffAuth.StaffContext c = StaffAuth.context(ctx);
              SessionHandle handle;
              try {
                handle = SessionHandle.parse(ctx.pathParam("handle"));
              } catch (IllegalArgumentException e) {
                throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, e.getMessage()).with("parameter", "handle"));
              }
              if (!logins.sessions().revoke(c.account().id(), handle, "revoked")) {
                throw new ApiException(Problem.of(ProblemType.NOT_FOUND, "you have no live session " + handle));
              }
              events.record(new AuthEvent(AuthEvent.Type.SESSION_REVOKED, clock.instant(), Optional.of(c.account().id()),
                  Optional.of(handle), Optional.of(ctx.ip()), Map.of("by", c.session().handle().value())));
              if (handle.equals(c.session().handle())) {
                StaffAuth.clearCookie(ctx, StaffAuth.COOKIE);
              }
              ctx.status(204);
            })
            .requiringStaffSession(auth, Set.of()));
  }

  private static void login(Context ctx, StaffLogins logins, InstantSource clock) {
    LoginRequest req = Json.read(ctx, LoginRequest.class);
    LoginStep step;
    try (Password password = Password.copyOf(req.password())) {
      step = logins.password(req.username(), password, address(ctx), userAgent(ctx));
    } finally {
      Arrays.fill(req.password(), '\0');
    }
    answer(ctx, step, clock);
  }

  private static void challenge(Context ctx, StaffLogins logins, StaffAuth.StaffContext c) {
    Optional<String> options;
    try {
      options = logins.webAuthnChallenge(c.secret(), c.session());
    } catch (RuntimeException e) {
      throw new ApiException(Problem.of(ProblemType.NOT_READY, "the challenge could not be stored; retry"));
    }
    if (options.isEmpty()) {
      throw new ApiException(Problem.of(ProblemType.NOT_FOUND, "no security key or passkey is enrolled"));
    }
    ctx.contentType("application/json").result(options.get());
  }

  /** The HTTP answer to a login or step-up step. */
  static void answer(Context ctx, LoginStep step, InstantSource clock) {
    switch (step) {
      case LoginStep.SecondFactorNeeded n -> {
        StaffAuth.setCookie(ctx, StaffAuth.PENDING_COOKIE, n.pending().secret().reveal(), n.pending().session().expiresAt(),
            clock.instant());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "second-factor-required");
        body.put("factors", n.factors().stream().map(Factor::wireName).toList());
        body.put("expiresAt", n.pending().session().expiresAt().toString());
        ctx.json(body);
      }
      case LoginStep.Complete c -> {
        StaffAuth.setCookie(ctx, StaffAuth.COOKIE, c.session().secret().reveal(), c.session().session().expiresAt(),
            clock.instant());
        ctx.json(view(new StaffAuth.StaffContext(c.session().session(), c.session().secret(), c.account())));
      }
      case LoginStep.Refused r -> throw new ApiException(Problem.of(ProblemType.LOGIN_FAILED,
          "the account name, password or code is not right"));
      case LoginStep.Suspended s -> throw new ApiException(Problem.of(ProblemType.CONTAINED,
          "this account is suspended; contact security"));
      case LoginStep.Locked l -> {
        long seconds = Math.max(1, Duration.between(clock.instant(), l.until()).toSeconds());
        ctx.header("Retry-After", Long.toString(seconds));
        throw new ApiException(Problem.of(ProblemType.TOO_MANY_ATTEMPTS,
            "too many failed attempts for this account name; try again after " + l.until()).with("retryAfter", seconds));
      }
      case LoginStep.Throttled t -> {
        long seconds = Math.max(1, t.retryAfter().toSeconds());
        ctx.header("Retry-After", Long.toString(seconds));
        throw new ApiException(Problem.of(ProblemType.TOO_MANY_ATTEMPTS,
            "too many attempts from this address; try again in " + seconds + " s").with("retryAfter", seconds));
      }
      case LoginStep.Unavailable u -> throw new ApiException(Problem.of(ProblemType.NOT_READY,
          "logins cannot be checked right now; retry later"));
    }
  }

  static Map<String, Object> view(StaffAuth.StaffContext c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("staff", c.account().id().value());
    m.put("displayName", c.account().displayName());
    m.put("roles", c.account().roles().stream().map(Role::wireName).sorted().toList());
    c.account().team().ifPresent(t -> m.put("team", t));
    m.putAll(sessionSummary(c.session(), true));
    m.put("csrfToken", c.secret().csrfToken());
    return m;
  }

  static Map<String, Object> sessionSummary(Session s, boolean current) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("session", s.handle().value());
    m.put("current", current);
    m.put("method", s.method());
    m.put("createdAt", s.createdAt().toString());
    m.put("lastSeenAt", s.lastSeenAt().toString());
    m.put("expiresAt", s.expiresAt().toString());
    s.mfaAt().ifPresent(t -> m.put("mfaAt", t.toString()));
    m.put("address", s.address());
    m.put("userAgent", s.userAgent());
    return m;
  }

  static InetAddress address(Context ctx) {
    try {
      return InetAddress.getByName(ctx.ip()); // an IP literal: no name lookup
    } catch (UnknownHostException e) {
      return InetAddress.getLoopbackAddress();
    }
  }

  static String userAgent(Context ctx) {
    String ua = ctx.header("User-Agent");
    return ua == null ? "" : ua.replaceAll("\\p{Cntrl}", "?");
  }
}
