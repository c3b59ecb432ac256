package dev.custos.access;

class InMemoryTicketStoreTest extends TicketStoreContract {
  private final InMemoryTicketStore store = new InMemoryTicketStore();

  @Override
  protected TicketStore instance() {
    return store;
  }
}
