package dev.custos.identity;

import static dev.custos.identity.StoreContracts.account;
import static dev.custos.identity.StoreContracts.freshAccount;
import static dev.custos.identity.StoreContracts.passwordHash;
import static dev.custos.access.Races.race;
import static dev.custos.identity.StoreContracts.totpSecret;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.StaffId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link StaffCredentialStore} must have. Accounts, and the first password of a
 * local one, come from {@link StaffDirectory#create}, so the contract takes the directory that
 * shares the store's state. Extend it with the implementations under test (the in-memory fakes
 * here, PostgreSQL in {@code store}). Tests use fresh staff ids, so a shared database needs no cleanup.
 */
public abstract class StaffCredentialStoreContract {
  /** A store instance; every call during one test MUST return an instance backed by the same state. */
  protected abstract StaffCredentialStore instance();

  /** The directory whose accounts {@link #instance()} holds credentials for, backed by the same state. */
  protected abstract StaffDirectory directory();

  /** A fresh local account with {@code password} as its first password. */
  private StaffId local(PasswordHash password) {
    StaffId id = freshAccount();
    assertThat(directory().create(account(id, StaffAccount.Origin.LOCAL), Optional.of(password))).isTrue();
    return id;
  }

  private StaffId local() {
    return local(passwordHash());
  }

  private StaffCredentials found(StaffId id) {
    return instance().find(id).orElseThrow(() -> new AssertionError("no credentials of " + id));
  }

  /** A local account with {@code secret} enrolled and confirmed. */
  private StaffId enrolled(TotpSecret secret) {
    StaffId id = local();
    instance().setPendingTotp(id, secret);
    assertThat(instance().confirmTotp(id, secret)).isTrue();
    return id;
  }

  // find

  @Test
  public void createdLocalAccount_hasItsFirstPassword_andNoTotp() {
    PasswordHash password = passwordHash();
    StaffId id = local(password);

    StaffCredentials c = found(id);

    assertThat(c.account()).isEqualTo(id);
    assertThat(c.passwordHash()).isEqualTo(password);
    assertThat(c.totpSecret()).isEmpty();
    assertThat(instance().pendingTotp(id)).isEmpty();
  }

  @Test
  public void unknownAccount_hasNoCredentials() {
    assertThat(instance().find(freshAccount())).isEmpty();
  }

  @Test
  public void oidcAccount_hasNoCredentials_andTakesNone() {
    StaffId id = freshAccount();
    directory().create(account(id, StaffAccount.Origin.OIDC), Optional.empty());

    assertThat(instance().find(id)).isEmpty();
    assertThat(instance().setPasswordHash(id, passwordHash())).isFalse();
    assertThat(instance().setPendingTotp(id, totpSecret())).isFalse();
    assertThat(instance().find(id)).isEmpty();
    assertThat(instance().pendingTotp(id)).isEmpty();
  }

  @Test
  public void createTwice_keepsTheFirstPassword() {
    PasswordHash first = passwordHash();
    StaffId id = local(first);

    assertThat(directory().create(account(id, StaffAccount.Origin.LOCAL), Optional.of(passwordHash()))).isFalse();

    assertThat(found(id).passwordHash()).isEqualTo(first);
  }

  @Test
  public void accounts_areIndependent() {
    TotpSecret aliceSecret = totpSecret();
    StaffId alice = enrolled(aliceSecret);
    StaffId bob = local();
    PasswordHash bobsPassword = found(bob).passwordHash();

    instance().setPasswordHash(alice, passwordHash());
    instance().removeTotp(bob);

    assertThat(found(alice).totpSecret()).contains(aliceSecret);
    assertThat(found(bob).passwordHash()).isEqualTo(bobsPassword);
  }

  // passwords

  @Test
  public void replacePasswordHash_fromTheCurrentHash_replacesIt() {
    PasswordHash old = passwordHash();
    StaffId id = local(old);
    PasswordHash next = passwordHash();

    assertThat(instance().replacePasswordHash(id, old, next)).isTrue();

    assertThat(found(id).passwordHash()).isEqualTo(next);
  }

  @Test
  public void replacePasswordHash_fromAStaleHash_changesNothing() {
    PasswordHash old = passwordHash();
    StaffId id = local(old);
    PasswordHash changedMeanwhile = passwordHash();
    instance().setPasswordHash(id, changedMeanwhile);

    assertThat(instance().replacePasswordHash(id, old, passwordHash())).isFalse();

    assertThat(found(id).passwordHash()).isEqualTo(changedMeanwhile);
  }

