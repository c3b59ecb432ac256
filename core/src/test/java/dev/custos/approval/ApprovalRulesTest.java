package dev.custos.approval;

import static dev.custos.approval.ApprovalFixtures.T;
import static dev.custos.approval.ApprovalFixtures.agent;
import static dev.custos.approval.ApprovalFixtures.approver;
import static dev.custos.approval.ApprovalFixtures.pending;
import static dev.custos.approval.ApprovalFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.Role;
import dev.custos.access.StaffSubject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApprovalRulesTest {
  private static ApprovalRequest next(ApprovalRules.Step s) {
    assertThat(s).isInstanceOf(ApprovalRules.Step.Changed.class);
    return ((ApprovalRules.Step.Changed) s).next();
  }

  private static ApprovalRules.Step.Refused refused(ApprovalRules.Step s) {
    assertThat(s).isInstanceOf(ApprovalRules.Step.Refused.class);
    return (ApprovalRules.Step.Refused) s;
  }

  @Test
  void selfApproval_isRefused() {
    ApprovalRequest r = pending(2, Duration.ZERO);
    Participant self = person("agent-17", "desk-eu", Role.APPROVER);
    assertThat(refused(ApprovalRules.approve(r, self, r.bindingHash(), T)).why()).contains("own request");
  }

  @Test
  void approvalThroughASecondAccountOfTheSamePerson_isRefused() {
    ApprovalRequest r = pending(2, Duration.ZERO);
    Participant second = new Participant(new StaffSubject(new dev.custos.access.StaffId("agent-17-admin"),
        Set.of(Role.APPROVER), true, Optional.of("risk")), "agent-17");
    assertThat(refused(ApprovalRules.approve(r, second, r.bindingHash(), T)).why()).contains("another account");
  }

  @Test
  void approvalByTheTicketOwner_isRefused() {
    ApprovalRequest base = pending(2, Duration.ZERO);
    ApprovalRequest r = new ApprovalRequest(base.id(), base.spec(), base.salt(), base.requester(), base.requesterPerson(),
        base.requesterTeam(), Set.of("owner-9"), base.policy(), base.state(), base.createdAt(), base.expiresAt(),
        List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 1);
    assertThat(refused(ApprovalRules.approve(r, approver("owner-9"), r.bindingHash(), T)).why()).contains("ticket");
  }

  @Test
  void approvalWithoutAnApproverRole_orFromTheRequestersTeam_orSuspended_isRefused() {
    ApprovalRequest r = pending(2, Duration.ZERO);
    assertThat(refused(ApprovalRules.approve(r, person("agent-42", "risk", Role.SUPPORT_L2), r.bindingHash(), T)).field())
        .isEqualTo("approver");
    assertThat(refused(ApprovalRules.approve(r, person("appr-1", "desk-eu", Role.APPROVER), r.bindingHash(), T)).why())
        .contains("team");
    Participant suspended = Participant.of(new StaffSubject(new dev.custos.access.StaffId("appr-2"), Set.of(Role.APPROVER),
        false, Optional.of("risk")));
    assertThat(refused(ApprovalRules.approve(r, suspended, r.bindingHash(), T)).why()).contains("suspended");
  }

  @Test
  void mDistinctPeople_areRequired_andTheSamePersonCountsOnce() {
    ApprovalRequest r = pending(2, Duration.ofHours(1));
    ApprovalRequest once = next(ApprovalRules.approve(r, approver("appr-1"), r.bindingHash(), T));
    assertThat(once.state()).isEqualTo(ApprovalState.PENDING);
    Participant sameHuman = new Participant(new StaffSubject(new dev.custos.access.StaffId("appr-1-alt"),
        Set.of(Role.APPROVER), true, Optional.of("risk")), "appr-1");
    assertThat(refused(ApprovalRules.approve(once, sameHuman, r.bindingHash(), T)).why()).contains("already approved");

    ApprovalRequest twice = next(ApprovalRules.approve(once, approver("appr-2"), r.bindingHash(), T.plusSeconds(5)));
    assertThat(twice.state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(twice.unlocksAt()).contains(T.plusSeconds(5).plus(Duration.ofHours(1)));
  }

  @Test
  void anEdit_voidsTheApprovals_andAnApprovalOfTheOldContentIsRefused() {
    ApprovalRequest r = pending(2, Duration.ZERO);
    String oldHash = r.bindingHash();
    ApprovalRequest once = next(ApprovalRules.approve(r, approver("appr-1"), oldHash, T));
    ActionSpec redirected = ActionSpec.of(SensitiveAction.TWO_FACTOR_RESET, Optional.of(ApprovalFixtures.CUSTOMER),
        Map.of("ticket", "zendesk-777", "sendTo", "attacker@example.org"));
    ApprovalRequest edited = next(ApprovalRules.edit(once, agent(), redirected, "ffeeddccbbaa99887766554433221100", T));

    assertThat(edited.approvals()).isEmpty();
    assertThat(edited.bindingHash()).isNotEqualTo(oldHash);
    assertThat(refused(ApprovalRules.approve(edited, approver("appr-2"), oldHash, T)).field()).isEqualTo("bindingHash");
  }

  @Test
  void anEditByAnyoneButTheRequester_isRefused() {
    ApprovalRequest r = pending(2, Duration.ZERO);
    assertThat(refused(ApprovalRules.edit(r, approver("appr-1"), r.spec(), ApprovalFixtures.SALT, T)).field())
        .isEqualTo("requester");
  }

  @Test
  void denial_endsTheRequest_andNoApprovalFollows() {
    ApprovalRequest r = pending(2, Duration.ZERO);
    ApprovalRequest denied = next(ApprovalRules.deny(r, approver("appr-1"), "caller failed the security questions", T));
    assertThat(denied.state()).isEqualTo(ApprovalState.DENIED);
    assertThat(denied.closedBy()).contains("staff:appr-1");
    assertThat(refused(ApprovalRules.approve(denied, approver("appr-2"), r.bindingHash(), T)).field()).isEqualTo("state");
  }

  @Test
  void cancel_byRequesterOrSecurity_butNotByAnotherAgent() {
    ApprovalRequest r = pending(2, Duration.ZERO);
    assertThat(next(ApprovalRules.cancel(r, new Canceller.Staff(agent()), null, T)).state()).isEqualTo(ApprovalState.CANCELLED);
    assertThat(next(ApprovalRules.cancel(r, new Canceller.Staff(person("sec-1", "sec", Role.SECURITY_ANALYST)), null, T))
        .state()).isEqualTo(ApprovalState.CANCELLED);
    refused(ApprovalRules.cancel(r, new Canceller.Staff(person("agent-42", "desk-eu", Role.SUPPORT_L1)), null, T));
  }

  @Test
  void theCustomer_mayCancelOnlyDuringTheTimeLock() {
    ApprovalRequest r = pending(1, Duration.ofHours(24));
    refused(ApprovalRules.cancel(r, new Canceller.Customer(), null, T));
    ApprovalRequest approved = next(ApprovalRules.approve(r, approver("appr-1"), r.bindingHash(), T));
    ApprovalRequest locked = next(ApprovalRules.lock(approved));
    assertThat(next(ApprovalRules.cancel(locked, new Canceller.Customer(), "this was not me", T)).closedBy())
        .contains("customer");
  }

  @Test
  void execution_waitsForTheTimeLock() {
    ApprovalRequest r = pending(1, Duration.ofHours(24));
    ApprovalRequest locked = next(ApprovalRules.lock(next(ApprovalRules.approve(r, approver("appr-1"), r.bindingHash(), T))));
    assertThat(refused(ApprovalRules.execute(locked, T.plus(Duration.ofHours(23)))).why()).contains("time-lock");
    assertThat(next(ApprovalRules.execute(locked, T.plus(Duration.ofHours(24)))).state()).isEqualTo(ApprovalState.EXECUTED);
  }

  @Test
  void expiry_endsAPendingRequest_andLateApprovalsAreRefused() {
    ApprovalRequest r = pending(2, Duration.ZERO);
    refused(ApprovalRules.expire(r, T.plus(Duration.ofHours(23))));
    assertThat(refused(ApprovalRules.approve(r, approver("appr-1"), r.bindingHash(), T.plus(Duration.ofHours(24)))).why())
        .contains("expired");
    assertThat(next(ApprovalRules.expire(r, T.plus(Duration.ofHours(24)))).state()).isEqualTo(ApprovalState.EXPIRED);
  }

  @Test
  void aRequestClaimingExecutionWithoutQuorum_cannotBeBuilt() {
    ApprovalRequest r = pending(2, Duration.ZERO);
    assertThatThrownBy(() -> new ApprovalRequest(r.id(), r.spec(), r.salt(), r.requester(), r.requesterPerson(),
        r.requesterTeam(), Set.of(), r.policy(), ApprovalState.EXECUTED, r.createdAt(), r.expiresAt(), List.of(),
        Optional.of(T), Optional.of(T), Optional.empty(), Optional.empty(), Optional.empty(), 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly 2 approvals");
  }

  @Test
  void theBindingHash_isTheSha256OfTheCanonicalJson() throws Exception {
    ActionSpec spec = ActionSpec.of(SensitiveAction.EMAIL_CHANGE, Optional.of(ApprovalFixtures.CUSTOMER),
        Map.of("email", "new@example.org"));
    String json = "{\"action\":\"email-change\",\"customer\":\"cust-1001\",\"parameters\":{\"email\":\"new@example.org\"},"
        + "\"salt\":\"" + ApprovalFixtures.SALT + "\"}";
    String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(spec.bindingHash(ApprovalFixtures.SALT)).isEqualTo(expected);
  }

  @Test
  void theDefaultCatalogue_coversEveryAction_andAnIncompleteOneIsRefused() {
    ApprovalCatalogue d = ApprovalCatalogue.defaults();
    for (SensitiveAction a : SensitiveAction.values()) {
      assertThat(d.policy(a).action()).isEqualTo(a);
    }
    assertThat(d.policy(SensitiveAction.ADDRESS_WHITELIST).timeLock()).isEqualTo(Duration.ofHours(48));
    assertThatThrownBy(() -> ApprovalCatalogue.of(List.of(d.policy(SensitiveAction.EMAIL_CHANGE))))
        .hasMessageContaining("has no policy");
    assertThatThrownBy(() -> new ActionPolicy(SensitiveAction.ROLE_GRANT, 0, Set.of(Role.APPROVER), Set.of(), false,
        Duration.ofHours(1), Duration.ZERO, false)).hasMessageContaining("approvals.role-grant.required");
  }
}
