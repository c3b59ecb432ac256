package dev.custos.identity;

class InMemoryStaffDirectoryTest extends StaffDirectoryContract {
  private final InMemorySessionStore sessions = new InMemorySessionStore();
  private final InMemoryStaffDirectory directory = new InMemoryStaffDirectory(sessions, new InMemoryCredentialStore());

  @Override
  protected StaffDirectory instance() {
    return directory;
  }

  @Override
  protected SessionStore sessions() {
    return sessions;
  }
}
