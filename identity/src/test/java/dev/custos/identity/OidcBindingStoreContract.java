package dev.custos.identity;

import static dev.custos.identity.StoreContracts.T;
import static dev.custos.identity.StoreContracts.freshAccount;
import static dev.custos.access.Races.race;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.StaffId;
import dev.custos.identity.OidcBindingStore.Binding;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link OidcBindingStore} must have. Extend it with the implementation under
 * test (the in-memory fake here, PostgreSQL in {@code store}). Tests use fresh subjects and staff
 * ids, so a shared database needs no cleanup.
 */
public abstract class OidcBindingStoreContract {
  private static final String ISSUER = "https://login.exchange.example/oauth2/default";

  /** A store instance; every call during one test MUST return an instance backed by the same state. */
  protected abstract OidcBindingStore instance();

  private static String freshSubject() {
    return "00u" + UUID.randomUUID().toString().replace("-", "");
  }

  @Test
  public void firstBinding_isCreated_andFound() {
    String subject = freshSubject();
    StaffId staff = freshAccount();

    assertThat(instance().bind(ISSUER, subject, staff, T)).isEqualTo(Binding.CREATED);

    assertThat(instance().find(ISSUER, subject)).contains(staff);
  }

  @Test
  public void sameBindingAgain_isConfirmed() {
    String subject = freshSubject();
    StaffId staff = freshAccount();
    instance().bind(ISSUER, subject, staff, T);

    assertThat(instance().bind(ISSUER, subject, staff, T.plusSeconds(60))).isEqualTo(Binding.CONFIRMED);
  }

  @Test
  public void boundSubjectUnderAnotherStaffId_isRefused_andTheBindingStays() {
    String subject = freshSubject();
    StaffId staff = freshAccount();
    instance().bind(ISSUER, subject, staff, T);

    assertThat(instance().bind(ISSUER, subject, freshAccount(), T.plusSeconds(60)))
        .isEqualTo(Binding.SUBJECT_BOUND_TO_OTHER_STAFF);
    assertThat(instance().find(ISSUER, subject)).contains(staff);
  }

  @Test
  public void boundStaffIdClaimedByAnotherSubject_isRefused_andNothingIsBound() {
    StaffId staff = freshAccount();
    instance().bind(ISSUER, freshSubject(), staff, T);
    String impostor = freshSubject();

    assertThat(instance().bind(ISSUER, impostor, staff, T.plusSeconds(60))).isEqualTo(Binding.STAFF_BOUND_TO_OTHER_SUBJECT);
    assertThat(instance().find(ISSUER, impostor)).isEmpty();
  }

  @Test
  public void sameSubjectAtAnotherIssuer_isAnotherIdentity() {
    String subject = freshSubject();
    StaffId staff = freshAccount();
    instance().bind(ISSUER, subject, staff, T);

    assertThat(instance().find("https://other-idp.example", subject)).isEmpty();
    assertThat(instance().bind("https://other-idp.example", subject, staff, T)).isEqualTo(Binding.STAFF_BOUND_TO_OTHER_SUBJECT);
  }

  @Test
  public void unboundPair_isNotFound() {
    assertThat(instance().find(ISSUER, freshSubject())).isEmpty();
  }

  @Test
  public void overlongOrEmptyValues_areRefused() {
    StaffId staff = freshAccount();

    assertThatThrownBy(() -> instance().bind(ISSUER, "", staff, T)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("subject");
    assertThatThrownBy(() -> instance().bind(ISSUER, "s".repeat(256), staff, T)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("subject");
    assertThatThrownBy(() -> instance().bind("", freshSubject(), staff, T)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("issuer");
  }

  @Test
  public void concurrentFirstLoginsOfOneSubjectUnderDifferentNames_bindExactlyOne() throws Exception {
    String subject = freshSubject();
    List<Callable<Binding>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      OidcBindingStore store = instance();
      StaffId staff = freshAccount();
      tasks.add(() -> store.bind(ISSUER, subject, staff, T));
    }

    List<Binding> results = race(tasks);

    assertThat(results).filteredOn(b -> b == Binding.CREATED).hasSize(1);
    assertThat(results).filteredOn(b -> b != Binding.CREATED).containsOnly(Binding.SUBJECT_BOUND_TO_OTHER_STAFF);
  }

  @Test
  public void concurrentFirstLoginsOfOneNameFromDifferentSubjects_bindExactlyOne() throws Exception {
    StaffId staff = freshAccount();
    List<Callable<Binding>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      OidcBindingStore store = instance();
      String subject = freshSubject();
      tasks.add(() -> store.bind(ISSUER, subject, staff, T));
    }

    List<Binding> results = race(tasks);

    assertThat(results).filteredOn(b -> b == Binding.CREATED).hasSize(1);
    assertThat(results).filteredOn(b -> b != Binding.CREATED).containsOnly(Binding.STAFF_BOUND_TO_OTHER_SUBJECT);
  }
}
