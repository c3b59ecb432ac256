package dev.custos.access;

class InMemoryCaseStoreTest extends CaseStoreContract {
  private final InMemoryCaseStore store = new InMemoryCaseStore();

  @Override
  protected CaseStore instance() {
    return store;
  }
}
