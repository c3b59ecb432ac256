package dev.custos.identity;

class InMemoryLoginAttemptStoreTest extends LoginAttemptStoreContract {
  private final InMemoryLoginAttemptStore store = new InMemoryLoginAttemptStore();

  @Override
  protected LoginAttemptStore instance() {
    return store;
  }
}
