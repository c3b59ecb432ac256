package dev.custos.identity;

class InMemoryCredentialStoreTest extends StaffCredentialStoreContract {
  private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
  private final InMemoryStaffDirectory directory = new InMemoryStaffDirectory(new InMemorySessionStore(), credentials);

  @Override
  protected StaffCredentialStore instance() {
    return credentials;
  }

  @Override
  protected StaffDirectory directory() {
    return directory;
  }
}
