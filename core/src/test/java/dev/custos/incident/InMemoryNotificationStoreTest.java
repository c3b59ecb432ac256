package dev.custos.incident;

class InMemoryNotificationStoreTest extends NotificationStoreContract {
  @Override
  protected NotificationStore instance() {
    return new InMemoryNotificationStore();
  }
}
