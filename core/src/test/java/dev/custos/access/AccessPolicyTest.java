package dev.custos.access;

import static dev.custos.access.AccessFixtures.AGENT;
import static dev.custos.access.AccessFixtures.CUSTOMER;
import static dev.custos.access.AccessFixtures.GOOD_REASON;
import static dev.custos.access.AccessFixtures.LEAD;
import static dev.custos.access.AccessFixtures.OTHER_AGENT;
import static dev.custos.access.AccessFixtures.OTHER_CUSTOMER;
import static dev.custos.access.AccessFixtures.T;
import static dev.custos.access.AccessFixtures.approved;
import static dev.custos.access.AccessFixtures.fields;
import static dev.custos.access.AccessFixtures.openCase;
import static dev.custos.access.AccessFixtures.openTicket;
import static dev.custos.access.AccessFixtures.staff;
import static dev.custos.access.AccessFixtures.suspended;
import static dev.custos.access.AccessFixtures.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.Mask;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
  private final AccessPolicy policy = new AccessPolicy(FieldCatalogue.exchangeDefault(), PolicySettings.defaults());
  private final TicketId ticketId = new TicketId("zd-1");
  private final Ticket own = openTicket(ticketId, CUSTOMER, AGENT);

  private AccessRequest view(StaffSubject s, Purpose p, PurposeFacts f, Set<Field> wanted) {
    return new AccessRequest(s, Action.VIEW, CUSTOMER, p, wanted, Optional.empty(), Optional.empty(), T, f);
  }

  private AccessRequest viewOwnTicket(Role... roles) {
    return view(staff(AGENT, roles), Purpose.ticket(ticketId), PurposeFacts.of(own), Set.of());
  }

  private AccessRequest reveal(StaffSubject s, Set<Field> wanted, Optional<String> reason, Optional<Instant> mfaAt) {
    return new AccessRequest(s, Action.REVEAL, CUSTOMER, Purpose.ticket(ticketId), wanted, reason, mfaAt, T,
        PurposeFacts.of(own));
  }

  private static Decision.Deny denied(Decision d) {
    assertThat(d).isInstanceOf(Decision.Deny.class);
    return (Decision.Deny) d;
  }

  private static Decision.Permit permitted(Decision d) {
    assertThat(d).as("decision %s", d).isInstanceOf(Decision.Permit.class);
    return (Decision.Permit) d;
  }

  @Test
  void view_withOwnOpenTicket_isPermittedMaskedByCatalogue() {
    Decision.Permit p = permitted(policy.decide(viewOwnTicket(Role.SUPPORT_L1)));

    assertThat(p.plan().mask(new Field("email"))).isEqualTo(Mask.PARTIAL_EMAIL);
    assertThat(p.plan().mask(new Field("name"))).isEqualTo(Mask.INITIAL);
    assertThat(p.plan().shows(new Field("government_id"))).isFalse();
    assertThat(p.plan().mask(new Field("government_id"))).isEqualTo(Mask.NOT_SHOWN);
    assertThat(p.obligations()).isEmpty();
    assertThat(p.rules()).containsExactly("staff-active", "role-sees-customer-data", "purpose-fits-action",
        "purpose-ticket", "fields-by-role");
  }

  @Test
  void view_returnsThePrecomputedPlan_withoutBuildingOnePerCall() {
    Decision.Permit first = permitted(policy.decide(viewOwnTicket(Role.SUPPORT_L1)));
    Decision.Permit second = permitted(policy.decide(viewOwnTicket(Role.SUPPORT_L1)));

    assertThat(first.plan()).isSameAs(second.plan());
  }

  @Test
  void view_withTicketOfAnotherAgent_isDenied() {
    Ticket theirs = openTicket(ticketId, CUSTOMER, OTHER_AGENT);
    Decision d = policy.decide(view(staff(AGENT, Role.SUPPORT_L1), Purpose.ticket(ticketId), PurposeFacts.of(theirs),
        Set.of()));

    assertThat(denied(d).reason()).isEqualTo(DenyReason.TICKET_NOT_ASSIGNED);
    assertThat(d.rules()).containsExactly("purpose-ticket");
  }

  @Test
  void view_withUnassignedTicket_isDenied() {
    Ticket nobody = ticket(ticketId, CUSTOMER, Optional.empty(), TicketStatus.NEW);
    assertThat(denied(policy.decide(view(staff(AGENT, Role.SUPPORT_L1), Purpose.ticket(ticketId),
        PurposeFacts.of(nobody), Set.of()))).reason()).isEqualTo(DenyReason.TICKET_NOT_ASSIGNED);
  }

  @Test
  void view_withSolvedOrClosedTicket_isDenied() {
    for (TicketStatus s : Set.of(TicketStatus.SOLVED, TicketStatus.CLOSED)) {
      Ticket done = ticket(ticketId, CUSTOMER, Optional.of(AGENT), s);
      assertThat(denied(policy.decide(view(staff(AGENT, Role.SUPPORT_L1), Purpose.ticket(ticketId),
          PurposeFacts.of(done), Set.of()))).reason()).isEqualTo(DenyReason.TICKET_CLOSED);
    }
  }

  @Test
  void view_withPendingOrOnHoldTicket_isPermitted() {
    for (TicketStatus s : Set.of(TicketStatus.NEW, TicketStatus.PENDING, TicketStatus.ON_HOLD)) {
      Ticket t = ticket(ticketId, CUSTOMER, Optional.of(AGENT), s);
      permitted(policy.decide(view(staff(AGENT, Role.SUPPORT_L1), Purpose.ticket(ticketId), PurposeFacts.of(t),
          Set.of())));
    }
  }

  @Test
  void view_withTicketOfAnotherCustomer_isDenied() {
    Ticket other = openTicket(ticketId, OTHER_CUSTOMER, AGENT);
    assertThat(denied(policy.decide(view(staff(AGENT, Role.SUPPORT_L1), Purpose.ticket(ticketId),
        PurposeFacts.of(other), Set.of()))).reason()).isEqualTo(DenyReason.TICKET_OTHER_CUSTOMER);
  }

  @Test
  void view_whoseFactsAreOfAnotherTicket_isDenied() {
    Ticket wrong = openTicket(new TicketId("zd-2"), CUSTOMER, AGENT);
    assertThat(denied(policy.decide(view(staff(AGENT, Role.SUPPORT_L1), Purpose.ticket(ticketId),
        PurposeFacts.of(wrong), Set.of()))).reason()).isEqualTo(DenyReason.TICKET_UNKNOWN);
    assertThat(denied(policy.decide(view(staff(AGENT, Role.SUPPORT_L1), Purpose.ticket(ticketId),
        PurposeFacts.none(), Set.of()))).reason()).isEqualTo(DenyReason.TICKET_UNKNOWN);
  }

  @Test
  void view_withoutPurpose_isDenied() {
    assertThat(denied(policy.decide(view(staff(AGENT, Role.FRAUD_ANALYST), Purpose.NONE, PurposeFacts.none(),
        Set.of()))).reason()).isEqualTo(DenyReason.NO_PURPOSE);
  }

  @Test
  void view_bySuspendedStaff_isDenied() {
    Decision d = policy.decide(view(suspended(AGENT, Role.SUPPORT_L2), Purpose.ticket(ticketId), PurposeFacts.of(own),
        Set.of()));
    assertThat(denied(d).reason()).isEqualTo(DenyReason.STAFF_SUSPENDED);
  }

  @Test
  void view_byAdministratorOrAuditor_isDenied_evenWithOwnTicket() {
    for (Role r : Set.of(Role.ADMINISTRATOR, Role.AUDITOR)) {
      assertThat(denied(policy.decide(viewOwnTicket(r))).reason()).isEqualTo(DenyReason.ROLE_MAY_NOT_VIEW);
    }
  }

  @Test
  void view_ofNamedFields_showsExactlyThem() {
    Decision.Permit p = permitted(policy.decide(view(staff(AGENT, Role.SUPPORT_L1), Purpose.ticket(ticketId),
        PurposeFacts.of(own), fields("email", "account_status"))));
    assertThat(p.plan().fields()).containsExactly(new Field("email"), new Field("account_status"));
  }

  @Test
  void view_ofAFieldTheRoleMayNotView_isDeniedNamingIt_neverDroppedSilently() {
    Decision.Deny d = denied(policy.decide(view(staff(AGENT, Role.SUPPORT_L1), Purpose.ticket(ticketId),
        PurposeFacts.of(own), fields("email", "tax_id", "id_documents"))));
    assertThat(d.reason()).isEqualTo(DenyReason.ROLE_MAY_NOT_VIEW);
    assertThat(d.explanation()).contains("id_documents, tax_id").doesNotContain("email");
  }

  @Test
  void view_ofAnUnknownField_isDenied() {
    Decision.Deny d = denied(policy.decide(view(staff(AGENT, Role.SUPPORT_L1), Purpose.ticket(ticketId),
        PurposeFacts.of(own), fields("shoe_size"))));
    assertThat(d.reason()).isEqualTo(DenyReason.UNKNOWN_FIELD);
    assertThat(d.explanation()).contains("shoe_size");
  }

  @Test
  void view_withStaffCreatedTicket_isPermitted_butCountedOffTicket() {
    Ticket mine = new Ticket(ticketId, CUSTOMER, Optional.of(AGENT), TicketStatus.OPEN, "phone", "callback", true, T, 1);
    Decision.Permit p = permitted(policy.decide(view(staff(AGENT, Role.SUPPORT_L1), Purpose.ticket(ticketId),
        PurposeFacts.of(mine), Set.of())));
    assertThat(p.obligations()).containsExactly(Obligation.COUNT_OFF_TICKET);

    AccessPolicy lenient = new AccessPolicy(FieldCatalogue.exchangeDefault(),
        PolicySettings.builder().staffCreatedTicketsOffTicket(false).build());
    assertThat(permitted(lenient.decide(view(staff(AGENT, Role.SUPPORT_L1), Purpose.ticket(ticketId),
        PurposeFacts.of(mine), Set.of()))).obligations()).isEmpty();
  }

  // ---- cases

  private AccessRequest viewCase(StaffSubject s, Case c) {
    return view(s, Purpose.ofCase(c.id()), PurposeFacts.of(c), Set.of());
  }

  @Test
  void view_withApprovedCaseListingTheCustomer_isPermitted_andCountedOffTicket() {
    Case c = approved(openCase(new CaseId("case-1"), Set.of(CUSTOMER), AGENT));
    Decision.Permit p = permitted(policy.decide(viewCase(staff(AGENT, Role.FRAUD_ANALYST), c)));
    assertThat(p.obligations()).containsExactly(Obligation.COUNT_OFF_TICKET);
    assertThat(p.rules()).contains("purpose-case");
  }

  @Test
  void view_withUnapprovedCase_isDenied() {
    Case c = openCase(new CaseId("case-1"), Set.of(CUSTOMER), AGENT);
    assertThat(denied(policy.decide(viewCase(staff(AGENT, Role.FRAUD_ANALYST), c))).reason())
        .isEqualTo(DenyReason.CASE_NOT_APPROVED);
  }

  @Test
  void view_withCaseApprovedByItsOwnLead_isDenied() {
    Case c = openCase(new CaseId("case-1"), Set.of(CUSTOMER), AGENT)
        .withApproval(new CaseApproval(LEAD, Set.of(Role.SUPPORT_L2), T));
    assertThat(denied(policy.decide(viewCase(staff(AGENT, Role.FRAUD_ANALYST), c))).reason())
        .isEqualTo(DenyReason.CASE_NOT_APPROVED);
  }

  @Test
  void view_withCaseApprovedByANonLead_isDenied() {
    Case c = openCase(new CaseId("case-1"), Set.of(CUSTOMER), AGENT)
        .withApproval(new CaseApproval(OTHER_AGENT, Set.of(Role.SUPPORT_L1, Role.APPROVER), T));
    assertThat(denied(policy.decide(viewCase(staff(AGENT, Role.FRAUD_ANALYST), c))).reason())
        .isEqualTo(DenyReason.CASE_NOT_APPROVED);
  }

  @Test
  void view_withExpiredOrClosedCase_isDenied() {
    Case c = approved(openCase(new CaseId("case-1"), Set.of(CUSTOMER), AGENT));
    AccessRequest late = new AccessRequest(staff(AGENT, Role.FRAUD_ANALYST), Action.VIEW, CUSTOMER,
        Purpose.ofCase(c.id()), Set.of(), Optional.empty(), Optional.empty(), c.expiresAt(), PurposeFacts.of(c));
    assertThat(denied(policy.decide(late)).reason()).isEqualTo(DenyReason.CASE_EXPIRED);
    assertThat(denied(policy.decide(viewCase(staff(AGENT, Role.FRAUD_ANALYST), c.closed(T)))).reason())
        .isEqualTo(DenyReason.CASE_EXPIRED);
  }

  @Test
  void view_withCaseOfWhichStaffIsNoMember_isDenied() {
    Case c = approved(openCase(new CaseId("case-1"), Set.of(CUSTOMER), OTHER_AGENT));
    assertThat(denied(policy.decide(viewCase(staff(AGENT, Role.FRAUD_ANALYST), c))).reason())
        .isEqualTo(DenyReason.CASE_NOT_MEMBER);
  }

  @Test
  void view_withCaseNotListingTheCustomer_isDenied() {
    Case c = approved(openCase(new CaseId("case-1"), Set.of(OTHER_CUSTOMER), AGENT));
    assertThat(denied(policy.decide(viewCase(staff(AGENT, Role.FRAUD_ANALYST), c))).reason())
        .isEqualTo(DenyReason.CASE_OTHER_CUSTOMER);
  }

  // ---- break-glass

  private AccessRequest breakGlass(StaffSubject s, Optional<String> reason) {
    return new AccessRequest(s, Action.BREAK_GLASS, CUSTOMER, Purpose.BREAK_GLASS, Set.of(), reason, Optional.empty(), T,
        PurposeFacts.none());
  }

  @Test
  void breakGlass_byAllowedRoleWithReason_isPermitted_loudly() {
    Decision.Permit p = permitted(policy.decide(breakGlass(staff(AGENT, Role.SECURITY_ANALYST),
        Optional.of("account takeover in progress, customer on the phone"))));
    assertThat(p.obligations()).containsExactly(Obligation.ALERT_SECURITY, Obligation.QUEUE_REVIEW,
        Obligation.COUNT_OFF_TICKET);
    assertThat(p.plan()).isEqualTo(policy.viewPlan(Set.of(Role.SECURITY_ANALYST)));
  }

  @Test
  void breakGlass_bySupportL1_isDenied() {
    assertThat(denied(policy.decide(breakGlass(staff(AGENT, Role.SUPPORT_L1), Optional.of(GOOD_REASON)))).reason())
        .isEqualTo(DenyReason.BREAK_GLASS_NOT_ALLOWED);
  }

  @Test
  void breakGlass_withPlaceholderReason_isDenied() {
    for (String r : new String[] {"n/a", "test", "...", "test test test", "aaaaaaaaaaaa", "todo todo todo todo"}) {
      assertThat(denied(policy.decide(breakGlass(staff(AGENT, Role.SUPPORT_L2), Optional.of(r)))).reason())
          .as(r).isEqualTo(DenyReason.REASON_REQUIRED);
    }
    assertThat(denied(policy.decide(breakGlass(staff(AGENT, Role.SUPPORT_L2), Optional.empty()))).reason())
        .isEqualTo(DenyReason.REASON_REQUIRED);
  }

  @Test
  void breakGlassAction_withTicketPurpose_isAMismatch() {
    AccessRequest q = new AccessRequest(staff(AGENT, Role.SUPPORT_L2), Action.BREAK_GLASS, CUSTOMER,
        Purpose.ticket(ticketId), Set.of(), Optional.of(GOOD_REASON), Optional.empty(), T, PurposeFacts.of(own));
    assertThat(denied(policy.decide(q)).reason()).isEqualTo(DenyReason.PURPOSE_MISMATCH);
  }

  @Test
  void reveal_underBreakGlass_isDenied() {
    AccessRequest q = new AccessRequest(staff(AGENT, Role.SECURITY_ANALYST), Action.REVEAL, CUSTOMER,
        Purpose.BREAK_GLASS, fields("recent_logins"), Optional.of(GOOD_REASON), Optional.of(T), T, PurposeFacts.none());
    assertThat(denied(policy.decide(q)).reason()).isEqualTo(DenyReason.PURPOSE_MISMATCH);
  }

  @Test
  void breakGlass_rolesAreConfigurable() {
    AccessPolicy none = new AccessPolicy(FieldCatalogue.exchangeDefault(),
        PolicySettings.builder().breakGlassRoles(Set.of()).build());
    assertThat(denied(none.decide(breakGlass(staff(AGENT, Role.SECURITY_ANALYST), Optional.of(GOOD_REASON)))).reason())
        .isEqualTo(DenyReason.BREAK_GLASS_NOT_ALLOWED);
  }

  // ---- reveal

  @Test
  void reveal_withReasonAndFreshSecondFactor_unmasksExactlyTheFields() {
    Decision.Permit p = permitted(policy.decide(reveal(staff(AGENT, Role.SUPPORT_L2), fields("phone", "address"),
        Optional.of(GOOD_REASON), Optional.of(T.minusSeconds(60)))));
    assertThat(p.plan().asMap()).containsOnlyKeys(new Field("phone"), new Field("address"));
    assertThat(p.plan().asMap().values()).containsOnly(Mask.NONE);
    assertThat(p.rules()).endsWith("reveal-by-role", "reason-real", "step-up-fresh");
  }

  @Test
  void reveal_ofFieldsTheRoleMayNotReveal_isDeniedNamingThem() {
    Decision.Deny d = denied(policy.decide(reveal(staff(AGENT, Role.SUPPORT_L1), fields("email", "phone", "name"),
        Optional.of(GOOD_REASON), Optional.of(T))));
    assertThat(d.reason()).isEqualTo(DenyReason.ROLE_MAY_NOT_REVEAL);
    assertThat(d.explanation()).contains("name, phone").doesNotContain("email");
  }

  @Test
  void reveal_withoutFields_isABadRequest() {
    assertThat(denied(policy.decide(reveal(staff(AGENT, Role.SUPPORT_L2), Set.of(), Optional.of(GOOD_REASON),
        Optional.of(T)))).reason()).isEqualTo(DenyReason.BAD_REQUEST);
  }

  @Test
  void reveal_withoutReasonOrWithPlaceholder_isDenied() {
    for (Optional<String> r : java.util.List.of(Optional.<String>empty(), Optional.of("."), Optional.of("n/a"),
        Optional.of("          "), Optional.of("1234567890123"), Optional.of("N/A N/A N/A N/A"))) {
      assertThat(denied(policy.decide(reveal(staff(AGENT, Role.SUPPORT_L2), fields("phone"), r, Optional.of(T))))
          .reason()).as("%s", r).isEqualTo(DenyReason.REASON_REQUIRED);
    }
  }

  @Test
  void reveal_withoutSecondFactor_needsStepUp() {
    assertThat(denied(policy.decide(reveal(staff(AGENT, Role.SUPPORT_L2), fields("phone"), Optional.of(GOOD_REASON),
        Optional.empty()))).reason()).isEqualTo(DenyReason.STEP_UP_REQUIRED);
  }

  @Test
  void reveal_withSecondFactorOlderThanTheWindow_needsStepUp() {
    assertThat(permitted(policy.decide(reveal(staff(AGENT, Role.SUPPORT_L2), fields("phone"), Optional.of(GOOD_REASON),
        Optional.of(T.minus(Duration.ofMinutes(5))))))).isNotNull();
    assertThat(denied(policy.decide(reveal(staff(AGENT, Role.SUPPORT_L2), fields("phone"), Optional.of(GOOD_REASON),
        Optional.of(T.minus(Duration.ofMinutes(5)).minusMillis(1))))).reason()).isEqualTo(DenyReason.STEP_UP_REQUIRED);
  }

  @Test
  void reveal_withSecondFactorInTheFuture_needsStepUp() {
    assertThat(denied(policy.decide(reveal(staff(AGENT, Role.SUPPORT_L2), fields("phone"), Optional.of(GOOD_REASON),
        Optional.of(T.plusSeconds(60))))).reason()).isEqualTo(DenyReason.STEP_UP_REQUIRED);
  }

  @Test
  void reveal_mfaWindowIsConfigurable() {
    AccessPolicy strict = new AccessPolicy(FieldCatalogue.exchangeDefault(),
        PolicySettings.builder().mfaWindow(Duration.ofSeconds(30)).build());
    assertThat(denied(strict.decide(reveal(staff(AGENT, Role.SUPPORT_L2), fields("phone"), Optional.of(GOOD_REASON),
        Optional.of(T.minusSeconds(60))))).reason()).isEqualTo(DenyReason.STEP_UP_REQUIRED);
  }

  @Test
  void reveal_withRolesCombined_mayRevealWhatAnyRoleMay() {
    permitted(policy.decide(reveal(staff(AGENT, Role.SUPPORT_L1, Role.KYC_REVIEWER), fields("email", "tax_id"),
        Optional.of(GOOD_REASON), Optional.of(T))));
  }

  // ---- search

  private AccessRequest search(StaffSubject s, String by) {
    return new AccessRequest(s, Action.SEARCH, null, Purpose.NONE, fields(by), Optional.empty(), Optional.empty(), T,
        PurposeFacts.none());
  }

  @Test
  void search_byEmail_givesTheMinimalMaskedPlan() {
    Decision.Permit p = permitted(policy.decide(search(staff(AGENT, Role.SUPPORT_L1), "email")));
    assertThat(p.plan().asMap()).containsExactly(java.util.Map.entry(new Field("name"), Mask.INITIAL),
        java.util.Map.entry(new Field("email"), Mask.PARTIAL_EMAIL),
        java.util.Map.entry(new Field("account_status"), Mask.NONE));
  }

  @Test
  void search_byAFieldNotSearchable_isDenied() {
    assertThat(denied(policy.decide(search(staff(AGENT, Role.SUPPORT_L2), "name"))).reason())
        .isEqualTo(DenyReason.FIELD_NOT_SEARCHABLE);
  }

  @Test
  void search_byGovernmentIdAsSupportL1_isDenied() {
    assertThat(denied(policy.decide(search(staff(AGENT, Role.SUPPORT_L1), "government_id"))).reason())
        .isEqualTo(DenyReason.ROLE_MAY_NOT_VIEW);
  }

  @Test
  void search_byTwoFields_isABadRequest() {
    AccessRequest q = new AccessRequest(staff(AGENT, Role.SUPPORT_L1), Action.SEARCH, null, Purpose.NONE,
        fields("email", "phone"), Optional.empty(), Optional.empty(), T, PurposeFacts.none());
    assertThat(denied(policy.decide(q)).reason()).isEqualTo(DenyReason.BAD_REQUEST);
  }

  // ---- failure

  @Test
  void decide_ofNull_isAPolicyErrorDeny() {
    assertThat(denied(policy.decide(null)).reason()).isEqualTo(DenyReason.POLICY_ERROR);
  }

  @Test
  void decide_whenARuleThrows_isAPolicyErrorDeny() {
    AccessPolicy broken = new AccessPolicy(FieldCatalogue.exchangeDefault(), PolicySettings.defaults(), rule -> {
      if (rule.equals("fields-by-role")) {
        throw new IllegalStateException("boom");
      }
    });
    Decision.Deny d = denied(broken.decide(viewOwnTicket(Role.SUPPORT_L1)));
    assertThat(d.reason()).isEqualTo(DenyReason.POLICY_ERROR);
    assertThat(d.explanation()).doesNotContain("boom");
  }

  @Test
  void request_withoutCustomerForAView_isRefusedNamingIt() {
    assertThatThrownBy(() -> new AccessRequest(staff(AGENT, Role.SUPPORT_L1), Action.VIEW, null, Purpose.NONE, Set.of(),
        Optional.empty(), Optional.empty(), T, PurposeFacts.none()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("customer");
  }

  @Test
  void policy_withSettingsNamingUnknownFields_isRefused() {
    assertThatThrownBy(() -> new AccessPolicy(FieldCatalogue.exchangeDefault(),
        PolicySettings.builder().searchableFields(fields("shoe_size")).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("searchableFields").hasMessageContaining("shoe_size");
  }
}
