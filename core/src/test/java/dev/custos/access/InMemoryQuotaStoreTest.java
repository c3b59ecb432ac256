package dev.custos.access;

class InMemoryQuotaStoreTest extends QuotaStoreContract {
  private final InMemoryQuotaStore store = new InMemoryQuotaStore();

  @Override
  protected QuotaStore instance() {
    return store;
  }
}
