package dev.custos.identity;

import static dev.custos.identity.StoreContracts.T;
import static dev.custos.identity.StoreContracts.account;
import static dev.custos.identity.StoreContracts.freshAccount;
import static dev.custos.identity.StoreContracts.passwordHash;
import static dev.custos.access.Races.race;
import static dev.custos.identity.StoreContracts.session;
import static dev.custos.identity.StoreContracts.sessionKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link StaffDirectory} must have, with the {@link SessionStore} whose sessions
 * a suspension revokes. Extend it with the implementations under test (the in-memory fakes here,
 * PostgreSQL in {@code store}). Tests use fresh staff ids, so a shared database needs no cleanup.
 */
public abstract class StaffDirectoryContract {
  /** A directory instance; every call during one test MUST return an instance backed by the same state. */
  protected abstract StaffDirectory instance();

  /** The sessions that {@link #instance()} revokes on suspension, backed by the same state. */
  protected abstract SessionStore sessions();

  private StaffId created() {
    StaffId id = freshAccount();
    assertThat(instance().create(account(id, StaffAccount.Origin.LOCAL), Optional.of(passwordHash()))).isTrue();
    return id;
  }

  private String liveSession(StaffId staff, Instant createdAt) {
    String key = sessionKey();
    sessions().insert(key, session(staff, createdAt));
    return key;
  }

  private Session sessionUnder(String key) {
    return sessions().find(key).orElseThrow(() -> new AssertionError("no session under " + key));
  }

  private StaffAccount found(StaffId id) {
    return instance().find(id).orElseThrow(() -> new AssertionError("no account " + id));
  }

  // create and find

  @Test
  public void setShift_isFound_andCleared_andUnknownAccountIsFalse() {
    StaffId id = freshAccount();
    instance().create(account(id, StaffAccount.Origin.LOCAL), Optional.of(passwordHash()));
    dev.custos.access.Shift night = dev.custos.access.Shift.parse("mon-fri 22:00-06:00 Europe/Berlin");

    assertThat(instance().setShift(id, Optional.of(night))).isTrue();
    assertThat(instance().find(id).orElseThrow().shift()).contains(night);
    assertThat(instance().list().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow().shift()).contains(night);
    assertThat(instance().setShift(id, Optional.empty())).isTrue();
    assertThat(instance().find(id).orElseThrow().shift()).isEmpty();
    assertThat(instance().setShift(freshAccount(), Optional.of(night))).isFalse();
  }

  @Test
  public void suspendAndRestore_keepTheShift() {
    StaffId id = freshAccount();
    instance().create(account(id, StaffAccount.Origin.LOCAL), Optional.of(passwordHash()));
    dev.custos.access.Shift day = dev.custos.access.Shift.parse("daily 08:00-16:00 UTC");
    instance().setShift(id, Optional.of(day));
    instance().suspend(id, "investigating", T);
    assertThat(instance().find(id).orElseThrow().shift()).contains(day);
  }

  @Test
  public void createdLocalAccount_isFound() {
    StaffId id = freshAccount();
    StaffAccount account = account(id, StaffAccount.Origin.LOCAL);

    assertThat(instance().create(account, Optional.of(passwordHash()))).isTrue();

    assertThat(instance().find(id)).contains(account);
  }

  @Test
  public void createdOidcAccount_withoutTeam_isFound() {
    StaffId id = freshAccount();
    StaffAccount account = StaffAccount.create(id, "Grace Hopper", EnumSet.allOf(Role.class), Optional.empty(),
        StaffAccount.Origin.OIDC, T);

    assertThat(instance().create(account, Optional.empty())).isTrue();

    assertThat(instance().find(id)).contains(account);
  }

  @Test
  public void accountCreatedSuspended_keepsItsStatusAndReason() {
    StaffId id = freshAccount();
    StaffAccount account = new StaffAccount(id, "Imported", Set.of(Role.AUDITOR), Optional.empty(),
        StaffAccount.Origin.OIDC, StaffStatus.SUSPENDED, Optional.of("left the company"), T);

    instance().create(account, Optional.empty());

    assertThat(instance().find(id)).contains(account);
  }

