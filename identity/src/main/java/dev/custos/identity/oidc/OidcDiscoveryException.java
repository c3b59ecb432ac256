package dev.custos.identity.oidc;

/**
 * Single sign-on cannot start: the provider's metadata could not be fetched, or it does not describe
 * the configured issuer or a provider Custos can use safely. The message says which, with the URL
 * and the configuration key involved; it never contains the client secret.
 */
public final class OidcDiscoveryException extends Exception {
  OidcDiscoveryException(String message) {
    super(message);
  }

  OidcDiscoveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
