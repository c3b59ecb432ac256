package dev.custos.identity.webauthn;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Who Custos is to a WebAuthn authenticator: the relying party id that credentials are scoped to,
 * the name shown while registering, and the exact web origins the console is served from.
 *
 * <p>Validated once when built (fail closed; each error names the setting): a setting that no
 * browser could ever satisfy, such as an origin outside the relying party id, is refused here
 * instead of turning every login into a verification failure later.
 *
 * @param rpId the relying party id: a lower-case domain name without scheme, port or path
 *     ({@code localhost}, {@code custos.example.com}). Every credential is bound to it; changing it
 *     later makes every registered credential unusable.
 * @param rpName the name authenticators show while registering, 1 to 64 characters without control
 *     characters
 * @param origins the exact origins ({@code scheme://host[:port]}, no path, no trailing slash, as a
 *     browser writes them into client data) that may run a ceremony: {@code https}, or {@code http}
 *     for {@code localhost} only; each host is the relying party id or one of its subdomains; 1 to 16
 * @param timeout how long the browser waits for the person at the authenticator, 30 seconds to 10
 *     minutes (a hint to the client; the caller expires its pending state itself)
 */
public record WebAuthnSettings(String rpId, String rpName, Set<String> origins, Duration timeout) {
  /** Five minutes, the WebAuthn Level 3 recommendation when user verification is required. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  static final int MAX_ORIGINS = 16;
  static final int MAX_NAME = 64;

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");

  public WebAuthnSettings {
    rpId = requireRpId(rpId);
    rpName = requireName(rpName, "webauthn rpName");
    origins = requireOrigins(origins, rpId);
    if (timeout == null || timeout.compareTo(Duration.ofSeconds(30)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("webauthn timeout must be 30 seconds to 10 minutes, was " + timeout);
    }
  }

  /** Settings with the {@link #DEFAULT_TIMEOUT}. */
  public static WebAuthnSettings of(String rpId, String rpName, Set<String> origins) {
    return new WebAuthnSettings(rpId, rpName, origins, DEFAULT_TIMEOUT);
  }

  private static String requireRpId(String rpId) {
    String rule = "webauthn rpId must be a lower-case domain name such as localhost or custos.example.com "
        + "(no scheme, port or path), was ";
    if (rpId == null) {
      throw new IllegalArgumentException(rule + "missing");
    }
    if (rpId.isEmpty() || rpId.length() > 253) {
      throw new IllegalArgumentException(rule + "'" + rpId + "'");
    }
    for (String label : rpId.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException(rule + "'" + rpId + "'");
      }
    }
    if (DIGITS_AND_DOTS.matcher(rpId).matches()) {
      // WebAuthn scopes credentials to a domain; browsers refuse an IP address as an RP ID.
      throw new IllegalArgumentException("webauthn rpId must be a domain name, not an IP address, was '" + rpId + "'");
    }
    return rpId;
  }

  /** The problem with {@code text} as a short human-readable name, or null when it is one. */
  static String nameProblem(String text) {
    if (text == null || text.isBlank()) {
      return "is missing";
    }
    if (!text.equals(text.strip())) {
      return "has leading or trailing white space";
    }
    int length = text.codePointCount(0, text.length());
    if (length > MAX_NAME) {
      return "is longer than " + MAX_NAME + " characters (" + length + ")";
    }
    if (text.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
        || Character.getType(c) == Character.PARAGRAPH_SEPARATOR)) {
      return "contains a control character";
    }
    return null;
  }

  private static String requireName(String text, String setting) {
    String problem = nameProblem(text);
    if (problem != null) {
      throw new IllegalArgumentException(setting + " " + problem);
    }
    return text;
  }

  private static Set<String> requireOrigins(Set<String> origins, String rpId) {
    if (origins == null || origins.isEmpty()) {
      throw new IllegalArgumentException("webauthn origins must list at least one origin, such as https://" + rpId);
    }
    if (origins.size() > MAX_ORIGINS) {
      throw new IllegalArgumentException("webauthn origins must list at most " + MAX_ORIGINS + " origins, listed "
          + origins.size());
    }
    TreeSet<String> sorted = new TreeSet<>();
    for (String origin : origins) {
      String problem = originProblem(origin, rpId);
      if (problem != null) {
        throw new IllegalArgumentException("webauthn origin '" + origin + "' " + problem);
      }
      sorted.add(origin);
    }
    return Collections.unmodifiableSortedSet(sorted);
  }

  /** Why {@code origin} can never match what a browser reports for {@code rpId}, or null when it can. */
  private static String originProblem(String origin, String rpId) {
    if (origin == null) {
      return "is missing";
    }
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return "is not a URL";
    }
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (scheme == null || host == null || uri.getRawAuthority() == null) {
      return "must be scheme://host[:port], such as https://" + rpId;
    }
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return "must use https (or http for localhost)";
    }
    if (uri.getRawUserInfo() != null) {
      return "must not contain user information";
    }
    if (!uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "must not have a path, query or fragment (not even a trailing slash): browsers report the bare origin";
    }
    if (!host.equals(host.toLowerCase(Locale.ROOT))) {
      return "must have a lower-case host: browsers report it lower-cased";
    }
    boolean local = host.equals("localhost") || host.endsWith(".localhost");
    if (scheme.equals("http") && !local) {
      return "must use https: browsers allow WebAuthn over http only on localhost";
    }
    int port = uri.getPort();
    if ((scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80)) {
      return "must leave out the default port " + port + ": browsers report the origin without it";
    }
    if (!host.equals(rpId) && !host.endsWith("." + rpId)) {
      return "is outside the rpId '" + rpId + "': its host must be the rpId or a subdomain of it";
    }
    return null;
  }
}
