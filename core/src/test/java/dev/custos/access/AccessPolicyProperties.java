package dev.custos.access;

import static dev.custos.access.AccessFixtures.AGENT;
import static dev.custos.access.AccessFixtures.CUSTOMER;
import static dev.custos.access.AccessFixtures.LEAD;
import static dev.custos.access.AccessFixtures.OTHER_AGENT;
import static dev.custos.access.AccessFixtures.OTHER_CUSTOMER;
import static dev.custos.access.AccessFixtures.SECOND_LEAD;
import static dev.custos.access.AccessFixtures.T;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldSpec;
import dev.custos.vault.Mask;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/** Invariants of {@link AccessPolicy#decide} over arbitrary requests. */
class AccessPolicyProperties {
  private static final FieldCatalogue CATALOGUE = FieldCatalogue.exchangeDefault();
  private final AccessPolicy policy = new AccessPolicy(CATALOGUE, PolicySettings.defaults());
  private static final TicketId TICKET = new TicketId("zd-9");
  private static final CaseId CASE = new CaseId("case-9");

  /** Mostly plausible requests (so that permits are common) with every kind of flaw mixed in. */
  @Provide
  Arbitrary<AccessRequest> requests() {
    return requestsOf(Arbitraries.of(Action.class));
  }

  /** Reveals only, so that reveal permits are common enough to check. */
  @Provide
  Arbitrary<AccessRequest> reveals() {
    return requestsOf(Arbitraries.just(Action.REVEAL));
  }

