package dev.custos.identity;

class InMemorySessionStoreTest extends SessionStoreContract {
  private final InMemorySessionStore store = new InMemorySessionStore();

  @Override
  protected SessionStore instance() {
    return store;
  }
}
