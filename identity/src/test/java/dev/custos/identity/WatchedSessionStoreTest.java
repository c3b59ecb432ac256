package dev.custos.identity;

import dev.custos.access.ChangeFeed;
import java.time.Duration;
import java.time.InstantSource;

/** The session store contract holds through {@link RecentSessions#watching(SessionStore)}. */
class WatchedSessionStoreTest extends SessionStoreContract {
  private final SessionStore store = new RecentSessions(Duration.ofSeconds(1), InstantSource.system(), ChangeFeed.alone())
      .watching(new InMemorySessionStore());

  @Override
  protected SessionStore instance() {
    return store;
  }
}
