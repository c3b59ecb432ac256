/**
 * Staff single sign-on through an OpenID Connect provider: {@link dev.custos.identity.oidc.OidcLogin}
 * (authorization code flow with PKCE, ID token validation with Nimbus, MFA and group-to-role
 * mapping), configured by {@link dev.custos.identity.oidc.OidcSettings}, answering
 * {@link dev.custos.identity.oidc.OidcOutcome}. Nimbus types do not cross this package's API. No
 * HTTP server and no SQL: the server module owns the routes, the storage of
 * {@link dev.custos.identity.oidc.OidcPending} and the sessions. See docs/design/oidc.md.
 */
package dev.custos.identity.oidc;
