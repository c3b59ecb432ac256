package dev.custos.identity.webauthn;

import static dev.custos.identity.StoreContracts.freshAccount;
import static dev.custos.access.Races.race;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link WebAuthnCredentialStore} must have. Extend it with the implementation
 * under test (the in-memory fake here, PostgreSQL in {@code store}). Tests use fresh staff ids and
 * random credential ids, so a shared database needs no cleanup.
 */
public abstract class WebAuthnCredentialStoreContract {
  /** Instants to the microsecond, which is what PostgreSQL keeps. */
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00.123456Z");

  /**
   * A store instance. Every call during one test MUST return an instance backed by the same state,
   * the way two Custos instances share one database; returning the same object is fine for a fake.
   */
  protected abstract WebAuthnCredentialStore instance();

  static CredentialId freshId() {
    byte[] id = new byte[32];
    ThreadLocalRandom.current().nextBytes(id);
    return CredentialId.of(id);
  }

  static WebAuthnCredential credential(StaffId staff, CredentialId id, long count, Instant createdAt) {
    byte[] key = new byte[77];
    ThreadLocalRandom.current().nextBytes(key);
    return new WebAuthnCredential(staff, id, key, count, WebAuthn.userHandle(staff), "YubiKey 5C NFC", createdAt,
        Optional.empty(), Set.of("nfc", "usb"), false, false);
  }

  private static WebAuthnCredential credential(StaffId staff) {
    return credential(staff, freshId(), 5, T0);
  }

  @Test
  public void added_isFoundById() {
    WebAuthnCredential c = credential(freshAccount());

    assertThat(instance().add(c)).isTrue();

    assertThat(instance().find(c.credentialId())).contains(c);
  }

  @Test
  public void everyField_survivesTheRoundTrip() {
    StaffId staff = freshAccount();
    byte[] longId = new byte[CredentialId.MAX_BYTES];
    ThreadLocalRandom.current().nextBytes(longId);
    byte[] key = new byte[WebAuthnCredential.MAX_PUBLIC_KEY_BYTES];
    ThreadLocalRandom.current().nextBytes(key);
    WebAuthnCredential c = new WebAuthnCredential(staff, CredentialId.of(longId), key,
        WebAuthnCredential.MAX_SIGNATURE_COUNT, new byte[] {1, 2, 3}, "Ada’s laptop — Touch ID ✓",
        T0, Optional.of(T0.plusSeconds(60)), Set.of("internal", "hybrid", "some-future-transport"), true, true);

    instance().add(c);

    assertThat(instance().find(c.credentialId())).contains(c);
  }

  @Test
  public void unknownId_isNotFound() {
    assertThat(instance().find(freshId())).isEmpty();
  }

  @Test
  public void sameIdTwice_isAddedOnce_evenForAnotherStaffMember() {
    StaffId alice = freshAccount();
    StaffId bob = freshAccount();
    WebAuthnCredential first = credential(alice);
    instance().add(first);

    assertThat(instance().add(credential(alice, first.credentialId(), 9, T0))).isFalse();
    assertThat(instance().add(credential(bob, first.credentialId(), 9, T0))).isFalse();

    assertThat(instance().find(first.credentialId())).contains(first);
    assertThat(instance().forStaff(bob)).isEmpty();
  }

  @Test
  public void forStaff_listsOnlyTheirCredentials_oldestFirst() {
    StaffId alice = freshAccount();
    StaffId bob = freshAccount();
    WebAuthnCredential newer = credential(alice, freshId(), 0, T0.plusSeconds(10));
    WebAuthnCredential older = credential(alice, freshId(), 0, T0);
    WebAuthnCredential bobs = credential(bob, freshId(), 0, T0.minusSeconds(10));
    instance().add(newer);
    instance().add(older);
    instance().add(bobs);

    assertThat(instance().forStaff(alice)).containsExactly(older, newer);
    assertThat(instance().forStaff(bob)).containsExactly(bobs);
  }

  @Test
  public void forStaff_withoutCredentials_isEmpty() {
    assertThat(instance().forStaff(freshAccount())).isEmpty();
  }

  @Test
  public void forUserHandle_findsTheCredentialsCreatedForIt() {
    StaffId alice = freshAccount();
    WebAuthnCredential one = credential(alice, freshId(), 0, T0);
    WebAuthnCredential two = credential(alice, freshId(), 0, T0.plusSeconds(1));
    instance().add(one);
    instance().add(two);
    instance().add(credential(freshAccount()));

    assertThat(instance().forUserHandle(WebAuthn.userHandle(alice))).containsExactly(one, two);
    assertThat(instance().forUserHandle(WebAuthn.userHandle(freshAccount()))).isEmpty();
  }

  @Test
  public void higherCount_isRecordedWithTheTimeOfUse() {
    WebAuthnCredential c = credential(freshAccount());
    instance().add(c);
    Instant used = T0.plusSeconds(3600);

    assertThat(instance().updateSignatureCount(c.credentialId(), 6, used)).isTrue();

    assertThat(instance().find(c.credentialId())).contains(c.withUse(6, used));
  }

  @Test
  public void sameOrLowerCount_isRefused_andTheStoredCountStays() {
    WebAuthnCredential c = credential(freshAccount());
    instance().add(c);

    assertThat(instance().updateSignatureCount(c.credentialId(), 5, T0.plusSeconds(1))).isFalse();
    assertThat(instance().updateSignatureCount(c.credentialId(), 4, T0.plusSeconds(2))).isFalse();
    assertThat(instance().updateSignatureCount(c.credentialId(), 0, T0.plusSeconds(3))).isFalse();

    assertThat(instance().find(c.credentialId())).contains(c);
  }

