package dev.custos.server;

import dev.custos.identity.Parsed;
import dev.custos.identity.SecretBox;
import dev.custos.identity.StaffSingleSignOn;
import dev.custos.identity.StaffSingleSignOn.Outcome;
import dev.custos.identity.oidc.OidcDiscoveryException;
import dev.custos.identity.oidc.OidcLogin;
import dev.custos.identity.oidc.OidcOutcome;
import dev.custos.identity.oidc.OidcPending;
import dev.custos.identity.oidc.OidcRedirect;
import dev.custos.identity.oidc.OidcSettings;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staff single sign-on over HTTP: {@code GET /v1/session/oidc/start} sends the browser to the
 * provider, {@code GET /v1/session/oidc/callback} finishes the login ({@link OidcLogin#complete},
 * then {@link StaffSingleSignOn}) and sets the session cookie; {@code GET /v1/session/methods} tells
 * the sign-in page whether to offer single sign-on.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>The pending login ({@link OidcPending}: state, nonce, PKCE verifier) travels in the cookie
 *       {@value #COOKIE}, sealed with AES-256-GCM under the staff-secrets key with associated data
 *       naming its purpose, so the browser can neither read nor forge it; HttpOnly, {@code SameSite=Lax}
 *       (it must come back on the provider's cross-site redirect), Secure under TLS, five minutes,
 *       scoped to {@code /v1/session/oidc}, and cleared by the callback whatever its outcome.</li>
 *   <li>The callback's {@code state} must equal the sealed one (constant time, in {@link OidcLogin});
 *       the code is useless without the sealed PKCE verifier; the provider redeems a code once.</li>
 *   <li>The session cookie ({@code SameSite=Strict}) is set on a 200 page that navigates on with a
 *       meta refresh (no script: the CSP forbids inline script), because a Strict cookie set on the
 *       answer to a cross-site navigation is not sent on the redirect that would follow it.</li>
 *   <li>Every outcome is an auth event in the ledger ({@link StaffSingleSignOn}); the browser gets
 *       the class of a refusal only, never a stack trace or a token problem.</li>
 *   <li>The provider's metadata is read at the first sign-in and kept; a provider that is down
 *       answers 503 and is asked again at the next attempt.</li>
 * </ul>
 */
final class OidcRoutes {
  static final String COOKIE = "custos_oidc";
  static final String START = "/v1/session/oidc/start";
  static final String CALLBACK = "/v1/session/oidc/callback";
  /** How long the browser may spend at the provider; the pending login itself is refused after ten minutes. */
  static final Duration COOKIE_LIFETIME = Duration.ofMinutes(5);
  private static final String COOKIE_PATH = "/v1/session/oidc";
  private static final byte[] ASSOCIATED_DATA = "custos pending oidc login cookie v1".getBytes(StandardCharsets.US_ASCII);
  private static final String TAG = "session";
  private static final Logger log = LoggerFactory.getLogger(OidcRoutes.class);

  private final OidcSettings settings;
  private final StaffSingleSignOn singleSignOn;
  private final SecretBox box;
  private final InstantSource clock;
  private final SecureRandom random;
  private final Object discovery = new Object();
  private volatile OidcLogin login;

  private OidcRoutes(OidcSettings settings, StaffSingleSignOn singleSignOn, SecretBox box, InstantSource clock,
      SecureRandom random) {
    this.settings = settings;
    this.singleSignOn = singleSignOn;
    this.box = box;
    this.clock = clock;
    this.random = random;
  }

  /** The routes; without {@code oidc} (single sign-on off) start and callback answer 404. */
  static List<ApiRoute> all(Optional<OidcSettings> oidc, Optional<StaffSingleSignOn> singleSignOn, SecretBox box,
      InstantSource clock, SecureRandom random) {
    Optional<OidcRoutes> on = oidc.isPresent() && singleSignOn.isPresent()
        ? Optional.of(new OidcRoutes(oidc.get(), singleSignOn.get(), box, clock, random)) : Optional.empty();
    return List.of(
        ApiRoute.get("/v1/session/methods", "signInMethods", "How staff may sign in here", TAG, "application/json",
            Map.of(200, "The sign-in methods: password always, oidc when single sign-on is configured"),
            ctx -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("password", true);
              body.put("oidc", on.isPresent());
              on.ifPresent(r -> body.put("oidcStart", START));
              ctx.json(body);
            }),
        ApiRoute.get(START, "oidcStart", "Single sign-on: redirects the browser to the OpenID provider", TAG, "text/html",
            Map.of(302, "To the provider's authorization endpoint", 404, "Single sign-on is not configured",
                503, "The provider cannot be reached"),
            ctx -> required(on).start(ctx)),
        ApiRoute.get(CALLBACK, "oidcCallback", "Single sign-on: the provider's redirect back (code and state)", TAG,
            "text/html",
            Map.of(200, "Signed in: the session cookie is set and the page moves on to the console",
                401, "Sign-in refused", 403, "Account suspended", 404, "Single sign-on is not configured",
                503, "The provider or a store cannot be reached"),
            ctx -> required(on).callback(ctx)));
  }

  private static OidcRoutes required(Optional<OidcRoutes> on) {
    return on.orElseThrow(() -> new ApiException(Problem.of(ProblemType.NOT_FOUND,
        "single sign-on is not configured here (oidc.issuer is empty)")));
  }

  private void start(Context ctx) {
    Optional<OidcLogin> l = login();
    if (l.isEmpty()) {
      page(ctx, HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Single sign-on is unavailable",
          "The identity provider cannot be reached right now. Try again in a minute, or sign in with your Custos account.");
      return;
    }
    OidcRedirect redirect = l.get().begin();
    String sealed = Base64.getUrlEncoder().withoutPadding().encodeToString(
        box.seal(redirect.pending().serialize().getBytes(StandardCharsets.US_ASCII), ASSOCIATED_DATA));
    ctx.res().addHeader("Set-Cookie", COOKIE + "=" + sealed + "; Path=" + COOKIE_PATH + "; Max-Age="
        + COOKIE_LIFETIME.toSeconds() + "; HttpOnly; SameSite=Lax" + (ctx.req().isSecure() ? "; Secure" : ""));
    ctx.redirect(redirect.location().toString(), HttpStatus.FOUND);
  }

  private void callback(Context ctx) {
    String address = ctx.ip();
    ctx.res().addHeader("Set-Cookie", COOKIE + "=; Path=" + COOKIE_PATH + "; Max-Age=0; HttpOnly; SameSite=Lax"
        + (ctx.req().isSecure() ? "; Secure" : ""));
    Optional<OidcPending> pending = unseal(ctx.cookie(COOKIE));
    Map<String, String> params = singleValued(ctx.queryParamMap());
    Outcome outcome;
    if (pending.isEmpty()) {
      outcome = singleSignOn.refuse("no-pending-login", address);
    } else if (params == null) {
      outcome = singleSignOn.refuse("repeated-parameter", address);
    } else {
      Optional<OidcLogin> l = login();
      OidcOutcome verdict = l.isEmpty() ? new OidcOutcome.Refused(OidcOutcome.Reason.UNAVAILABLE)
          : l.get().complete(pending.get(), params);
      outcome = singleSignOn.finish(verdict, address, SessionRoutes.userAgent(ctx));
    }
    switch (outcome) {
      case Outcome.SignedIn in -> {
        StaffAuth.setCookie(ctx, StaffAuth.COOKIE, in.session().secret().reveal(), in.session().session().expiresAt(),
            clock.instant());
        ctx.status(HttpStatus.OK).contentType("text/html; charset=utf-8").result("""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="refresh" content="0;url=/login">
            <title>Custos — signed in</title>
            <link rel="stylesheet" href="/assets/custos.css">
            </head>
            <body>
            <main>
            <h1>Custos</h1>
            <p id="outcome" data-outcome="signed-in">Signed in as %s. <a href="/login">Continue</a></p>
            </main>
            </body>
            </html>
            """.formatted(InstancePage.esc(in.account().displayName())));
      }
      case Outcome.Refused r -> {
        log.info("single sign-on refused: {}", r.reason());
        switch (r.refusal()) {
          case NOT_VERIFIED -> page(ctx, HttpStatus.UNAUTHORIZED, "not-verified", "Single sign-on failed",
              "The sign-in could not be verified (it may have expired or been started elsewhere). Start again.");
          case SUSPENDED -> page(ctx, HttpStatus.FORBIDDEN, "suspended", "Account suspended",
              "This account is suspended; contact security.");
          case ACCOUNT_CONFLICT -> page(ctx, HttpStatus.UNAUTHORIZED, "account-conflict", "Single sign-on refused",
              "This identity does not match the Custos account of that name. Contact an administrator.");
        }
      }
      case Outcome.Unavailable u -> page(ctx, HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Single sign-on is unavailable",
          "Sign-ins cannot be checked right now. Try again in a minute.");
    }
  }

  /** The provider's metadata, read at the first call that succeeds and kept; empty while it cannot be read. */
  private Optional<OidcLogin> login() {
    OidcLogin l = login;
    if (l != null) {
      return Optional.of(l);
    }
    synchronized (discovery) {
      if (login == null) {
        try {
          login = OidcLogin.discover(settings, clock, random);
        } catch (OidcDiscoveryException e) {
          log.warn("single sign-on: the provider's metadata cannot be used: {}", e.getMessage());
          return Optional.empty();
        }
      }
      return Optional.of(login);
    }
  }

  private Optional<OidcPending> unseal(String cookie) {
    if (cookie == null || cookie.isEmpty() || cookie.length() > 512) {
      return Optional.empty();
    }
    try {
      byte[] plain = box.open(Base64.getUrlDecoder().decode(cookie), ASSOCIATED_DATA);
      return switch (OidcPending.parse(new String(plain, StandardCharsets.US_ASCII))) {
        case Parsed.Valid<OidcPending> v -> Optional.of(v.value());
        case Parsed.Invalid<OidcPending> i -> Optional.empty();
      };
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The query as one value per name, or null when a name is repeated (never produced by a provider). */
  private static Map<String, String> singleValued(Map<String, List<String>> query) {
    Map<String, String> params = new HashMap<>();
    for (var e : query.entrySet()) {
      if (e.getValue().size() != 1) {
        return null;
      }
      params.put(e.getKey(), e.getValue().getFirst());
    }
    return params;
  }

  private static void page(Context ctx, HttpStatus status, String outcome, String title, String message) {
    ctx.status(status).contentType("text/html; charset=utf-8").result("""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Custos — %s</title>
        <link rel="stylesheet" href="/assets/custos.css">
        </head>
        <body>
        <main>
        <h1>%s</h1>
        <p id="outcome" data-outcome="%s">%s</p>
        <p><a href="/login">Back to sign-in</a></p>
        </main>
        </body>
        </html>
        """.formatted(InstancePage.esc(title), InstancePage.esc(title), outcome, InstancePage.esc(message)));
  }
}
