package dev.custos.identity.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.custos.access.CustomerId;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Recognises a customer from a JWT issued by the exchange's own customer login: a signature by a key
 * of its published key set (one of the allowed asymmetric algorithms, never {@code none} nor HMAC),
 * the configured {@code iss}, an {@code aud} containing the configured audience, an {@code exp} in
 * the future and no {@code nbf}/{@code iat} in the future (both with the allowed skew, against the
 * injected clock), and the customer id in the configured claim.
 *
 * <p>Security guarantees: fails closed. Every problem (malformed, unsigned, wrong algorithm,
 * unknown key, bad signature, any claim) is {@link Refused}; a key set that cannot be fetched is
 * {@link Unavailable}; neither says which check failed (that stays in {@link Refused#why()} for
 * the server's own log). The key set is cached for {@link #JWKS_CACHE_LIFETIME} and refetched at
 * most twice per {@link #JWKS_MIN_REFETCH_INTERVAL} when a token names an unknown key, as for
 * staff single sign-on.
 */
public final class CustomerTokens {
  static final Duration JWKS_CACHE_LIFETIME = Duration.ofMinutes(5);
  static final Duration JWKS_REFRESH_TIMEOUT = Duration.ofSeconds(15);
  static final Duration JWKS_MIN_REFETCH_INTERVAL = Duration.ofSeconds(30);
  static final int JWKS_SIZE_LIMIT = 256 * 1024;
  /** Longer than any real token; refused before parsing. */
  static final int MAX_TOKEN_CHARS = 16 * 1024;

  /** The outcome of one check. */
  public sealed interface Result {}

  /** The token is valid and names {@code customer}. */
  public record Authenticated(CustomerId customer, Instant expiresAt) implements Result {}

  /**
   * The token is not acceptable. {@code why} is a fixed phrase for the server's log, never for the
   * client (which sees one stable problem type).
   */
  public record Refused(String why) implements Result {}

  /** The key set could not be fetched: the token could not be checked (fail closed). */
  public record Unavailable() implements Result {}

  private final CustomerTokenSettings settings;
  private final InstantSource clock;
  private final DefaultJWTProcessor<SecurityContext> processor;
  private final JWKSource<SecurityContext> keys;
  private final DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier;

  private CustomerTokens(CustomerTokenSettings settings, JWKSource<SecurityContext> keys, InstantSource clock) {
    this.settings = settings;
    this.clock = clock;
    this.keys = keys;
    this.processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms(settings), keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        Set.of(settings.audience()),
        new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
        Set.of("exp", settings.customerClaim()),
        null) {
      @Override
      protected Date currentTime() {
        return Date.from(clock.instant());
      }
    };
    claims.setMaxClockSkew(Math.toIntExact(settings.clockSkew().toSeconds()));
    processor.setJWTClaimsSetVerifier(claims);
    this.claimsVerifier = claims;
  }

  /**
   * A checker for {@code settings}. A key set file is read now (a bad one is refused with an
   * {@link IllegalArgumentException} naming {@code customer.jwks}); a URL is fetched at first use.
   */
  public static CustomerTokens create(CustomerTokenSettings settings, InstantSource clock) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    JWKSource<SecurityContext> keys;
    if (settings.jwksFile().isPresent()) {
      try {
        keys = new ImmutableJWKSet<>(JWKSet.parse(Files.readString(settings.jwksFile().get(), StandardCharsets.UTF_8)));
      } catch (IOException | ParseException e) {
        throw new IllegalArgumentException("customer.jwks: " + settings.jwksFile().get() + " is not a readable JWK set", e);
      }
    } else {
      try {
        keys = JWKSourceBuilder.<SecurityContext>create(settings.jwksUrl().orElseThrow().toURL(),
                new DefaultResourceRetriever(Math.toIntExact(settings.connectTimeout().toMillis()),
                    Math.toIntExact(settings.readTimeout().toMillis()), JWKS_SIZE_LIMIT))
            .cache(JWKS_CACHE_LIFETIME.toMillis(), JWKS_REFRESH_TIMEOUT.toMillis())
            .rateLimited(JWKS_MIN_REFETCH_INTERVAL.toMillis())
            .build();
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("customer.jwks is not a URL", e);
      }
    }
    return new CustomerTokens(settings, keys, clock);
  }

  /** Checks {@code raw} (the compact JWT, without {@code Bearer}). Never throws for bad input. */
  public Result check(String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > MAX_TOKEN_CHARS) {
      return new Refused("empty or oversized token");
    }
    JWT jwt;
    try {
      jwt = JWTParser.parse(raw);
    } catch (ParseException | RuntimeException e) {
      return new Refused("malformed token");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      return new Refused("unsigned token"); // alg none (PlainJWT) or encrypted
    }
    JWSAlgorithm alg = signed.getHeader().getAlgorithm();
    if (!algorithms(settings).contains(alg)) {
      return new Refused("algorithm not allowed");
    }
    JWTClaimsSet claims;
    try {
      claims = JWSAlgorithm.Family.ED.contains(alg) ? processEdDsa(signed) : processor.process(signed, null);
    } catch (KeySourceException e) {
      return new Unavailable();
    } catch (BadJOSEException e) {
      return new Refused("signature, key or claims refused");
    } catch (JOSEException | ParseException | RuntimeException e) {
      return new Refused("signature could not be verified");
    }
    return againstOwnClock(claims);
  }

  /**
   * EdDSA by hand: Nimbus's key selector hands verifiers {@code java.security} keys, and an Ed25519
   * JWK (OKP) has none, so it would never find the key. Same steps as the processor: the key by the
   * header's {@code kid}/{@code alg}, the signature, then the same claims verifier.
   */
  private JWTClaimsSet processEdDsa(SignedJWT signed) throws JOSEException, BadJOSEException, ParseException {
    List<JWK> candidates = keys.get(new JWKSelector(JWKMatcher.forJWSHeader(signed.getHeader())), null);
    for (JWK k : candidates) {
      if (k instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())
          && signed.verify(new Ed25519Verifier(okp.toPublicJWK()))) {
        JWTClaimsSet claims = signed.getJWTClaimsSet();
        claimsVerifier.verify(claims, null);
        return claims;
      }
    }
    throw new BadJOSEException("no key of the set verifies the EdDSA signature");
  }

  /** Nimbus compares times with the wall clock; Custos's time is the injected clock, so both must accept. */
  private Result againstOwnClock(JWTClaimsSet claims) {
    Instant now = clock.instant();
    Duration skew = settings.clockSkew();
    Date exp = claims.getExpirationTime();
    if (exp == null || !exp.toInstant().plus(skew).isAfter(now)) {
      return new Refused("expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().minus(skew).isAfter(now)) {
      return new Refused("not yet valid");
    }
    Date iat = claims.getIssueTime();
    if (iat != null && iat.toInstant().minus(skew).isAfter(now)) {
      return new Refused("issued in the future");
    }
    Object id = claims.getClaim(settings.customerClaim());
    if (!(id instanceof String text)) {
      return new Refused("customer claim missing or not a string");
    }
    CustomerId customer;
    try {
      customer = new CustomerId(text);
    } catch (IllegalArgumentException e) {
      return new Refused("customer claim is not a customer id");
    }
    return new Authenticated(customer, exp.toInstant());
  }

  private static Set<JWSAlgorithm> algorithms(CustomerTokenSettings settings) {
    return settings.algorithms().stream().map(JWSAlgorithm::parse).collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  @Override
  public String toString() {
    return "CustomerTokens[issuer=" + settings.issuer() + ", audience=" + settings.audience() + "]";
  }
}
