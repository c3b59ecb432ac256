package dev.custos.vault;

class InMemoryVaultStoreTest extends VaultStoreContract {
  private final InMemoryVaultStore store = new InMemoryVaultStore();

  @Override
  protected VaultStore instance() {
    return store;
  }
}
