package dev.custos.identity;

import static dev.custos.identity.StoreContracts.T;
import static dev.custos.identity.StoreContracts.freshAccount;
import static dev.custos.access.Races.race;
import static dev.custos.identity.StoreContracts.session;
import static dev.custos.identity.StoreContracts.sessionHandle;
import static dev.custos.identity.StoreContracts.sessionKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.StaffId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SessionStore} must have. Extend it with the implementation under test
 * (the in-memory fake here, PostgreSQL in {@code store}). Tests use fresh staff ids and fresh keys,
 * so a shared database needs no cleanup; {@link #purge_deletesWhatEndedBeforeTheCutOff_only} works in
 * its own era (2001) so that it never touches the rows of other tests.
 *
 * <p>Sessions need no staff account: the session of a login still under way (OIDC) names a
 * placeholder until the provider answers ({@link Session#staff()}).
 */
public abstract class SessionStoreContract {
  /** A store instance; every call during one test MUST return an instance backed by the same state. */
  protected abstract SessionStore instance();

  /** Inserts a live session of {@code staff} opened at {@code createdAt} and returns its key. */
  private String insertLive(StaffId staff, Instant createdAt) {
    return insertLive(staff, createdAt, createdAt.plus(Duration.ofHours(12)));
  }

  private String insertLive(StaffId staff, Instant createdAt, Instant expiresAt) {
    String key = sessionKey();
    instance().insert(key, session(staff, createdAt, expiresAt));
    return key;
  }

  private Session found(String key) {
    return instance().find(key).orElseThrow(() -> new AssertionError("no session under " + key));
  }

  // insert and find

  @Test
  public void insertedSession_isFoundByItsKey() {
    String key = sessionKey();
    Session s = session(freshAccount(), T);

    instance().insert(key, s);

    assertThat(instance().find(key)).contains(s);
  }

  @Test
  public void everyField_survivesTheStore() {
    String key = sessionKey();
    Session s = new Session(sessionHandle(), freshAccount(), SessionState.PENDING,
        "oidc", T, T.plusSeconds(1), T.plusSeconds(300), Optional.empty(), "2001:db8::1", "curl/8 ünïcödé ✓",
        "{\"state\":\"pending-step\"}", Optional.of(T.plusSeconds(2)), Optional.of("logout"));

    instance().insert(key, s);

    assertThat(instance().find(key)).contains(s);
  }

  @Test
  public void unknownKey_findsNothing() {
    assertThat(instance().find(sessionKey())).isEmpty();
  }

  @Test
  public void sessionOfAPlaceholderWithoutAccount_canBeKept() {
    String key = insertLive(new StaffId("oidc-pending"), T);

    assertThat(found(key).staff()).isEqualTo(new StaffId("oidc-pending"));
  }

  @Test
  public void insertingUnderATakenKey_fails_andKeepsTheFirst() {
    String key = sessionKey();
    Session first = session(freshAccount(), T);
    instance().insert(key, first);

    assertThatThrownBy(() -> instance().insert(key, session(freshAccount(), T))).isInstanceOf(RuntimeException.class);

    assertThat(instance().find(key)).contains(first);
  }

  @Test
  public void insertingATakenHandle_fails() {
    Session first = session(freshAccount(), T);
    instance().insert(sessionKey(), first);
    Session sameHandle = new Session(first.handle(), freshAccount(), SessionState.ACTIVE, "password+totp", T, T,
        T.plusSeconds(60), Optional.of(T), "192.0.2.1", "", "", Optional.empty(), Optional.empty());
    String key = sessionKey();

    assertThatThrownBy(() -> instance().insert(key, sameHandle)).isInstanceOf(RuntimeException.class);

    assertThat(instance().find(key)).isEmpty();
  }

  @Test
  public void instants_areKeptToTheMicrosecond_truncated() {
    String key = sessionKey();
    Instant fine = T.plusNanos(999);
    Session s = new Session(sessionHandle(), freshAccount(), SessionState.ACTIVE,
        "password+totp", fine, fine, fine.plusSeconds(60), Optional.of(fine), "192.0.2.1", "", "",
        Optional.empty(), Optional.empty());

    instance().insert(key, s);

    Session back = found(key);
    assertThat(back.createdAt()).isEqualTo(T);
    assertThat(back.lastSeenAt()).isEqualTo(T);
    assertThat(back.expiresAt()).isEqualTo(T.plusSeconds(60));
    assertThat(back.mfaAt()).contains(T);
  }

  @Test
  public void insertOnOneInstance_isSeenByAnother() {
    String key = sessionKey();
    Session s = session(freshAccount(), T);
    SessionStore first = instance();
    SessionStore second = instance();

    first.insert(key, s);

    assertThat(second.find(key)).contains(s);
  }

  // rotate

  @Test
  public void rotate_revokesTheOldAsRotated_andInsertsTheNext() {
    StaffId staff = freshAccount();
    String oldKey = insertLive(staff, T);
    String newKey = sessionKey();
    Session next = session(staff, T.plusSeconds(5));

    assertThat(instance().rotate(oldKey, newKey, next, T.plusSeconds(5))).isTrue();

    Session old = found(oldKey);
    assertThat(old.revokedAt()).contains(T.plusSeconds(5));
    assertThat(old.revokedReason()).contains("rotated");
    assertThat(instance().find(newKey)).contains(next);
  }

  @Test
  public void rotate_ofARevokedSession_writesNothing() {
    StaffId staff = freshAccount();
    String oldKey = insertLive(staff, T);
    instance().revoke(oldKey, "logout", T.plusSeconds(1));
    String newKey = sessionKey();

    assertThat(instance().rotate(oldKey, newKey, session(staff, T.plusSeconds(5)), T.plusSeconds(5))).isFalse();

    assertThat(instance().find(newKey)).isEmpty();
    assertThat(found(oldKey).revokedReason()).contains("logout");
    assertThat(found(oldKey).revokedAt()).contains(T.plusSeconds(1));
  }

  @Test
  public void rotate_ofAMissingSession_writesNothing() {
    String newKey = sessionKey();

    assertThat(instance().rotate(sessionKey(), newKey, session(freshAccount(), T), T)).isFalse();

    assertThat(instance().find(newKey)).isEmpty();
  }

  @Test
  public void rotate_ontoATakenKey_fails_andLeavesTheOldSessionLive() {
    StaffId staff = freshAccount();
    String oldKey = insertLive(staff, T);
    String takenKey = insertLive(freshAccount(), T);
    Session next = session(staff, T.plusSeconds(5));

    assertThatThrownBy(() -> instance().rotate(oldKey, takenKey, next, T.plusSeconds(5)))
        .isInstanceOf(RuntimeException.class);

    assertThat(found(oldKey).isRevoked()).isFalse();
    assertThat(found(takenKey).staff()).isNotEqualTo(staff);
  }

  @Test
  public void rotateRacedTwice_exactlyOneWins() throws Exception {
    StaffId staff = freshAccount();
    String oldKey = insertLive(staff, T);
    String keyA = sessionKey();
    String keyB = sessionKey();
    SessionStore a = instance();
    SessionStore b = instance();

    List<Boolean> results = race(List.of(
        () -> a.rotate(oldKey, keyA, session(staff, T.plusSeconds(5)), T.plusSeconds(5)),
        () -> b.rotate(oldKey, keyB, session(staff, T.plusSeconds(5)), T.plusSeconds(5))));

    assertThat(results).containsExactlyInAnyOrder(true, false);
    assertThat(instance().find(keyA).isPresent()).isNotEqualTo(instance().find(keyB).isPresent());
    assertThat(found(oldKey).revokedReason()).contains("rotated");
  }

  @Test
  public void rotateRacedManyTimes_exactlyOneWins() throws Exception {
    StaffId staff = freshAccount();
    String oldKey = insertLive(staff, T);
    List<String> newKeys = new ArrayList<>();
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String newKey = sessionKey();
      newKeys.add(newKey);
      SessionStore store = instance();
      tasks.add(() -> store.rotate(oldKey, newKey, session(staff, T.plusSeconds(5)), T.plusSeconds(5)));
    }

    List<Boolean> results = race(tasks);

    assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
    assertThat(newKeys).filteredOn(k -> instance().find(k).isPresent()).hasSize(1);
  }

  // touch and setPending

  @Test
  public void touch_recordsActivity() {
    String key = insertLive(freshAccount(), T);

    assertThat(instance().touch(key, T.plusSeconds(90))).isTrue();

    assertThat(found(key).lastSeenAt()).isEqualTo(T.plusSeconds(90));
  }

  @Test
  public void touch_neverMovesLastSeenBackwards() {
    String key = insertLive(freshAccount(), T);
    instance().touch(key, T.plusSeconds(90));

    assertThat(instance().touch(key, T.plusSeconds(30))).isTrue();

    assertThat(found(key).lastSeenAt()).isEqualTo(T.plusSeconds(90));
  }

  @Test
  public void touch_ofARevokedSession_isRefused_andChangesNothing() {
    String key = insertLive(freshAccount(), T);
    instance().revoke(key, "logout", T.plusSeconds(1));

    assertThat(instance().touch(key, T.plusSeconds(90))).isFalse();

    assertThat(found(key).lastSeenAt()).isEqualTo(T);
  }

  @Test
  public void touch_ofAMissingSession_isRefused() {
    assertThat(instance().touch(sessionKey(), T)).isFalse();
  }

  @Test
  public void setPending_replacesTheNextStepState() {
    String key = insertLive(freshAccount(), T);

    assertThat(instance().setPending(key, "{\"challenge\":\"abc\"}")).isTrue();
    assertThat(found(key).pending()).isEqualTo("{\"challenge\":\"abc\"}");

    assertThat(instance().setPending(key, "")).isTrue();
    assertThat(found(key).pending()).isEmpty();
  }

  @Test
  public void setPending_ofARevokedOrMissingSession_isRefused() {
    String key = insertLive(freshAccount(), T);
    instance().revoke(key, "logout", T.plusSeconds(1));

    assertThat(instance().setPending(key, "late")).isFalse();
    assertThat(instance().setPending(sessionKey(), "nobody")).isFalse();

    assertThat(found(key).pending()).isEmpty();
  }

  // revoke by key

  @Test
  public void revoke_ofALiveSession_recordsWhenAndWhy() {
    String key = insertLive(freshAccount(), T);

    assertThat(instance().revoke(key, "logout", T.plusSeconds(7))).isTrue();

    Session s = found(key);
    assertThat(s.isRevoked()).isTrue();
    assertThat(s.revokedAt()).contains(T.plusSeconds(7));
    assertThat(s.revokedReason()).contains("logout");
  }

  @Test
  public void revokeAgain_isRefused_andKeepsTheFirstRevocation() {
    String key = insertLive(freshAccount(), T);
    instance().revoke(key, "logout", T.plusSeconds(7));

    assertThat(instance().revoke(key, "revoked", T.plusSeconds(8))).isFalse();

    assertThat(found(key).revokedAt()).contains(T.plusSeconds(7));
    assertThat(found(key).revokedReason()).contains("logout");
  }

  @Test
  public void revoke_ofAMissingSession_isRefused() {
    assertThat(instance().revoke(sessionKey(), "logout", T)).isFalse();
  }

  @Test
  public void revocationOnOneInstance_isSeenByAnother() {
    String key = insertLive(freshAccount(), T);
    SessionStore first = instance();
    SessionStore second = instance();

    first.revoke(key, "logout", T.plusSeconds(1));

    assertThat(second.find(key).orElseThrow().isRevoked()).isTrue();
    assertThat(second.touch(key, T.plusSeconds(2))).isFalse();
  }

  @Test
  public void manyInstancesRevokingOneSession_exactlyOneReportsIt() throws Exception {
    String key = insertLive(freshAccount(), T);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      SessionStore store = instance();
      tasks.add(() -> store.revoke(key, "logout", T.plusSeconds(1)));
    }

    assertThat(race(tasks)).filteredOn(Boolean::booleanValue).hasSize(1);
  }

  // revoke by staff and handle

  @Test
  public void revokeByHandle_revokesThatSessionOnly() {
    StaffId staff = freshAccount();
    String keep = insertLive(staff, T);
    String drop = insertLive(staff, T.plusSeconds(1));

    assertThat(instance().revoke(staff, found(drop).handle(), "revoked", T.plusSeconds(9))).isTrue();

    assertThat(found(drop).revokedReason()).contains("revoked");
    assertThat(found(drop).revokedAt()).contains(T.plusSeconds(9));
    assertThat(found(keep).isRevoked()).isFalse();
  }

  @Test
  public void revokeByHandle_ofAnotherPersonsSession_isRefused() {
    StaffId owner = freshAccount();
    String key = insertLive(owner, T);

    assertThat(instance().revoke(freshAccount(), found(key).handle(), "revoked", T.plusSeconds(1))).isFalse();

    assertThat(found(key).isRevoked()).isFalse();
  }

  @Test
  public void revokeByHandle_ofARevokedSession_isRefused_andKeepsTheFirstRevocation() {
    StaffId staff = freshAccount();
    String key = insertLive(staff, T);
    instance().revoke(key, "logout", T.plusSeconds(1));

    assertThat(instance().revoke(staff, found(key).handle(), "revoked", T.plusSeconds(2))).isFalse();

    assertThat(found(key).revokedReason()).contains("logout");
  }

  @Test
  public void revokeByUnknownHandle_isRefused() {
    StaffId staff = freshAccount();
    insertLive(staff, T);

    assertThat(instance().revoke(staff, sessionHandle(), "revoked", T)).isFalse();
  }

  // revokeAll

  @Test
  public void revokeAll_revokesEveryLiveSessionOfThatPerson_andCountsThem() {
    StaffId staff = freshAccount();
    String a = insertLive(staff, T);
    String b = insertLive(staff, T.plusSeconds(1));
    String earlier = insertLive(staff, T.plusSeconds(2));
    instance().revoke(earlier, "logout", T.plusSeconds(3));
    String someoneElse = insertLive(freshAccount(), T);

    assertThat(instance().revokeAll(staff, "revoked", T.plusSeconds(10))).isEqualTo(2);

    for (String key : List.of(a, b)) {
      assertThat(found(key).revokedAt()).contains(T.plusSeconds(10));
      assertThat(found(key).revokedReason()).contains("revoked");
    }
    assertThat(found(earlier).revokedReason()).contains("logout");
    assertThat(found(earlier).revokedAt()).contains(T.plusSeconds(3));
    assertThat(found(someoneElse).isRevoked()).isFalse();
    assertThat(instance().live(staff, T.plusSeconds(11))).isEmpty();
  }

  @Test
  public void revokeAll_ofSomeoneWithoutSessions_isZero() {
    assertThat(instance().revokeAll(freshAccount(), "revoked", T)).isZero();
  }

  @Test
  public void revokeAllRacingTouches_leavesEverySessionRevoked() throws Exception {
    StaffId staff = freshAccount();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      keys.add(insertLive(staff, T.plusSeconds(i)));
    }
    List<Callable<Object>> tasks = new ArrayList<>();
    SessionStore revoker = instance();
    tasks.add(() -> revoker.revokeAll(staff, "suspended", T.plusSeconds(60)));
    for (String key : keys) {
      for (int i = 0; i < 3; i++) {
        SessionStore store = instance();
        tasks.add(() -> store.touch(key, T.plusSeconds(59)));
      }
    }

    List<Object> results = race(tasks);

    assertThat(results.getFirst()).isEqualTo(8);
    for (String key : keys) {
      Session s = found(key);
      assertThat(s.revokedAt()).as("session %s", s.handle()).contains(T.plusSeconds(60));
      assertThat(s.revokedReason()).contains("suspended");
      assertThat(instance().touch(key, T.plusSeconds(61))).isFalse();
    }
  }

  @Test
  public void concurrentRevokeAll_revokesEachSessionOnce() throws Exception {
    StaffId staff = freshAccount();
    for (int i = 0; i < 10; i++) {
      insertLive(staff, T.plusSeconds(i));
    }
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      SessionStore store = instance();
      tasks.add(() -> store.revokeAll(staff, "revoked", T.plusSeconds(60)));
    }

    List<Integer> counts = race(tasks);

    assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
  }

  // live

  @Test
  public void live_listsUnrevokedUnexpiredSessions_newestFirst() {
    StaffId staff = freshAccount();
    String oldest = insertLive(staff, T);
    String newest = insertLive(staff, T.plusSeconds(20));
    String middle = insertLive(staff, T.plusSeconds(10));

    List<Session> live = instance().live(staff, T.plusSeconds(30));

    assertThat(live).containsExactly(found(newest), found(middle), found(oldest));
  }

  @Test
  public void live_excludesRevokedAndExpiredSessions_andOtherPeoples() {
    StaffId staff = freshAccount();
    Instant now = T.plus(Duration.ofHours(1));
    String kept = insertLive(staff, T);
    String revoked = insertLive(staff, T.plusSeconds(1));
    instance().revoke(revoked, "logout", T.plusSeconds(2));
    insertLive(staff, T.plusSeconds(3), now.minusNanos(1000));
    insertLive(staff, T.plusSeconds(4), now); // live until now, not at now
    insertLive(freshAccount(), T);

    assertThat(instance().live(staff, now)).containsExactly(found(kept));
  }

  @Test
  public void live_includesASessionWhoseLoginIsStillPending() {
    StaffId staff = freshAccount();
    Session pending = new Session(sessionHandle(), staff, SessionState.PENDING, "password", T, T, T.plusSeconds(300),
        Optional.empty(), "203.0.113.7", "", "next step", Optional.empty(), Optional.empty());
    instance().insert(sessionKey(), pending);

    assertThat(instance().live(staff, T.plusSeconds(1))).containsExactly(pending);
  }

  @Test
  public void live_ofSomeoneWithoutSessions_isEmpty() {
    assertThat(instance().live(freshAccount(), T)).isEmpty();
  }

  // purge

  @Test
  public void purge_deletesWhatEndedBeforeTheCutOff_only() {
    Instant era = Instant.parse("2001-03-01T00:00:00Z");
    Instant cutOff = era.plus(Duration.ofDays(30));
    Instant farAhead = cutOff.plus(Duration.ofDays(365));
    StaffId staff = freshAccount();
    String revokedLongAgo = insertLive(staff, era, farAhead);
    instance().revoke(revokedLongAgo, "logout", era.plusSeconds(60));
    String expiredLongAgo = insertLive(staff, era.plusSeconds(1), era.plus(Duration.ofDays(1)));
    String expiringAtTheCutOff = insertLive(staff, era.plusSeconds(2), cutOff);
    String revokedAtTheCutOff = insertLive(staff, era.plusSeconds(3), farAhead);
    instance().revoke(revokedAtTheCutOff, "logout", cutOff);
    String revokedAfter = insertLive(staff, era.plusSeconds(4), farAhead);
    instance().revoke(revokedAfter, "logout", cutOff.plusSeconds(1));
    String stillLive = insertLive(staff, era.plusSeconds(5), farAhead);

    assertThat(instance().purge(cutOff)).isEqualTo(2);

    assertThat(instance().find(revokedLongAgo)).isEmpty();
    assertThat(instance().find(expiredLongAgo)).isEmpty();
    assertThat(instance().find(expiringAtTheCutOff)).isPresent();
    assertThat(instance().find(revokedAtTheCutOff)).isPresent();
    assertThat(instance().find(revokedAfter)).isPresent();
    assertThat(instance().find(stillLive)).isPresent();
    assertThat(instance().purge(cutOff)).isZero();
  }
}
