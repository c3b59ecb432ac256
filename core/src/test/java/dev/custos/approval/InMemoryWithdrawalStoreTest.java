package dev.custos.approval;

class InMemoryWithdrawalStoreTest extends WithdrawalStoreContract {
  private final InMemoryWithdrawalStore store = new InMemoryWithdrawalStore();

  @Override
  protected WithdrawalStore instance() {
    return store;
  }
}
