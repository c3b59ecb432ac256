package dev.custos.incident;

class InMemoryIncidentStoreTest extends IncidentStoreContract {
  @Override
  protected IncidentStore instance() {
    return new InMemoryIncidentStore();
  }
}
