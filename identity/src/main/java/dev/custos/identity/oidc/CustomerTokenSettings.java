package dev.custos.identity.oidc;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How Custos recognises the exchange's own customers: the JSON Web Tokens its customer login
 * issues, verified against its published key set.
 *
 * @param jwksUrl where the key set is published (http only for localhost), or empty when {@code jwksFile} is given
 * @param jwksFile a file holding the key set (read once at start), or empty when {@code jwksUrl} is given
 * @param issuer the exact {@code iss} every token must carry
 * @param audience a value the token's {@code aud} must contain
 * @param customerClaim the claim holding the customer id (default {@code sub})
 * @param algorithms the signature algorithms accepted: a non-empty subset of ES256, RS256 and EdDSA
 * @param clockSkew tolerance for {@code exp}, {@code nbf} and {@code iat}: 0 to 5 minutes
 * @param connectTimeout connection timeout when fetching the key set
 * @param readTimeout read timeout when fetching the key set
 */
public record CustomerTokenSettings(Optional<URI> jwksUrl, Optional<Path> jwksFile, String issuer, String audience,
    String customerClaim, Set<String> algorithms, Duration clockSkew, Duration connectTimeout,
    Duration readTimeout) {
  /** The algorithms a deployment may allow: asymmetric only, so no holder of a shared secret can mint tokens. */
  public static final Set<String> ALLOWED = Set.of("ES256", "RS256", "EdDSA");
  private static final Pattern CLAIM = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]{0,63}");

  public CustomerTokenSettings {
    Objects.requireNonNull(jwksUrl, "jwksUrl");
    Objects.requireNonNull(jwksFile, "jwksFile");
    if (jwksUrl.isPresent() == jwksFile.isPresent()) {
      throw new IllegalArgumentException("customer.jwks must be either a URL or a file");
    }
    jwksUrl.ifPresent(CustomerTokenSettings::checkUrl);
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalArgumentException("customer.issuer is required with customer.jwks");
    }
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("customer.audience is required with customer.jwks");
    }
    if (customerClaim == null || !CLAIM.matcher(customerClaim).matches()) {
      throw new IllegalArgumentException("customer.id-claim must be a claim name of 1-64 letters, digits, _ . : -");
    }
    algorithms = Set.copyOf(algorithms);
    if (algorithms.isEmpty() || !ALLOWED.containsAll(algorithms)) {
      throw new IllegalArgumentException("customer.algorithms must be a non-empty subset of ES256, RS256, EdDSA");
    }
    Objects.requireNonNull(clockSkew, "clockSkew");
    if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("customer.clock-skew must be from 0s to 5m");
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("customer key set timeouts must be positive");
    }
  }

  /** Parses a comma-separated algorithm list such as {@code ES256,RS256,EdDSA}. */
  public static Set<String> parseAlgorithms(String text) {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    for (String a : text.split(",")) {
      String name = a.strip();
      String alg = ALLOWED.stream().filter(x -> x.equalsIgnoreCase(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(
              "customer.algorithms: '" + name + "' is not one of ES256, RS256, EdDSA"));
      out.add(alg);
    }
    return out;
  }

  private static void checkUrl(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    String host = url.getHost() == null ? "" : url.getHost();
    boolean local = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
    if (!(scheme.equals("https") || (scheme.equals("http") && local)) || url.getFragment() != null
        || url.getUserInfo() != null) {
      throw new IllegalArgumentException("customer.jwks must be an https URL (http only for localhost) without "
          + "user info or fragment, or a file path");
    }
  }
}
