package dev.custos.access;

import static dev.custos.access.AccessFixtures.AGENT;
import static dev.custos.access.AccessFixtures.CUSTOMER;
import static dev.custos.access.AccessFixtures.LEAD;
import static dev.custos.access.AccessFixtures.SECOND_LEAD;
import static dev.custos.access.AccessFixtures.T;
import static dev.custos.access.AccessFixtures.staff;
import static dev.custos.access.AccessFixtures.suspended;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.vault.FieldCatalogue;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CasesTest {
  private final InMemoryCaseStore store = new InMemoryCaseStore();
  private final Cases cases = new Cases(store);
  private final CaseId id = new CaseId("case-55");

  private CaseOutcome open() {
    return cases.open(staff(LEAD, Role.SUPPORT_L2), id, "phishing wave", Set.of(CUSTOMER), Set.of(AGENT),
        Duration.ofDays(7), T);
  }

  @Test
  void openedCase_addsTheLeadToItsMembers_andIsNotYetAPurpose() {
    Case c = ((CaseOutcome.Done) open()).kase();
    assertThat(c.members()).containsExactlyInAnyOrder(LEAD, AGENT);
    assertThat(c.approvedByAnotherLead()).isFalse();
  }

  @Test
  void approvalByAnotherLead_makesItAPurposeForItsMembers() {
    open();
    assertThat(cases.approve(staff(SECOND_LEAD, Role.SECURITY_ANALYST), id, T.plusSeconds(10)))
        .isInstanceOf(CaseOutcome.Done.class);
    Case c = store.find(id).orElseThrow();
    AccessPolicy policy = new AccessPolicy(FieldCatalogue.exchangeDefault(), PolicySettings.defaults());
    assertThat(policy.decide(AccessRequest.view(staff(AGENT, Role.FRAUD_ANALYST), CUSTOMER, Purpose.ofCase(id),
        PurposeFacts.of(c), T.plusSeconds(20))).permitted()).isTrue();
  }

  @Test
  void approvalByItsOwnLead_isRefused() {
    open();
    assertThat(cases.approve(staff(LEAD, Role.SUPPORT_L2), id, T)).isInstanceOf(CaseOutcome.Refused.class);
  }

  @Test
  void approvalByANonLead_orASuspendedLead_isRefused() {
    open();
    assertThat(cases.approve(staff(SECOND_LEAD, Role.APPROVER, Role.FRAUD_ANALYST), id, T))
        .isInstanceOf(CaseOutcome.Refused.class);
    assertThat(cases.approve(suspended(SECOND_LEAD, Role.SUPPORT_L2), id, T)).isInstanceOf(CaseOutcome.Refused.class);
    assertThat(store.find(id).orElseThrow().approval()).isEmpty();
  }

  @Test
  void secondApproval_orApprovalAfterExpiry_isRefused() {
    open();
    cases.approve(staff(SECOND_LEAD, Role.SUPPORT_L2), id, T);
    assertThat(cases.approve(staff(new StaffId("lead-9"), Role.SUPPORT_L2), id, T))
        .isInstanceOf(CaseOutcome.Refused.class);
    CaseId late = new CaseId("case-56");
    cases.open(staff(LEAD, Role.SUPPORT_L2), late, "late", Set.of(CUSTOMER), Set.of(), Duration.ofHours(1), T);
    assertThat(cases.approve(staff(SECOND_LEAD, Role.SUPPORT_L2), late, T.plus(Duration.ofHours(2))))
        .isInstanceOf(CaseOutcome.Refused.class);
  }

  @Test
  void caseLongerThanThirtyDays_orOpenedByAnAuditor_isRefused() {
    assertThat(cases.open(staff(LEAD, Role.SUPPORT_L2), id, "x-files", Set.of(CUSTOMER), Set.of(), Duration.ofDays(31), T))
        .isInstanceOf(CaseOutcome.Refused.class);
    assertThat(cases.open(staff(LEAD, Role.AUDITOR), id, "x-files", Set.of(CUSTOMER), Set.of(), Duration.ofDays(1), T))
        .isInstanceOf(CaseOutcome.Refused.class);
    assertThat(store.find(id)).isEmpty();
  }

  @Test
  void close_byAMember_endsIt() {
    open();
    assertThat(cases.close(staff(AGENT, Role.FRAUD_ANALYST), id, T.plusSeconds(5))).isInstanceOf(CaseOutcome.Done.class);
    assertThat(store.find(id).orElseThrow().runningAt(T.plusSeconds(6))).isFalse();
    assertThat(cases.close(staff(new StaffId("outsider"), Role.SUPPORT_L1), id, T)).isInstanceOf(CaseOutcome.Refused.class);
  }

  @Test
  void caseRecord_refusesBadShapes() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Case(id, LEAD, "t", Set.of(), Set.of(LEAD), T,
        T.plusSeconds(1), Optional.empty(), Optional.empty())).hasMessageContaining("customers");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Case(id, LEAD, "t", Set.of(CUSTOMER), Set.of(AGENT), T,
        T.plusSeconds(1), Optional.empty(), Optional.empty())).hasMessageContaining("lead");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Case(id, LEAD, "t", Set.of(CUSTOMER), Set.of(LEAD), T,
        T, Optional.empty(), Optional.empty())).hasMessageContaining("expiresAt");
  }
}
