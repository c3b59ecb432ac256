package dev.custos.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The secret that proves possession of a session: 32 random bytes, base64url (43 characters), held
 * only by the browser in an HttpOnly cookie. Custos stores its SHA-256 ({@link #storageKey()}) and
 * derives the session's CSRF token from it ({@link #csrfToken()}).
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>256 bits from {@link SecureRandom}: not guessable; a new one at every login and step-up.</li>
 *   <li>Not a record: {@link #toString()} is redacted.</li>
 *   <li>The storage key is a one-way hash, so the database (or a backup of it) opens no session.</li>
 *   <li>The CSRF token is a domain-separated hash of the secret: only a page that was given it by
 *       Custos (same origin) knows it, and it changes with the session id.</li>
 * </ul>
 */
public final class SessionSecret {
  private static final int LENGTH = 43;
  private final String value;

  private SessionSecret(String value) {
    this.value = value;
  }

  public static SessionSecret random(SecureRandom random) {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return new SessionSecret(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }

  /** The secret from a cookie; empty when it is not of the form Custos issues (never throws). */
  public static Optional<SessionSecret> parse(String cookie) {
    return isForm(cookie) ? Optional.of(new SessionSecret(cookie)) : Optional.empty();
  }

  /** 43 characters of base64url ({@code [A-Za-z0-9_-]{43}}), checked by a loop: every request checks one. */
  private static boolean isForm(String cookie) {
    if (cookie == null || cookie.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = cookie.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** The cookie value. */
  public String reveal() {
    return value;
  }

  /** What the store keys the session by: SHA-256 of the secret, base64url (43 characters). */
  public String storageKey() {
    return hash("custos-session-v1:");
  }

  /** The session's CSRF token, to be echoed in the {@code X-CSRF-Token} header of unsafe requests. */
  public String csrfToken() {
    return hash("custos-csrf-v1:");
  }

  /** Whether {@code presented} is this session's CSRF token, compared in constant time. */
  public boolean csrfMatches(String presented) {
    return presented != null && MessageDigest.isEqual(
        csrfToken().getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
  }

  private String hash(String domain) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(domain.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest(value.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  @Override
  public String toString() {
    return "SessionSecret[***]";
  }
}
