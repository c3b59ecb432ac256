/**
 * WebAuthn as a second factor for staff: {@link dev.custos.identity.webauthn.WebAuthn} over Yubico's
 * webauthn-server-core, its settings, the credential record and the
 * {@link dev.custos.identity.webauthn.WebAuthnCredentialStore} port that the {@code store} module
 * implements with PostgreSQL. See docs/design/webauthn.md.
 */
package dev.custos.identity.webauthn;
