package dev.custos.identity.oidc;

import java.net.URI;
import java.util.Objects;

/**
 * The start of a single sign-on ({@link OidcLogin#begin()}): where to send the browser, and what
 * to keep server side until it comes back.
 *
 * @param location the provider's authorization endpoint with the request (authorization code flow,
 *     {@code state}, {@code nonce}, PKCE S256 challenge); the caller answers with a redirect to it
 * @param pending what {@link OidcLogin#complete} needs; the caller MUST keep it bound to this browser
 *     where the browser can neither read nor change it (server side, or sealed in a cookie)
 */
public record OidcRedirect(URI location, OidcPending pending) {
  public OidcRedirect {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(pending, "pending");
  }
}
