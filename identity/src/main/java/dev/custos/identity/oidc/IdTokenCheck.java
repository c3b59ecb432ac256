package dev.custos.identity.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.validators.BadJWTExceptions;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.custos.identity.oidc.OidcOutcome.TokenProblem;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * Validates ID tokens (OpenID Connect Core §3.1.3.7) with Nimbus's {@link IDTokenValidator}:
 * signature against the provider's key set, {@code iss}, {@code aud}, {@code exp} and {@code iat}
 * with the allowed skew, and {@code nonce}; then {@code azp}, and the times once more against the
 * injected clock.
 *
 * <p>The key set is fetched from {@code jwks_uri} on first use and cached for
 * {@link #JWKS_CACHE_LIFETIME}. A token whose {@code kid} is not in the cached set makes Nimbus
 * refetch it at once (key rotation), but the fetches are rate limited: at most two per
 * {@link #JWKS_MIN_REFETCH_INTERVAL}, so a stream of tokens with made-up key ids cannot turn Custos
 * into a load generator against the provider. A token that needs a refetch beyond the limit is
 * {@link Unavailable} (it could not be checked), not invalid.
 */
final class IdTokenCheck {
  static final Duration JWKS_CACHE_LIFETIME = Duration.ofMinutes(5);
  static final Duration JWKS_REFRESH_TIMEOUT = Duration.ofSeconds(15);
  static final Duration JWKS_MIN_REFETCH_INTERVAL = Duration.ofSeconds(30);
  /** A provider's key set is a few kilobytes; anything near this is not one. */
  static final int JWKS_SIZE_LIMIT = 256 * 1024;

  /** The outcome of one check. */
  sealed interface Result {}

  /** The token is valid; {@code claims} are its verified claims. */
  record Valid(JWTClaimsSet claims) implements Result {}

  /** The token is not acceptable. */
  record Invalid(TokenProblem problem) implements Result {}

  /** The key set could not be fetched: fail closed. */
  record Unavailable() implements Result {}

  private final IDTokenValidator validator;
  private final String issuer;
  private final String clientId;
  private final Provider provider;
  private final InstantSource clock;
  private final Duration skew;

  IdTokenCheck(Provider provider, OidcSettings settings, InstantSource clock) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.issuer = provider.issuer().getValue();
    this.clientId = settings.clientId();
    this.skew = settings.clockSkew();
    JWKSource<SecurityContext> keys;
    try {
      keys = JWKSourceBuilder.<SecurityContext>create(provider.jwksUri().toURL(),
              new DefaultResourceRetriever(Math.toIntExact(settings.connectTimeout().toMillis()),
                  Math.toIntExact(settings.readTimeout().toMillis()), JWKS_SIZE_LIMIT))
          .cache(JWKS_CACHE_LIFETIME.toMillis(), JWKS_REFRESH_TIMEOUT.toMillis())
          .rateLimited(JWKS_MIN_REFETCH_INTERVAL.toMillis())
          .build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("jwks_uri is not a URL", e); // Provider checked it: a bug
    }
    this.validator = new IDTokenValidator(provider.issuer(), new ClientID(clientId),
        new JWSVerificationKeySelector<>(provider.idTokenAlgorithms(), keys), null);
    validator.setMaxClockSkew(Math.toIntExact(skew.toSeconds()));
  }

  /** Checks {@code rawIdToken} for a login that sent {@code expectedNonce}. Never throws for bad input. */
  Result check(String rawIdToken, String expectedNonce) {
    JWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = JWTParser.parse(rawIdToken);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      return new Invalid(TokenProblem.MALFORMED);
    }
    if (!(jwt instanceof SignedJWT signed)) {
      return new Invalid(TokenProblem.NOT_SIGNED);
    }
    if (!provider.idTokenAlgorithms().contains(signed.getHeader().getAlgorithm())) {
      return new Invalid(TokenProblem.ALGORITHM);
    }
    try {
      validator.validate(signed, new Nonce(expectedNonce));
    } catch (BadJWSException e) {
      return new Invalid(TokenProblem.SIGNATURE);
    } catch (BadJWTException e) {
      return new Invalid(claimsProblem(claims, e, expectedNonce));
    } catch (BadJOSEException e) {
      // "Another algorithm expected, or no matching key(s) found", after the refetch (the algorithm was checked above)
      return new Invalid(TokenProblem.UNKNOWN_KEY);
    } catch (KeySourceException e) {
      // Includes RateLimitReachedException: the key set could not be refetched now, so the token was not checked.
      return new Unavailable();
    } catch (JOSEException | RuntimeException e) {
      return new Invalid(TokenProblem.SIGNATURE);
    }
    return checkAgainstOwnClock(claims);
  }

  /**
   * Nimbus compares {@code exp} and {@code iat} with the wall clock; Custos's time is the injected
   * {@link InstantSource}, so both must accept the token (in production they are the same clock).
   * {@code azp} is checked here because Nimbus leaves it to the caller.
   */
  private Result checkAgainstOwnClock(JWTClaimsSet claims) {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    Date iat = claims.getIssueTime();
    if (exp == null || iat == null) {
      return new Invalid(TokenProblem.MISSING_CLAIM);
    }
    if (!exp.toInstant().plus(skew).isAfter(now)) {
      return new Invalid(TokenProblem.EXPIRED);
    }
    if (iat.toInstant().minus(skew).isAfter(now)) {
      return new Invalid(TokenProblem.ISSUED_IN_FUTURE);
    }
    // OpenID Connect Core §3.1.3.7 items 4 and 5: several audiences need azp, and azp must be us.
    String azp;
    try {
      azp = claims.getStringClaim("azp");
    } catch (ParseException e) {
      return new Invalid(TokenProblem.AUDIENCE);
    }
    List<String> audience = claims.getAudience();
    if ((azp != null && !azp.equals(clientId)) || (audience.size() > 1 && azp == null)) {
      return new Invalid(TokenProblem.AUDIENCE);
    }
    return new Valid(claims);
  }

  /** Which claim Nimbus's claims verifier refused, found from the claims themselves, never from the message. */
  private TokenProblem claimsProblem(JWTClaimsSet claims, BadJWTException e, String expectedNonce) {
    if (e == BadJWTExceptions.EXPIRED_EXCEPTION) {
      return TokenProblem.EXPIRED;
    }
    if (e == BadJWTExceptions.IAT_CLAIM_AHEAD_EXCEPTION) {
      return TokenProblem.ISSUED_IN_FUTURE;
    }
    if (e == BadJWTExceptions.MISSING_NONCE_CLAIM_EXCEPTION) {
      return TokenProblem.NONCE;
    }
    if (claims.getIssuer() != null && !claims.getIssuer().equals(issuer)) {
      return TokenProblem.ISSUER;
    }
    List<String> audience = claims.getAudience();
    if (!audience.isEmpty() && !audience.contains(clientId)) {
      return TokenProblem.AUDIENCE;
    }
    Object nonce = claims.getClaim("nonce");
    if (nonce != null && !expectedNonce.equals(nonce)) {
      return TokenProblem.NONCE;
    }
    return TokenProblem.MISSING_CLAIM;
  }
}
