package dev.custos.identity;

class InMemoryOidcBindingStoreTest extends OidcBindingStoreContract {
  private final InMemoryOidcBindingStore store = new InMemoryOidcBindingStore();

  @Override
  protected OidcBindingStore instance() {
    return store;
  }
}
