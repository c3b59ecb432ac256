package dev.custos.identity.webauthn;

class InMemoryWebAuthnCredentialStoreTest extends WebAuthnCredentialStoreContract {
  private final InMemoryWebAuthnCredentialStore store = new InMemoryWebAuthnCredentialStore();

  @Override
  protected WebAuthnCredentialStore instance() {
    return store;
  }
}
