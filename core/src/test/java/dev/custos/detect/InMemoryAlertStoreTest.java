package dev.custos.detect;

class InMemoryAlertStoreTest extends AlertStoreContract {
  private final InMemoryAlertStore store = new InMemoryAlertStore();

  @Override
  protected AlertStore instance() {
    return store;
  }
}