  @Test
  public void unknownAccount_isNotFound() {
    assertThat(instance().find(freshAccount())).isEmpty();
  }

  @Test
  public void createdAt_isKeptToTheMicrosecond_truncated() {
    StaffId id = freshAccount();
    StaffAccount a = account(id, StaffAccount.Origin.OIDC);
    StaffAccount fine = new StaffAccount(id, a.displayName(), a.roles(), a.team(), a.origin(), a.status(),
        a.statusReason(), T.plusNanos(999));

    instance().create(fine, Optional.empty());

    assertThat(found(id).createdAt()).isEqualTo(T);
  }

  @Test
  public void createTwice_isRefused_andKeepsTheFirst() {
    StaffId id = freshAccount();
    StaffAccount first = account(id, StaffAccount.Origin.LOCAL);
    instance().create(first, Optional.of(passwordHash()));
    StaffAccount second = StaffAccount.create(id, "Someone Else", Set.of(Role.ADMINISTRATOR), Optional.empty(),
        StaffAccount.Origin.LOCAL, T.plusSeconds(1));

    assertThat(instance().create(second, Optional.of(passwordHash()))).isFalse();

    assertThat(instance().find(id)).contains(first);
  }

  @Test
  public void createRacing_exactlyOneWins() throws Exception {
    StaffId id = freshAccount();
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      StaffDirectory directory = instance();
      StaffAccount candidate = StaffAccount.create(id, "Candidate " + i, Set.of(Role.SUPPORT_L1), Optional.empty(),
          StaffAccount.Origin.LOCAL, T);
      tasks.add(() -> directory.create(candidate, Optional.of(passwordHash())));
    }

    List<Boolean> results = race(tasks);

    assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
    String winner = "Candidate " + results.indexOf(true);
    assertThat(found(id).displayName()).isEqualTo(winner);
  }

  @Test
  public void localAccountWithoutPassword_isRefused_andNothingIsWritten() {
    StaffId id = freshAccount();

    assertThatThrownBy(() -> instance().create(account(id, StaffAccount.Origin.LOCAL), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(instance().find(id)).isEmpty();
  }

  @Test
  public void oidcAccountWithPassword_isRefused_andNothingIsWritten() {
    StaffId id = freshAccount();

    assertThatThrownBy(() -> instance().create(account(id, StaffAccount.Origin.OIDC), Optional.of(passwordHash())))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(instance().find(id)).isEmpty();
  }

  @Test
  public void creationOnOneInstance_isSeenByAnother() {
    StaffId id = freshAccount();
    StaffAccount account = account(id, StaffAccount.Origin.OIDC);

    instance().create(account, Optional.empty());

    assertThat(instance().find(id)).contains(account);
  }

  // list

  @Test
  public void list_isOrderedById_byCodePoint() {
    // Ids that a locale-aware collation would order differently: case and punctuation.
    String prefix = freshAccount().value().substring(0, 40);
    List<StaffId> ids = new ArrayList<>();
    for (String suffix : List.of("-b", "-B", "-a", ".c", "_d", ":e", "-A0", "0")) {
      StaffId id = new StaffId(prefix + suffix);
      ids.add(id);
      instance().create(account(id, StaffAccount.Origin.OIDC), Optional.empty());
    }

    List<StaffAccount> all = instance().list();

    assertThat(all).extracting(a -> a.id().value()).isSortedAccordingTo(Comparator.naturalOrder());
    assertThat(all).extracting(StaffAccount::id).filteredOn(ids::contains)
        .containsExactlyElementsOf(ids.stream().sorted(Comparator.comparing(StaffId::value)).toList());
  }

  @Test
  public void list_showsSuspendedAccountsWithTheirStatus() {
    StaffId active = created();
    StaffId suspended = created();
    instance().suspend(suspended, "contained", T.plusSeconds(1));

    List<StaffAccount> all = instance().list();

    assertThat(all).filteredOn(a -> a.id().equals(active)).singleElement()
        .extracting(StaffAccount::status).isEqualTo(StaffStatus.ACTIVE);
    assertThat(all).filteredOn(a -> a.id().equals(suspended)).singleElement()
        .extracting(StaffAccount::status).isEqualTo(StaffStatus.SUSPENDED);
  }

  // suspend

  @Test
  public void suspend_setsTheStatusAndReason_andRevokesEveryLiveSession() {
    StaffId id = created();
    String a = liveSession(id, T);
    String b = liveSession(id, T.plusSeconds(1));

    assertThat(instance().suspend(id, "bulk lookups without tickets", T.plusSeconds(60))).contains(2);

    StaffAccount after = found(id);
    assertThat(after.status()).isEqualTo(StaffStatus.SUSPENDED);
    assertThat(after.statusReason()).contains("bulk lookups without tickets");
    for (String key : List.of(a, b)) {
      assertThat(sessionUnder(key).revokedAt()).contains(T.plusSeconds(60));
      assertThat(sessionUnder(key).revokedReason()).contains("suspended");
    }
    assertThat(sessions().live(id, T.plusSeconds(61))).isEmpty();
  }

  @Test
  public void suspend_leavesAnAlreadyRevokedSessionAsItWas() {
    StaffId id = created();
    String loggedOut = liveSession(id, T);
    sessions().revoke(loggedOut, "logout", T.plusSeconds(5));
    String live = liveSession(id, T.plusSeconds(6));

    assertThat(instance().suspend(id, "contained", T.plusSeconds(60))).contains(1);

    assertThat(sessionUnder(loggedOut).revokedReason()).contains("logout");
    assertThat(sessionUnder(loggedOut).revokedAt()).contains(T.plusSeconds(5));
    assertThat(sessionUnder(live).revokedReason()).contains("suspended");
  }

  @Test
  public void suspend_leavesOtherPeoplesSessionsLive() {
    StaffId id = created();
    StaffId colleague = created();
    String theirs = liveSession(colleague, T);

    instance().suspend(id, "contained", T.plusSeconds(60));

    assertThat(sessionUnder(theirs).isRevoked()).isFalse();
    assertThat(found(colleague).status()).isEqualTo(StaffStatus.ACTIVE);
  }

  @Test
  public void suspend_withoutSessions_countsZero() {
    StaffId id = created();

    assertThat(instance().suspend(id, "contained", T)).contains(0);
  }

  @Test
  public void suspend_ofAnUnknownAccount_isEmpty_andRevokesNothing() {
    StaffId ghost = freshAccount();
    String key = liveSession(ghost, T);

    assertThat(instance().suspend(ghost, "contained", T.plusSeconds(1))).isEmpty();

    assertThat(sessionUnder(key).isRevoked()).isFalse();
  }

  @Test
  public void suspendAgain_revokesASessionOpenedMeanwhile_andKeepsTheFirstReason() {
    StaffId id = created();
    instance().suspend(id, "first reason", T.plusSeconds(1));
    String raced = liveSession(id, T.plusSeconds(2));

    assertThat(instance().suspend(id, "second reason", T.plusSeconds(3))).contains(1);

    assertThat(found(id).statusReason()).contains("first reason");
    assertThat(sessionUnder(raced).revokedReason()).contains("suspended");
    assertThat(sessionUnder(raced).revokedAt()).contains(T.plusSeconds(3));
  }

  @Test
  public void suspend_withABlankReason_isRefused_andChangesNothing() {
    StaffId id = created();
    String key = liveSession(id, T);

    assertThatThrownBy(() -> instance().suspend(id, "  ", T.plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(found(id).status()).isEqualTo(StaffStatus.ACTIVE);
    assertThat(sessionUnder(key).isRevoked()).isFalse();
  }

  @Test
  public void concurrentSuspensions_revokeEachSessionOnce() throws Exception {
    StaffId id = created();
    for (int i = 0; i < 10; i++) {
      liveSession(id, T.plusSeconds(i));
    }
    List<Callable<Optional<Integer>>> tasks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      StaffDirectory directory = instance();
      String reason = "reason " + i;
      tasks.add(() -> directory.suspend(id, reason, T.plusSeconds(60)));
    }

    List<Optional<Integer>> counts = race(tasks);

    assertThat(counts.stream().mapToInt(Optional::orElseThrow).sum()).isEqualTo(10);
    assertThat(found(id).statusReason().orElseThrow()).startsWith("reason ");
    assertThat(sessions().live(id, T.plusSeconds(61))).isEmpty();
  }

  @Test
  public void suspendRacingTouchesAndLogouts_leavesEverySessionRevoked() throws Exception {
    StaffId id = created();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      keys.add(liveSession(id, T.plusSeconds(i)));
    }
    List<Callable<Object>> tasks = new ArrayList<>();
    StaffDirectory directory = instance();
    tasks.add(() -> directory.suspend(id, "contained", T.plusSeconds(60)));
    for (String key : keys) {
      SessionStore toucher = sessions();
      tasks.add(() -> toucher.touch(key, T.plusSeconds(59)));
    }
    SessionStore logout = sessions();
    tasks.add(() -> logout.revoke(keys.getFirst(), "logout", T.plusSeconds(59)));

    List<Object> results = race(tasks);

    int bySuspension = (Integer) ((Optional<?>) results.getFirst()).orElseThrow();
    boolean byLogout = (Boolean) results.getLast();
    assertThat(bySuspension + (byLogout ? 1 : 0)).isEqualTo(6);
    for (String key : keys) {
      assertThat(sessionUnder(key).isRevoked()).isTrue();
    }
  }

  /**
   * Readers polling during a suspension never see the account suspended with a session still live,
   * nor a session revoked as "suspended" with the account still active. Probabilistic: a store
   * that commits the two halves separately fails it often, not always.
   */
  @Test
  public void suspension_isSeenWhole_byConcurrentReaders() throws Exception {
    for (int round = 0; round < 20; round++) {
      StaffId id = created();
      String key = liveSession(id, T);
      AtomicBoolean done = new AtomicBoolean();
      StaffDirectory suspender = instance();
      StaffDirectory directory = instance();
      SessionStore sessionStore = sessions();

      List<Boolean> results = race(List.<Callable<Boolean>>of(
          () -> {
            try {
              suspender.suspend(id, "contained", T.plusSeconds(60));
              return true;
            } finally {
              done.set(true); // the readers stop even if the suspension fails
            }
          },
          () -> {
            boolean whole = true;
            do {
              boolean suspended = directory.find(id).orElseThrow().status() == StaffStatus.SUSPENDED;
              boolean live = !sessionStore.find(key).orElseThrow().isRevoked();
              whole &= !(suspended && live);
            } while (!done.get());
            return whole;
          },
          () -> {
            boolean whole = true;
            do {
              boolean revoked = sessionStore.find(key).orElseThrow().isRevoked();
              boolean active = directory.find(id).orElseThrow().status() == StaffStatus.ACTIVE;
              whole &= !(revoked && active);
            } while (!done.get());
            return whole;
          }));

      assertThat(results).as("round %d", round).containsOnly(true);
    }
  }

  // restore

  @Test
  public void restore_ofASuspendedAccount_makesItActive_andLeavesSessionsRevoked() {
    StaffId id = created();
    String key = liveSession(id, T);
    instance().suspend(id, "contained", T.plusSeconds(1));

    assertThat(instance().restore(id, "false positive, reviewed", T.plusSeconds(2))).isTrue();

    StaffAccount after = found(id);
    assertThat(after.status()).isEqualTo(StaffStatus.ACTIVE);
    assertThat(after.statusReason()).contains("false positive, reviewed");
    assertThat(sessionUnder(key).revokedReason()).contains("suspended");
    assertThat(sessions().touch(key, T.plusSeconds(3))).isFalse();
  }

  @Test
  public void restore_ofAnActiveAccount_isRefused_andChangesNothing() {
    StaffId id = created();
    StaffAccount before = found(id);

    assertThat(instance().restore(id, "why not", T.plusSeconds(1))).isFalse();

    assertThat(found(id)).isEqualTo(before);
  }

  @Test
  public void restore_ofAnUnknownAccount_isRefused() {
    assertThat(instance().restore(freshAccount(), "why not", T)).isFalse();
  }

  @Test
  public void restoreTwice_secondIsRefused() {
    StaffId id = created();
    instance().suspend(id, "contained", T.plusSeconds(1));
    instance().restore(id, "reviewed", T.plusSeconds(2));

    assertThat(instance().restore(id, "again", T.plusSeconds(3))).isFalse();

    assertThat(found(id).statusReason()).contains("reviewed");
  }

  @Test
  public void restoreRacing_exactlyOneWins() throws Exception {
    StaffId id = created();
    instance().suspend(id, "contained", T.plusSeconds(1));
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      StaffDirectory directory = instance();
      tasks.add(() -> directory.restore(id, "reviewed", T.plusSeconds(2)));
    }

    assertThat(race(tasks)).filteredOn(Boolean::booleanValue).hasSize(1);
  }

  @Test
  public void suspendAfterRestore_suspendsWithTheNewReason() {
    StaffId id = created();
    instance().suspend(id, "first", T.plusSeconds(1));
    instance().restore(id, "reviewed", T.plusSeconds(2));
    String key = liveSession(id, T.plusSeconds(3));

    assertThat(instance().suspend(id, "second", T.plusSeconds(4))).contains(1);

    assertThat(found(id).statusReason()).contains("second");
    assertThat(sessionUnder(key).isRevoked()).isTrue();
  }

  @Test
  public void restore_withABlankReason_isRefused() {
    StaffId id = created();
    instance().suspend(id, "contained", T.plusSeconds(1));

    assertThatThrownBy(() -> instance().restore(id, "", T.plusSeconds(2))).isInstanceOf(IllegalArgumentException.class);

    assertThat(found(id).status()).isEqualTo(StaffStatus.SUSPENDED);
  }

  // roles

  @Test
  public void setRoles_replacesTheRoles_andKeepsEverythingElse() {
    StaffId id = created();
    StaffAccount before = found(id);

    assertThat(instance().setRoles(id, Set.of(Role.FRAUD_ANALYST, Role.APPROVER))).isTrue();

    StaffAccount after = found(id);
    assertThat(after.roles()).containsExactlyInAnyOrder(Role.FRAUD_ANALYST, Role.APPROVER);
    assertThat(after.status()).isEqualTo(before.status());
    assertThat(after.displayName()).isEqualTo(before.displayName());
    assertThat(after.team()).isEqualTo(before.team());
    assertThat(after.createdAt()).isEqualTo(before.createdAt());
  }

  @Test
  public void setRoles_ofASuspendedAccount_keepsItSuspended() {
    StaffId id = created();
    instance().suspend(id, "contained", T);

    instance().setRoles(id, Set.of(Role.AUDITOR));

    assertThat(found(id).status()).isEqualTo(StaffStatus.SUSPENDED);
    assertThat(found(id).roles()).containsExactly(Role.AUDITOR);
  }

  @Test
  public void setRoles_ofNobody_isFalse() {
    assertThat(instance().setRoles(freshAccount(), Set.of(Role.AUDITOR))).isFalse();
  }

  @Test
  public void setRoles_withNoRole_isRefused() {
    StaffId id = created();

    assertThatThrownBy(() -> instance().setRoles(id, Set.of())).isInstanceOf(IllegalArgumentException.class);
    assertThat(found(id).roles()).containsExactlyInAnyOrder(Role.SUPPORT_L1, Role.KYC_REVIEWER);
  }
}
