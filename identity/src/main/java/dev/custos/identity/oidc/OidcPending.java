package dev.custos.identity.oidc;

import dev.custos.identity.Parsed;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Custos remembers, server side, between sending a browser to the provider
 * ({@link OidcLogin#begin()}) and its return ({@link OidcLogin#complete}): the {@code state} that
 * binds the callback to this login, the {@code nonce} that binds the ID token to it, the PKCE code
 * verifier and when the login began.
 *
 * <p>{@link #serialize()} gives a compact text for a database column, a server-side session store
 * or a sealed cookie, and {@link #parse} reads it back. The caller MUST keep it where the browser
 * can neither read nor change it (server side, or sealed with authenticated encryption, as the
 * server's {@code custos_oidc} cookie is), MUST find it by the callback's browser, not by the
 * callback's {@code state} parameter alone, and MUST use it at most once (delete it, or clear the
 * cookie, before calling {@link OidcLogin#complete}; a sealed copy presented again fails at the
 * provider, which redeems a code once).
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Not a record: {@link #toString()} shows only the creation time; state, nonce and verifier
 *       are redacted. {@link #equals} compares in constant time.</li>
 *   <li>The three values are 256 bits each from the {@link java.security.SecureRandom} given to
 *       {@link OidcLogin}, in unpadded base64url (43 characters, RFC 7636 §4.1's recommended
 *       verifier form).</li>
 *   <li>{@link #parse} never throws, and its problems never quote the text.</li>
 * </ul>
 */
public final class OidcPending {
  /** Length of each random value in base64url: 32 bytes. */
  static final int VALUE_CHARS = 43;
  private static final String VERSION = "oidc1";
  private static final Pattern FORM = Pattern.compile(
      "oidc1\\.(?<at>0|[1-9][0-9]{0,11})\\.(?<state>[A-Za-z0-9_-]{43})\\.(?<nonce>[A-Za-z0-9_-]{43})\\.(?<verifier>[A-Za-z0-9_-]{43})");

  private final String state;
  private final String nonce;
  private final String codeVerifier;
  private final Instant createdAt;

  OidcPending(String state, String nonce, String codeVerifier, Instant createdAt) {
    this.state = requireValue(state, "state");
    this.nonce = requireValue(nonce, "nonce");
    this.codeVerifier = requireValue(codeVerifier, "code verifier");
    Objects.requireNonNull(createdAt, "createdAt");
    if (createdAt.getEpochSecond() < 0 || createdAt.getNano() != 0) {
      throw new IllegalArgumentException("createdAt must be a whole second after the epoch");
    }
    this.createdAt = createdAt;
  }

  /**
   * Reads text written by {@link #serialize()}: {@code oidc1.<epoch seconds>.<state>.<nonce>.<verifier>}.
   * Never throws for bad input.
   */
  public static Parsed<OidcPending> parse(String text) {
    if (text == null) {
      return Parsed.invalid("pending OIDC login is missing");
    }
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      return Parsed.invalid("pending OIDC login must be " + VERSION + ".<epoch seconds>.<state>.<nonce>.<verifier>, "
          + "each value 43 base64url characters");
    }
    return Parsed.valid(new OidcPending(m.group("state"), m.group("nonce"), m.group("verifier"),
        Instant.ofEpochSecond(Long.parseLong(m.group("at")))));
  }

  /** The text form for server-side storage; it contains the code verifier, so it is a secret. */
  public String serialize() {
    return VERSION + "." + createdAt.getEpochSecond() + "." + state + "." + nonce + "." + codeVerifier;
  }

  /** When the login began (whole seconds). */
  public Instant createdAt() {
    return createdAt;
  }

  String state() {
    return state;
  }

  String nonce() {
    return nonce;
  }

  String codeVerifier() {
    return codeVerifier;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OidcPending other
        && MessageDigest.isEqual(serialize().getBytes(StandardCharsets.US_ASCII), other.serialize().getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  public int hashCode() {
    return createdAt.hashCode();
  }

  @Override
  public String toString() {
    return "OidcPending[createdAt=" + createdAt + ", state=***, nonce=***, codeVerifier=***]";
  }

  private static String requireValue(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.length() != VALUE_CHARS || !value.chars().allMatch(OidcPending::isBase64Url)) {
      throw new IllegalArgumentException(what + " must be " + VALUE_CHARS + " base64url characters");
    }
    return value;
  }

  private static boolean isBase64Url(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }
}