  private Arbitrary<AccessRequest> requestsOf(Arbitrary<Action> actions) {
    Arbitrary<Set<Role>> roles = Arbitraries.of(Role.class).set().ofMinSize(1).ofMaxSize(3);
    Arbitrary<Boolean> active = Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false));
    Arbitrary<CustomerId> customers = Arbitraries.frequency(Tuple.of(4, CUSTOMER), Tuple.of(1, OTHER_CUSTOMER));
    List<Field> known = new ArrayList<>(CATALOGUE.fields());
    known.add(new Field("shoe_size"));
    Arbitrary<Set<Field>> fields = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(known).set().ofSize(1)),
        Tuple.of(2, Arbitraries.of(known).set().ofMaxSize(5)), Tuple.of(1, Arbitraries.just(Set.<Field>of())));
    Arbitrary<Optional<String>> reasons = Arbitraries.frequency(Tuple.of(1, Optional.<String>empty()),
        Tuple.of(1, Optional.of("n/a")), Tuple.of(1, Optional.of("test test test")),
        Tuple.of(1, Optional.of("...........")), Tuple.of(4, Optional.of(AccessFixtures.GOOD_REASON)),
        Tuple.of(2, Optional.of("fraud report 5512 on withdrawals")));
    Arbitrary<Optional<Instant>> mfa = Arbitraries.frequency(Tuple.of(1, Optional.<Instant>empty()),
        Tuple.of(3, Optional.of(T)), Tuple.of(2, Optional.of(T.minusSeconds(30))),
        Tuple.of(1, Optional.of(T.minus(Duration.ofMinutes(10)))), Tuple.of(1, Optional.of(T.plus(Duration.ofMinutes(2)))));
    Arbitrary<Object[]> purposeAndFacts = Arbitraries.frequencyOf(Tuple.of(5, tickets()), Tuple.of(3, cases()),
        Tuple.of(2, Arbitraries.of(new Object[] {Purpose.BREAK_GLASS, PurposeFacts.none()},
            new Object[] {Purpose.BREAK_GLASS, PurposeFacts.none()},
            new Object[] {Purpose.NONE, PurposeFacts.none()},
            new Object[] {Purpose.ticket(TICKET), PurposeFacts.none()},
            new Object[] {Purpose.ofCase(CASE), PurposeFacts.none()})));
    return Combinators.combine(roles, active, actions, customers, fields, reasons, mfa, purposeAndFacts)
        .as((r, a, act, c, f, reason, m, pf) -> new AccessRequest(
            new StaffSubject(AGENT, r, a, Optional.empty()), act, act == Action.SEARCH ? null : c, (Purpose) pf[0], f,
            reason, m, T, (PurposeFacts) pf[1]));
  }

  private Arbitrary<Object[]> tickets() {
    return Combinators.combine(
        Arbitraries.frequency(Tuple.of(4, TicketStatus.OPEN), Tuple.of(1, TicketStatus.NEW), Tuple.of(1, TicketStatus.PENDING),
            Tuple.of(1, TicketStatus.ON_HOLD), Tuple.of(1, TicketStatus.SOLVED), Tuple.of(1, TicketStatus.CLOSED)),
        Arbitraries.frequency(Tuple.of(4, CUSTOMER), Tuple.of(1, OTHER_CUSTOMER)),
        Arbitraries.frequency(Tuple.of(4, Optional.of(AGENT)), Tuple.of(1, Optional.of(OTHER_AGENT)),
            Tuple.of(1, Optional.<StaffId>empty())),
        Arbitraries.of(true, false),
        Arbitraries.frequency(Tuple.of(9, TICKET), Tuple.of(1, new TicketId("zd-other"))))
        .as((status, requester, assignee, byStaff, id) -> new Object[] {Purpose.ticket(TICKET),
            PurposeFacts.of(new Ticket(id, requester, assignee, status, "web", "payments", byStaff, T, 1))});
  }

  private Arbitrary<Object[]> cases() {
    Arbitrary<Optional<CaseApproval>> approvals = Arbitraries.frequency(Tuple.of(1, Optional.<CaseApproval>empty()),
        Tuple.of(3, Optional.of(new CaseApproval(SECOND_LEAD, Set.of(Role.SUPPORT_L2), T))),
        Tuple.of(2, Optional.of(new CaseApproval(SECOND_LEAD, Set.of(Role.SECURITY_ANALYST), T))),
        Tuple.of(1, Optional.of(new CaseApproval(LEAD, Set.of(Role.SUPPORT_L2), T))),
        Tuple.of(1, Optional.of(new CaseApproval(OTHER_AGENT, Set.of(Role.APPROVER, Role.FRAUD_ANALYST), T))));
    return Combinators.combine(approvals,
        Arbitraries.frequency(Tuple.of(4, Set.of(CUSTOMER)), Tuple.of(1, Set.of(OTHER_CUSTOMER))),
        Arbitraries.frequency(Tuple.of(4, Set.of(LEAD, AGENT)), Tuple.of(1, Set.of(LEAD, OTHER_AGENT))),
        Arbitraries.frequency(Tuple.of(4, T.plusSeconds(3600)), Tuple.of(1, T.plusSeconds(1)), Tuple.of(1, T)),
        Arbitraries.frequency(Tuple.of(1, true), Tuple.of(5, false)))
        .as((approval, custs, members, expires, closed) -> new Object[] {Purpose.ofCase(CASE), PurposeFacts.of(
            new Case(CASE, LEAD, "chargeback wave", custs, members, T.minusSeconds(3600), expires, approval,
                closed ? Optional.of(T.minusSeconds(1)) : Optional.empty()))});
  }

  private static boolean anyRole(Set<Role> roles, Set<Role> of) {
    return roles.stream().anyMatch(of::contains);
  }

  @Property(tries = 3000)
  void aDeny_neverCarriesFields_norNamesTheCustomer(@ForAll("requests") AccessRequest q) {
    Decision d = policy.decide(q);
    if (d instanceof Decision.Deny deny) {
      // A deny has no plan by construction; its explanation, which goes to logs, names no customer.
      assertThat(Decision.Deny.class.getRecordComponents()).extracting(c -> c.getName())
          .containsExactly("reason", "explanation", "rules");
      assertThat(deny.explanation()).doesNotContain(CUSTOMER.value()).doesNotContain(OTHER_CUSTOMER.value());
      assertThat(deny.rules()).hasSize(1);
    } else {
      assertThat(((Decision.Permit) d).plan().isEmpty()).isFalse();
    }
  }

  @Property(tries = 3000)
  void aPermit_neverShowsAFieldNoRoleMayView(@ForAll("requests") AccessRequest q) {
    Decision d = policy.decide(q);
    if (q.action() != Action.REVEAL) {
      Statistics.label("permitted " + q.action().wireName()).collect(d.permitted())
          .coverage(c -> c.check(true).count(n -> n >= 5));
    }
    if (d instanceof Decision.Permit p) {
      for (Field f : p.plan().fields()) {
        FieldSpec spec = CATALOGUE.spec(f).orElseThrow();
        assertThat(anyRole(q.staff().roles(), spec.viewers())).as("field %s", f).isTrue();
        Mask m = p.plan().mask(f);
        assertThat(m == spec.defaultMask() || (q.action() == Action.REVEAL && m == Mask.NONE)).as("mask of %s", f).isTrue();
      }
    }
  }

  @Property(tries = 3000)
  void aReveal_neverUnmasksAFieldNoRoleMayReveal(@ForAll("reveals") AccessRequest q) {
    Decision d = policy.decide(q);
    Statistics.label("permitted reveal").collect(d.permitted()).coverage(c -> c.check(true).count(n -> n >= 5));
    if (d instanceof Decision.Permit p) {
      assertThat(p.plan().fields()).isEqualTo(q.requestedFields());
      for (Field f : p.plan().fields()) {
        assertThat(anyRole(q.staff().roles(), CATALOGUE.spec(f).orElseThrow().revealers())).as("field %s", f).isTrue();
      }
      assertThat(PolicySettings.defaults().reasonProblem(q.reason().orElseThrow())).isNull();
      assertThat(q.mfaAt()).isPresent();
    }
  }

  @Property(tries = 2000)
  void aSuspendedStaffMember_isAlwaysDenied(@ForAll("requests") AccessRequest q) {
    AccessRequest suspended = new AccessRequest(new StaffSubject(q.staff().id(), q.staff().roles(), false,
        q.staff().team()), q.action(), q.customer(), q.purpose(), q.requestedFields(), q.reason(), q.mfaAt(), q.now(),
        q.facts());
    Decision d = policy.decide(suspended);
    assertThat(d).isInstanceOf(Decision.Deny.class);
    assertThat(((Decision.Deny) d).reason()).isIn(DenyReason.STAFF_SUSPENDED, DenyReason.BAD_REQUEST);
  }

  @Property(tries = 3000)
  void anExceptionInsideAnyRule_isADeny(@ForAll("requests") AccessRequest q,
      @ForAll("rules") String failing, @ForAll("errors") RuntimeException error) {
    AtomicBoolean fired = new AtomicBoolean();
    AccessPolicy broken = new AccessPolicy(CATALOGUE, PolicySettings.defaults(), rule -> {
      if (rule.equals(failing)) {
        fired.set(true);
        throw error;
      }
    });
    Decision d = broken.decide(q);
    if (fired.get()) {
      assertThat(d).isInstanceOf(Decision.Deny.class);
      assertThat(((Decision.Deny) d).reason()).isEqualTo(DenyReason.POLICY_ERROR);
    } else {
      assertThat(d).isEqualTo(policy.decide(q));
    }
  }

  @Property(tries = 3000)
  void aPermitForATicket_hasAnOpenTicketOfThisCustomerAssignedToThisStaff(@ForAll("requests") AccessRequest q) {
    if (q.purpose() instanceof Purpose.Ticket t && q.action() != Action.SEARCH && policy.decide(q).permitted()) {
      Ticket ticket = q.facts().ticket().orElseThrow();
      assertThat(ticket.id()).isEqualTo(t.id());
      assertThat(ticket.isOpenFor(q.staff().id())).isTrue();
      assertThat(ticket.requester()).isEqualTo(q.customer());
      assertThat(q.staff().active()).isTrue();
    }
  }

  @Property(tries = 3000)
  void aPermitForACase_hasARunningCaseApprovedByAnotherLead(@ForAll("requests") AccessRequest q) {
    if (q.purpose() instanceof Purpose.Case && q.action() != Action.SEARCH && policy.decide(q) instanceof Decision.Permit p) {
      Case c = q.facts().kase().orElseThrow();
      assertThat(c.approvedByAnotherLead()).isTrue();
      assertThat(c.runningAt(q.now())).isTrue();
      assertThat(c.members()).contains(q.staff().id());
      assertThat(c.customers()).contains(q.customer());
      assertThat(p.obligations()).contains(Obligation.COUNT_OFF_TICKET);
    }
  }

  @Property(tries = 2000)
  void aBreakGlassPermit_isAlwaysLoud(@ForAll("requests") AccessRequest q) {
    if (q.purpose() instanceof Purpose.BreakGlass && policy.decide(q) instanceof Decision.Permit p
        && q.action() != Action.SEARCH) {
      assertThat(p.obligations()).contains(Obligation.ALERT_SECURITY, Obligation.QUEUE_REVIEW, Obligation.COUNT_OFF_TICKET);
      assertThat(anyRole(q.staff().roles(), EnumSet.of(Role.SUPPORT_L2, Role.FRAUD_ANALYST, Role.SECURITY_ANALYST)))
          .isTrue();
    }
  }

  @Provide
  Arbitrary<String> rules() {
    return Arbitraries.of(AccessPolicy.RULES);
  }

  @Provide
  Arbitrary<RuntimeException> errors() {
    return Arbitraries.of(new IllegalStateException("broken rule"), new NullPointerException(),
        new ArithmeticException("overflow"), new ClassCastException(), new ArrayIndexOutOfBoundsException(300));
  }
}
