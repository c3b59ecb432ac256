package dev.custos.approval;

class InMemoryApprovalStoreTest extends ApprovalStoreContract {
  private final InMemoryApprovalStore store = new InMemoryApprovalStore();

  @Override
  protected ApprovalStore instance() {
    return store;
  }
}
