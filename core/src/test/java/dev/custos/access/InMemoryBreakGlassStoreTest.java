package dev.custos.access;

class InMemoryBreakGlassStoreTest extends BreakGlassStoreContract {
  private final InMemoryBreakGlassStore store = new InMemoryBreakGlassStore();

  @Override
  protected BreakGlassStore instance() {
    return store;
  }
}
