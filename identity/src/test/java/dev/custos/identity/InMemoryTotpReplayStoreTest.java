package dev.custos.identity;

class InMemoryTotpReplayStoreTest extends TotpReplayStoreContract {
  private final InMemoryTotpReplayStore store = new InMemoryTotpReplayStore();

  @Override
  protected TotpReplayStore instance() {
    return store;
  }
}
