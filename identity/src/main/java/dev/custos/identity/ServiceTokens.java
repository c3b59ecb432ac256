package dev.custos.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issues, checks and revokes the service tokens that integrations (the exchange's backend, the
 * ticket system, a SIEM, other internal systems writing to the ledger) use instead of a staff
 * session.
 *
 * <p>Token text is {@code cst_<id>_<secret>}: a 16-character public id (80 random bits, base32)
 * and a 43-character secret (256 random bits, base64url). The prefix lets secret scanners find
 * leaked tokens.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Only the SHA-256 of the secret is stored; a 256-bit random secret needs no slow hash, and
 *       a database copy cannot be replayed.</li>
 *   <li>The secret is compared in constant time, and an unknown id costs the same hash and
 *       comparison as a wrong secret.</li>
 *   <li>A revoked or expired token is refused on the next request; the store is read on every
 *       check, never cached.</li>
 *   <li>Any failure to read the store is a rejection ({@link TokenCheck.Reason#UNAVAILABLE}).</li>
 * </ul>
 */
public final class ServiceTokens {
  private static final Pattern TEXT = Pattern.compile("cst_(?<id>[a-z2-7]{16})_(?<secret>[A-Za-z0-9_-]{43})");
  /** Recording every use would turn each request into a write; a minute's staleness is enough to audit. */
  private static final Duration USE_RESOLUTION = Duration.ofMinutes(1);
  private static final byte[] NO_SUCH_TOKEN = new byte[32];

  private final ServiceTokenStore store;
  private final InstantSource clock;
  private final SecureRandom random;

  public ServiceTokens(ServiceTokenStore store, InstantSource clock, SecureRandom random) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Issues a token for {@code name} with {@code scopes}, valid for {@code lifetime} (or until
   * revoked when empty). The returned text is the only copy.
   *
   * @throws IllegalArgumentException when the name, scopes or lifetime are unacceptable
   */
  public IssuedToken issue(String name, Set<Scope> scopes, Optional<Duration> lifetime) {
    if (lifetime.isPresent() && (lifetime.get().isNegative() || lifetime.get().isZero())) {
      throw new IllegalArgumentException("a token lifetime must be positive");
    }
    Instant now = clock.instant();
    byte[] idBytes = new byte[10];
    random.nextBytes(idBytes);
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    ServiceToken token = new ServiceToken(Base32.encode(idBytes).toLowerCase(Locale.ROOT), name, scopes, now, lifetime.map(now::plus),
        Optional.empty(), Optional.empty());
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    store.insert(new StoredToken(token, sha256(secretText)));
    return new IssuedToken(token, "cst_" + token.id() + "_" + secretText);
  }

  /**
   * Checks presented token text for {@code required}. Never throws for bad input; a store failure
   * is {@link TokenCheck.Reason#UNAVAILABLE}.
   */
  public TokenCheck check(String presented, Scope required) {
    Objects.requireNonNull(required, "required");
    Matcher m = presented == null ? null : TEXT.matcher(presented);
    if (m == null || !m.matches()) {
      return new TokenCheck.Rejected(TokenCheck.Reason.MALFORMED);
    }
    Optional<StoredToken> stored;
    try {
      stored = store.find(m.group("id"));
    } catch (RuntimeException e) {
      return new TokenCheck.Rejected(TokenCheck.Reason.UNAVAILABLE);
    }
    byte[] expected = stored.map(StoredToken::secretHash).orElse(NO_SUCH_TOKEN);
    boolean secretMatches = MessageDigest.isEqual(expected, sha256(m.group("secret")));
    if (stored.isEmpty()) {
      return new TokenCheck.Rejected(TokenCheck.Reason.UNKNOWN);
    }
    if (!secretMatches) {
      return new TokenCheck.Rejected(TokenCheck.Reason.WRONG_SECRET);
    }
    ServiceToken token = stored.get().token();
    Instant now = clock.instant();
    if (token.revokedAt().isPresent()) {
      return new TokenCheck.Rejected(TokenCheck.Reason.REVOKED);
    }
    if (!token.activeAt(now)) {
      return new TokenCheck.Rejected(TokenCheck.Reason.EXPIRED);
    }
    if (!token.scopes().contains(required)) {
      return new TokenCheck.Rejected(TokenCheck.Reason.MISSING_SCOPE);
    }
    try {
      store.recordUse(token.id(), now, now.minus(USE_RESOLUTION));
    } catch (RuntimeException e) {
      return new TokenCheck.Rejected(TokenCheck.Reason.UNAVAILABLE);
    }
    return new TokenCheck.Accepted(token);
  }

  /** Revokes the token {@code id}; false when there is none or it was already revoked. */
  public boolean revoke(String id) {
    return store.revoke(id, clock.instant());
  }

  /** Every token, newest first, without secrets. */
  public List<ServiceToken> list() {
    return store.list();
  }

  /** Whether {@code id} has the form of a token id (so callers can refuse garbage with a clear message). */
  public static boolean validId(String id) {
    return id != null && ServiceToken.ID.matcher(id).matches();
  }

  private static byte[] sha256(String secretText) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secretText.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
