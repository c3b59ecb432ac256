package dev.custos.identity;

import dev.custos.access.ChangeFeed;
import java.time.Duration;
import java.time.InstantSource;

/** The staff directory contract holds through {@link RecentSessions#watching(StaffDirectory)}. */
class WatchedStaffDirectoryTest extends StaffDirectoryContract {
  private final RecentSessions recent = new RecentSessions(Duration.ofSeconds(1), InstantSource.system(), ChangeFeed.alone());
  private final InMemorySessionStore sessions = new InMemorySessionStore();
  private final StaffDirectory directory = recent.watching(new InMemoryStaffDirectory(sessions, new InMemoryCredentialStore()));

  @Override
  protected StaffDirectory instance() {
    return directory;
  }

  @Override
  protected SessionStore sessions() {
    return recent.watching(sessions);
  }
}
