package dev.custos.identity.oidc;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import dev.custos.identity.oidc.OidcOutcome.Reason;
import dev.custos.identity.oidc.OidcOutcome.Refused;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * Single sign-on for staff through an OpenID Connect provider: the authorization code flow with
 * PKCE (S256), {@code state} and {@code nonce}, a confidential client authenticating to the token
 * endpoint with its secret, and an ID token that must prove multi-factor authentication and name a
 * staff id and groups that map to roles. It knows nothing of HTTP servers or sessions: the caller
 * redirects the browser to {@link #begin()}'s location, keeps the {@link OidcPending} server side,
 * and hands the callback's query parameters to {@link #complete}.
 *
 * <p>The caller MUST use each {@link OidcPending} at most once (delete it before calling
 * {@link #complete}) and MUST create a session only on {@link OidcOutcome.Authenticated}.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>The callback's {@code state} is compared with the pending login's in constant time before
 *       anything else is looked at; a pending login older than {@link #PENDING_LIFETIME} is refused.</li>
 *   <li>The ID token is accepted only with a valid signature by a key in the provider's published
 *       key set (asymmetric algorithms only), the configured issuer, this client in its audience
 *       (and as {@code azp} when there are several), the pending login's nonce, and {@code exp} and
 *       {@code iat} within the configured skew. An unknown key id refetches the key set, rate
 *       limited (see {@code IdTokenCheck}).</li>
 *   <li>The code is exchanged with the PKCE verifier, so a code stolen from the redirect is useless
 *       without the server-side pending login; RFC 9207's {@code iss} parameter is checked when
 *       present, and required when the provider promises it.</li>
 *   <li>Every outcome other than {@link OidcOutcome.Authenticated} is a {@link Refused}: bad input
 *       never throws, and an unreachable provider is {@link Reason#UNAVAILABLE}.</li>
 *   <li>Time ({@link InstantSource}) and randomness ({@link SecureRandom}) are injected; the client
 *       secret appears in no message or {@code toString}.</li>
 * </ul>
 */
public final class OidcLogin {
  /** How long a browser may take at the provider, from {@link #begin()} to {@link #complete}. */
  public static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);
  /** Longer callback values are refused unread; real codes and states are far shorter. */
  static final int MAX_PARAMETER_CHARS = 4096;

  private final OidcSettings settings;
  private final Provider provider;
  private final IdTokenCheck idTokens;
  private final StaffClaims staffClaims;
  private final InstantSource clock;
  private final SecureRandom random;

  private OidcLogin(OidcSettings settings, Provider provider, InstantSource clock, SecureRandom random) {
    this.settings = settings;
    this.provider = provider;
    this.clock = clock;
    this.random = random;
    this.idTokens = new IdTokenCheck(provider, settings, clock);
    this.staffClaims = new StaffClaims(settings);
  }

  /**
   * Reads the provider's metadata from {@code <oidc.issuer>/.well-known/openid-configuration} and
   * prepares logins against it. The key set is fetched later, at the first login.
   *
   * @throws OidcDiscoveryException when the metadata cannot be fetched, names another issuer, or
   *     describes a provider without the code flow, S256 PKCE, an asymmetric ID token algorithm or
   *     client-secret authentication
   */
  public static OidcLogin discover(OidcSettings settings, InstantSource clock, SecureRandom random) throws OidcDiscoveryException {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    return new OidcLogin(settings, Provider.discover(settings), clock, random);
  }

  /** Starts a login: fresh state, nonce and PKCE verifier, and the provider URL to send the browser to. */
  public OidcRedirect begin() {
    OidcPending pending = new OidcPending(randomValue(), randomValue(), randomValue(),
        clock.instant().truncatedTo(ChronoUnit.SECONDS));
    AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE,
            new Scope(settings.scopes().toArray(String[]::new)), new ClientID(settings.clientId()), settings.redirectUri())
        .endpointURI(provider.authorizationEndpoint())
        .state(new State(pending.state()))
        .nonce(new Nonce(pending.nonce()))
        .codeChallenge(new CodeVerifier(pending.codeVerifier()), CodeChallengeMethod.S256)
        .build();
    return new OidcRedirect(request.toURI(), pending);
  }

  /**
   * Finishes the login that {@code pending} began, given the query parameters of the provider's
   * redirect to {@code oidc.redirect-uri}. Exchanges the code at the token endpoint, validates the
   * ID token and maps its claims. Never throws for bad input.
   */
  public OidcOutcome complete(OidcPending pending, Map<String, String> callbackQueryParams) {
    Objects.requireNonNull(pending, "pending");
    Map<String, String> params = callbackQueryParams == null ? Map.of() : callbackQueryParams;
    String state = parameter(params, "state");
    if (state == null || !MessageDigest.isEqual(pending.state().getBytes(StandardCharsets.US_ASCII),
        state.getBytes(StandardCharsets.UTF_8))) {
      return new Refused(Reason.STATE_MISMATCH);
    }
    if (expired(pending)) {
      return new Refused(Reason.PENDING_EXPIRED);
    }
    String iss = parameter(params, "iss");
    if (iss != null ? !iss.equals(provider.issuer().getValue()) : provider.issParameter()) {
      return new Refused(Reason.WRONG_ISSUER);
    }
    if (params.containsKey("error")) {
      return new Refused(Reason.PROVIDER_ERROR);
    }
    String code = parameter(params, "code");
    if (code == null || code.isEmpty()) {
      return new Refused(Reason.MALFORMED_CALLBACK);
    }
    return switch (exchange(code, pending)) {
      case Exchange.IdToken t -> acceptIdToken(pending, t.idToken());
      case Exchange.Failed f -> new Refused(f.reason());
    };
  }

  /** Validates an ID token obtained for {@code pending} and maps its claims; the second half of {@link #complete}. */
  OidcOutcome acceptIdToken(OidcPending pending, String idToken) {
    return switch (idTokens.check(idToken, pending.nonce())) {
      case IdTokenCheck.Valid v -> staffClaims.map(v.claims());
      case IdTokenCheck.Invalid i -> Refused.invalidIdToken(i.problem());
      case IdTokenCheck.Unavailable u -> new Refused(Reason.UNAVAILABLE);
    };
  }

  /** How the provider's token endpoint answered. */
  private sealed interface Exchange {
    record IdToken(String idToken) implements Exchange {}

    record Failed(Reason reason) implements Exchange {}
  }

  private Exchange exchange(String code, OidcPending pending) {
    ClientID clientId = new ClientID(settings.clientId());
    Secret secret = new Secret(settings.clientSecret());
    ClientAuthentication auth = provider.tokenEndpointAuth().equals(ClientAuthenticationMethod.CLIENT_SECRET_POST)
        ? new ClientSecretPost(clientId, secret)
        : new ClientSecretBasic(clientId, secret);
    HTTPResponse response;
    try {
      HTTPRequest request = new TokenRequest.Builder(provider.tokenEndpoint(), auth,
              new AuthorizationCodeGrant(new AuthorizationCode(code), settings.redirectUri(), new CodeVerifier(pending.codeVerifier())))
          .build()
          .toHTTPRequest();
      request.setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()));
      request.setReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()));
      request.setFollowRedirects(false); // the code and the client secret go to the token endpoint and nowhere else
      response = request.send();
    } catch (IOException e) {
      return new Exchange.Failed(Reason.UNAVAILABLE);
    } catch (RuntimeException e) {
      return new Exchange.Failed(Reason.TOKEN_EXCHANGE_FAILED);
    }
    if (response.getStatusCode() >= 500) {
      return new Exchange.Failed(Reason.UNAVAILABLE);
    }
    try {
      TokenResponse parsed = OIDCTokenResponseParser.parse(response);
      if (parsed.indicatesSuccess() && parsed.toSuccessResponse() instanceof OIDCTokenResponse ok
          && ok.getOIDCTokens().getIDTokenString() != null) {
        return new Exchange.IdToken(ok.getOIDCTokens().getIDTokenString());
      }
      return new Exchange.Failed(Reason.TOKEN_EXCHANGE_FAILED);
    } catch (ParseException | RuntimeException e) {
      return new Exchange.Failed(Reason.TOKEN_EXCHANGE_FAILED);
    }
  }

  private boolean expired(OidcPending pending) {
    Instant now = clock.instant();
    Instant created = pending.createdAt();
    return created.isAfter(now.plus(settings.clockSkew())) || Duration.between(created, now).compareTo(PENDING_LIFETIME) > 0;
  }

  private static String parameter(Map<String, String> params, String name) {
    String value = params.get(name);
    return value == null || value.length() > MAX_PARAMETER_CHARS ? null : value;
  }

  private String randomValue() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public String toString() {
    return "OidcLogin[issuer=" + provider.issuer() + ", clientId=" + settings.clientId() + "]";
  }
}
