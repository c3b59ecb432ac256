package dev.custos.identity;

class InMemoryRecoveryCodeStoreTest extends RecoveryCodeStoreContract {
  private final InMemoryRecoveryCodeStore store = new InMemoryRecoveryCodeStore();

  @Override
  protected RecoveryCodeStore instance() {
    return store;
  }
}