  @Test
  public void zeroOnZero_authenticatorWithoutCounter_recordsTheUseOnly() {
    WebAuthnCredential c = credential(freshAccount(), freshId(), 0, T0);
    instance().add(c);
    Instant used = T0.plusSeconds(60);

    assertThat(instance().updateSignatureCount(c.credentialId(), 0, used)).isTrue();
    assertThat(instance().updateSignatureCount(c.credentialId(), 0, used.plusSeconds(60))).isTrue();

    assertThat(instance().find(c.credentialId())).contains(c.withUse(0, used.plusSeconds(60)));
  }

  @Test
  public void counterStartingAfterZero_isRecorded_andZeroIsRefusedAfterwards() {
    WebAuthnCredential c = credential(freshAccount(), freshId(), 0, T0);
    instance().add(c);

    assertThat(instance().updateSignatureCount(c.credentialId(), 1, T0.plusSeconds(1))).isTrue();
    assertThat(instance().updateSignatureCount(c.credentialId(), 0, T0.plusSeconds(2))).isFalse();

    assertThat(instance().find(c.credentialId()).orElseThrow().signatureCount()).isEqualTo(1);
  }

  @Test
  public void updatingAnUnknownCredential_isFalse() {
    assertThat(instance().updateSignatureCount(freshId(), 7, T0)).isFalse();
  }

  @Test
  public void racingCounts_leaveTheHighestStored_andNeverLowerIt() throws Exception {
    WebAuthnCredential c = credential(freshAccount(), freshId(), 0, T0);
    instance().add(c);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 1; i <= 32; i++) {
      long count = i;
      WebAuthnCredentialStore store = instance();
      tasks.add(() -> store.updateSignatureCount(c.credentialId(), count, T0.plusSeconds(count)));
    }

    List<Boolean> results = race(tasks);

    assertThat(results).contains(true);
    WebAuthnCredential after = instance().find(c.credentialId()).orElseThrow();
    assertThat(after.signatureCount()).isEqualTo(32);
    assertThat(after.lastUsedAt()).contains(T0.plusSeconds(32));
    assertThat(results.get(31)).as("the highest count always wins").isTrue();
  }

  @Test
  public void racingTheSameCount_recordsItOnce() throws Exception {
    WebAuthnCredential c = credential(freshAccount());
    instance().add(c);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      WebAuthnCredentialStore store = instance();
      tasks.add(() -> store.updateSignatureCount(c.credentialId(), 6, T0.plusSeconds(1)));
    }

    assertThat(race(tasks)).filteredOn(Boolean::booleanValue).hasSize(1);
  }

  @Test
  public void racingAddsOfOneId_storeItOnce() throws Exception {
    CredentialId id = freshId();
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      WebAuthnCredentialStore store = instance();
      WebAuthnCredential c = credential(freshAccount(), id, 0, T0);
      tasks.add(() -> store.add(c));
    }

    assertThat(race(tasks)).filteredOn(Boolean::booleanValue).hasSize(1);
  }

  @Test
  public void remove_byItsHolder_removesIt() {
    StaffId alice = freshAccount();
    WebAuthnCredential kept = credential(alice);
    WebAuthnCredential removed = credential(alice);
    instance().add(kept);
    instance().add(removed);

    assertThat(instance().remove(alice, removed.credentialId())).isTrue();

    assertThat(instance().find(removed.credentialId())).isEmpty();
    assertThat(instance().forStaff(alice)).containsExactly(kept);
    assertThat(instance().remove(alice, removed.credentialId())).isFalse();
  }

  @Test
  public void remove_bySomeoneElse_removesNothing() {
    StaffId alice = freshAccount();
    WebAuthnCredential c = credential(alice);
    instance().add(c);

    assertThat(instance().remove(freshAccount(), c.credentialId())).isFalse();

    assertThat(instance().find(c.credentialId())).contains(c);
  }

  @Test
  public void removeAll_removesEveryCredentialOfThatStaffMemberOnly() {
    StaffId alice = freshAccount();
    StaffId bob = freshAccount();
    instance().add(credential(alice));
    instance().add(credential(alice));
    instance().add(credential(alice));
    WebAuthnCredential bobs = credential(bob);
    instance().add(bobs);

    assertThat(instance().removeAll(alice)).isEqualTo(3);

    assertThat(instance().forStaff(alice)).isEmpty();
    assertThat(instance().forStaff(bob)).containsExactly(bobs);
    assertThat(instance().removeAll(alice)).isZero();
  }

  @Test
  public void removedId_canBeRegisteredAgain() {
    StaffId alice = freshAccount();
    WebAuthnCredential c = credential(alice);
    instance().add(c);
    instance().remove(alice, c.credentialId());

    assertThat(instance().add(c)).isTrue();
  }

  @Test
  public void changesOnOneInstance_areSeenByAnother() {
    WebAuthnCredentialStore first = instance();
    WebAuthnCredentialStore second = instance();
    StaffId staff = freshAccount();
    WebAuthnCredential c = credential(staff);

    first.add(c);
    assertThat(second.find(c.credentialId())).contains(c);
    assertThat(second.add(c)).isFalse();

    assertThat(first.updateSignatureCount(c.credentialId(), 9, T0.plusSeconds(5))).isTrue();
    assertThat(second.updateSignatureCount(c.credentialId(), 9, T0.plusSeconds(6))).isFalse();
    assertThat(second.find(c.credentialId()).orElseThrow().signatureCount()).isEqualTo(9);

    assertThat(second.remove(staff, c.credentialId())).isTrue();
    assertThat(first.find(c.credentialId())).isEmpty();
  }
}
