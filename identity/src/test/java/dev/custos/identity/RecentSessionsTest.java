package dev.custos.identity;

import static dev.custos.identity.StoreContracts.T;
import static dev.custos.identity.StoreContracts.account;
import static dev.custos.identity.StoreContracts.freshAccount;
import static dev.custos.identity.StoreContracts.session;
import static dev.custos.identity.StoreContracts.sessionKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.InProcessChangeFeed;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RecentSessionsTest {
  private static final Duration TTL = Duration.ofSeconds(1);

  private final AtomicReference<Instant> now = new AtomicReference<>(T.plusSeconds(10));
  private final InProcessChangeFeed feed = new InProcessChangeFeed();
  private final RecentSessions recent = new RecentSessions(TTL, now::get, feed);
  /** Another instance on the same database and feed. */
  private final RecentSessions elsewhere = new RecentSessions(TTL, now::get, feed);
  private final InMemorySessionStore sessionTable = new InMemorySessionStore();
  private final SessionStore sessions = recent.watching(sessionTable);
  private final StaffDirectory directory = recent.watching(new InMemoryStaffDirectory(sessionTable,
      new InMemoryCredentialStore()));

  private final StaffId staff = freshAccount();
  private final StaffAccount account = account(staff, StaffAccount.Origin.LOCAL);
  private final String key = sessionKey();
  private final Session session = session(staff, T);

  private void remembered() {
    long g = recent.generation();
    recent.remember(key, g, session, account);
    assertThat(recent.find(key)).contains(new RecentSessions.Recent(session, account));
  }

  @Test
  void rememberedSession_isFound_untilTheTtlPasses() {
    remembered();
    now.set(now.get().plus(TTL));
    assertThat(recent.find(key)).isEmpty();
  }

  @Test
  void revocationThroughTheWatchedStore_endsItAtOnce() {
    sessions.insert(key, session);
    remembered();
    sessions.revoke(key, "logout", now.get());
    assertThat(recent.find(key)).isEmpty();
  }

  @Test
  void revocationOfAnotherSession_alsoDropsIt_becauseNothingIsKeptAcrossAChange() {
    remembered();
    sessions.revokeAll(freshAccount(), "suspended", now.get());
    assertThat(recent.find(key)).isEmpty();
  }

  @Test
  void suspensionRoleOrShiftChangeThroughTheWatchedDirectory_endsItAtOnce() {
    directory.create(account, Optional.of(StoreContracts.passwordHash()));
    remembered();
    directory.setRoles(staff, Set.of(Role.AUDITOR));
    assertThat(recent.find(key)).isEmpty();
    remembered();
    directory.setShift(staff, Optional.of(dev.custos.access.Shift.parse("mon-fri 08:00-16:00 Europe/Berlin")));
    assertThat(recent.find(key)).isEmpty();
    remembered();
    directory.suspend(staff, "decoy touched", now.get());
    assertThat(recent.find(key)).isEmpty();
  }

  @Test
  void suspensionOnAnotherInstance_endsItAsSoonAsItsChangeIsHeard() {
    StaffDirectory otherDirectory = elsewhere.watching(new InMemoryStaffDirectory(sessionTable, new InMemoryCredentialStore()));
    otherDirectory.create(account, Optional.of(StoreContracts.passwordHash()));
    remembered();
    otherDirectory.suspend(staff, "decoy touched", now.get());
    assertThat(recent.find(key)).isEmpty();
    assertThat(feed.published).contains("staff:" + staff.value());
  }

  @Test
  void whileTheFeedIsDown_nothingIsServed_andWhatWasRememberedBeforeIsNotServedAfter() {
    remembered();
    feed.down();
    assertThat(recent.find(key)).isEmpty();
    recent.remember(key, recent.generation(), session, account);
    assertThat(recent.find(key)).isEmpty();
    feed.up();
    assertThat(recent.find(key)).isEmpty();
  }

  @Test
  void checkThatStartedBeforeAChange_isNotRemembered() {
    long before = recent.generation();
    sessions.revoke(key, "logout", now.get()); // commits while the check is still reading the old row
    recent.remember(key, before, session, account);
    assertThat(recent.find(key)).isEmpty();
  }

  @Test
  void sessionPastItsAbsoluteExpiry_isNotServed() {
    Session shortOne = session(staff, T, now.get().plusMillis(500));
    recent.remember(key, recent.generation(), shortOne, account);
    assertThat(recent.find(key)).isPresent();
    now.set(now.get().plusMillis(500));
    assertThat(recent.find(key)).isEmpty();
  }

  @Test
  void pendingSessionsAndSuspendedAccounts_areNeverRemembered() {
    Session pending = new Session(session.handle(), staff, SessionState.PENDING, "password", T, T,
        T.plus(Duration.ofMinutes(10)), Optional.empty(), "203.0.113.7", "ua", "totp", Optional.empty(), Optional.empty());
    recent.remember(key, recent.generation(), pending, account);
    assertThat(recent.find(key)).isEmpty();
    StaffAccount suspended = new StaffAccount(staff, account.displayName(), account.roles(), account.team(),
        account.origin(), StaffStatus.SUSPENDED, Optional.of("contained"), account.createdAt());
    recent.remember(key, recent.generation(), session, suspended);
    assertThat(recent.find(key)).isEmpty();
  }
}
