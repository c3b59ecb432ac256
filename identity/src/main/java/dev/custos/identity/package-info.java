/**
 * Staff identity: local accounts (Argon2id passwords, TOTP, recovery codes), login throttling and
 * service tokens; single sign-on through OpenID Connect in {@code dev.custos.identity.oidc};
 * WebAuthn and sessions to come. No HTTP framework and no SQL: storage is
 * reached through ports ({@code *Store} interfaces) that the {@code store} module implements with
 * PostgreSQL. See docs/design/identity.md.
 */
package dev.custos.identity;