  @Test
  public void replacePasswordHash_ofAnUnknownAccount_isRefused() {
    assertThat(instance().replacePasswordHash(freshAccount(), passwordHash(), passwordHash())).isFalse();
  }

  @Test
  public void replacePasswordHashRacing_exactlyOneWins() throws Exception {
    PasswordHash old = passwordHash();
    StaffId id = local(old);
    List<PasswordHash> candidates = new ArrayList<>();
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      PasswordHash next = passwordHash();
      candidates.add(next);
      StaffCredentialStore store = instance();
      tasks.add(() -> store.replacePasswordHash(id, old, next));
    }

    List<Boolean> results = race(tasks);

    assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
    assertThat(found(id).passwordHash()).isEqualTo(candidates.get(results.indexOf(true)));
  }

  @Test
  public void setPasswordHash_replacesUnconditionally_andKeepsTheTotp() {
    TotpSecret secret = totpSecret();
    StaffId id = enrolled(secret);
    PasswordHash reset = passwordHash();

    assertThat(instance().setPasswordHash(id, reset)).isTrue();

    assertThat(found(id).passwordHash()).isEqualTo(reset);
    assertThat(found(id).totpSecret()).contains(secret);
  }

  @Test
  public void setPasswordHash_ofAnUnknownAccount_isRefused_andCreatesNothing() {
    StaffId ghost = freshAccount();

    assertThat(instance().setPasswordHash(ghost, passwordHash())).isFalse();

    assertThat(instance().find(ghost)).isEmpty();
  }

  @Test
  public void passwordChangeOnOneInstance_isSeenByAnother() {
    StaffId id = local();
    PasswordHash next = passwordHash();
    StaffCredentialStore first = instance();
    StaffCredentialStore second = instance();

    first.setPasswordHash(id, next);

    assertThat(second.find(id).orElseThrow().passwordHash()).isEqualTo(next);
  }

  // TOTP enrolment

  @Test
  public void pendingSecret_isKeptButNotConfirmed() {
    StaffId id = local();
    TotpSecret secret = totpSecret();

    assertThat(instance().setPendingTotp(id, secret)).isTrue();

    assertThat(instance().pendingTotp(id)).contains(secret);
    assertThat(found(id).totpSecret()).isEmpty();
  }

  @Test
  public void setPendingTotp_ofAnUnknownAccount_isRefused() {
    StaffId ghost = freshAccount();

    assertThat(instance().setPendingTotp(ghost, totpSecret())).isFalse();

    assertThat(instance().pendingTotp(ghost)).isEmpty();
  }

  @Test
  public void newPendingSecret_replacesTheEarlierOne() {
    StaffId id = local();
    TotpSecret first = totpSecret();
    TotpSecret second = totpSecret();
    instance().setPendingTotp(id, first);

    instance().setPendingTotp(id, second);

    assertThat(instance().pendingTotp(id)).contains(second);
  }

  @Test
  public void pendingSecret_leavesTheConfirmedOneInForce() {
    TotpSecret current = totpSecret();
    StaffId id = enrolled(current);
    TotpSecret next = totpSecret();

    instance().setPendingTotp(id, next);

    assertThat(found(id).totpSecret()).contains(current);
    assertThat(instance().pendingTotp(id)).contains(next);
  }

  @Test
  public void confirmTotp_makesThePendingSecretTheSecret_andClearsThePendingOne() {
    StaffId id = local();
    TotpSecret secret = totpSecret();
    instance().setPendingTotp(id, secret);

    assertThat(instance().confirmTotp(id, secret)).isTrue();

    assertThat(found(id).totpSecret()).contains(secret);
    assertThat(instance().pendingTotp(id)).isEmpty();
  }

  @Test
  public void confirmTotp_replacesAnEarlierConfirmedSecret() {
    StaffId id = enrolled(totpSecret());
    TotpSecret next = totpSecret();
    instance().setPendingTotp(id, next);

    assertThat(instance().confirmTotp(id, next)).isTrue();

    assertThat(found(id).totpSecret()).contains(next);
  }

  @Test
  public void confirmTotp_ofASupersededSecret_isRefused_andTheNewerEnrolmentWins() {
    StaffId id = local();
    TotpSecret first = totpSecret();
    TotpSecret second = totpSecret();
    instance().setPendingTotp(id, first);
    instance().setPendingTotp(id, second);

    assertThat(instance().confirmTotp(id, first)).isFalse();

    assertThat(found(id).totpSecret()).isEmpty();
    assertThat(instance().pendingTotp(id)).contains(second);
  }

  @Test
  public void confirmTotp_withoutAnEnrolment_isRefused() {
    StaffId id = local();

    assertThat(instance().confirmTotp(id, totpSecret())).isFalse();
    assertThat(instance().confirmTotp(freshAccount(), totpSecret())).isFalse();

    assertThat(found(id).totpSecret()).isEmpty();
  }

  @Test
  public void confirmTotpTwice_succeedsOnce() {
    StaffId id = local();
    TotpSecret secret = totpSecret();
    instance().setPendingTotp(id, secret);
    instance().confirmTotp(id, secret);

    assertThat(instance().confirmTotp(id, secret)).isFalse();

    assertThat(found(id).totpSecret()).contains(secret);
  }

  @Test
  public void confirmTotpRacing_exactlyOneWins() throws Exception {
    StaffId id = local();
    TotpSecret secret = totpSecret();
    instance().setPendingTotp(id, secret);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      StaffCredentialStore store = instance();
      tasks.add(() -> store.confirmTotp(id, secret));
    }

    assertThat(race(tasks)).filteredOn(Boolean::booleanValue).hasSize(1);

    assertThat(found(id).totpSecret()).contains(secret);
    assertThat(instance().pendingTotp(id)).isEmpty();
  }

  @Test
  public void confirmTotpRacingANewEnrolment_endsInOneOfTheTwoOrders() throws Exception {
    for (int round = 0; round < 10; round++) {
      StaffId id = local();
      TotpSecret first = totpSecret();
      TotpSecret second = totpSecret();
      instance().setPendingTotp(id, first);
      StaffCredentialStore confirmer = instance();
      StaffCredentialStore enroller = instance();

      List<Boolean> results = race(List.<Callable<Boolean>>of(
          () -> confirmer.confirmTotp(id, first),
          () -> enroller.setPendingTotp(id, second)));

      assertThat(results.get(1)).isTrue();
      // Whichever came first, the second enrolment is pending afterwards and is never lost.
      assertThat(instance().pendingTotp(id)).as("round %d", round).contains(second);
      if (results.getFirst()) {
        assertThat(found(id).totpSecret()).contains(first);
      } else {
        assertThat(found(id).totpSecret()).isEmpty();
      }
    }
  }

  @Test
  public void removeTotp_removesTheConfirmedAndThePendingSecret() {
    StaffId id = enrolled(totpSecret());
    instance().setPendingTotp(id, totpSecret());

    assertThat(instance().removeTotp(id)).isTrue();

    assertThat(found(id).totpSecret()).isEmpty();
    assertThat(instance().pendingTotp(id)).isEmpty();
  }

  @Test
  public void removeTotp_withOnlyAPendingSecret_reportsNothingRemoved_butClearsIt() {
    StaffId id = local();
    instance().setPendingTotp(id, totpSecret());

    assertThat(instance().removeTotp(id)).isFalse();

    assertThat(instance().pendingTotp(id)).isEmpty();
  }

  @Test
  public void removeTotpTwice_reportsTheRemovalOnce() {
    StaffId id = enrolled(totpSecret());
    instance().removeTotp(id);

    assertThat(instance().removeTotp(id)).isFalse();
    assertThat(instance().removeTotp(freshAccount())).isFalse();
  }

  @Test
  public void removeTotp_keepsThePassword() {
    PasswordHash password = passwordHash();
    StaffId id = local(password);
    instance().setPendingTotp(id, totpSecret());
    instance().confirmTotp(id, instance().pendingTotp(id).orElseThrow());

    instance().removeTotp(id);

    assertThat(found(id).passwordHash()).isEqualTo(password);
  }

  @Test
  public void enrolmentOnOneInstance_isSeenByAnother() {
    StaffId id = local();
    TotpSecret secret = totpSecret();
    StaffCredentialStore first = instance();
    StaffCredentialStore second = instance();

    first.setPendingTotp(id, secret);
    assertThat(second.pendingTotp(id)).contains(secret);
    assertThat(second.confirmTotp(id, secret)).isTrue();

    assertThat(first.find(id).orElseThrow().totpSecret()).contains(secret);
  }
}
