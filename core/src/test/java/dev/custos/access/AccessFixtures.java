package dev.custos.access;

import dev.custos.vault.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Sample staff, customers, tickets and cases for the access tests and the store contracts. */
public final class AccessFixtures {
  /** A whole-microsecond instant the tests count from (PostgreSQL keeps microseconds). */
  public static final Instant T = Instant.parse("2026-11-21T10:00:00.123456Z");
  public static final StaffId AGENT = new StaffId("agent-17");
  public static final StaffId OTHER_AGENT = new StaffId("agent-42");
  public static final StaffId LEAD = new StaffId("lead-3");
  public static final StaffId SECOND_LEAD = new StaffId("lead-4");
  public static final CustomerId CUSTOMER = new CustomerId("cust-1001");
  public static final CustomerId OTHER_CUSTOMER = new CustomerId("cust-2002");
  public static final String GOOD_REASON = "customer asked to confirm the phone number on file";

  private AccessFixtures() {}

  public static StaffSubject staff(StaffId id, Role... roles) {
    return new StaffSubject(id, Set.of(roles), true, Optional.of("desk-eu"));
  }

  public static StaffSubject suspended(StaffId id, Role... roles) {
    return new StaffSubject(id, Set.of(roles), false, Optional.empty());
  }

  public static Set<Field> fields(String... names) {
    return Arrays.stream(names).map(Field::new).collect(Collectors.toSet());
  }

  public static TicketId freshTicket() {
    return new TicketId("t-" + UUID.randomUUID());
  }

  public static CaseId freshCase() {
    return new CaseId("case-" + UUID.randomUUID());
  }

  public static StaffId freshStaff() {
    return new StaffId("s-" + UUID.randomUUID());
  }

  public static CustomerId freshCustomer() {
    return new CustomerId("c-" + UUID.randomUUID());
  }

  /** An open ticket of {@code requester} assigned to {@code assignee}, from the ticket system. */
  public static Ticket openTicket(TicketId id, CustomerId requester, StaffId assignee) {
    return new Ticket(id, requester, Optional.of(assignee), TicketStatus.OPEN, "email", "account-access", false, T, 1);
  }

  public static Ticket ticket(TicketId id, CustomerId requester, Optional<StaffId> assignee, TicketStatus status) {
    return new Ticket(id, requester, assignee, status, "email", "account-access", false, T, 1);
  }

  /** A case led by {@link #LEAD} listing {@code customers}, with {@code members} (the lead added), unapproved, 7 days. */
  public static Case openCase(CaseId id, Set<CustomerId> customers, StaffId... members) {
    Set<StaffId> m = new java.util.HashSet<>(Arrays.asList(members));
    m.add(LEAD);
    return new Case(id, LEAD, "card testing ring around cust-1001", customers, m, T, T.plus(Duration.ofDays(7)),
        Optional.empty(), Optional.empty());
  }

  /** {@code c} approved by {@link #SECOND_LEAD} holding support-l2. */
  public static Case approved(Case c) {
    return c.withApproval(new CaseApproval(SECOND_LEAD, Set.of(Role.SUPPORT_L2), T.plusSeconds(60)));
  }

  public static TicketEvent event(TicketEvent.Type type, TicketId id, CustomerId requester, Optional<StaffId> assignee,
      TicketStatus status, Instant at) {
    return new TicketEvent(type, id, requester, assignee, status, "email", "account-access", false, at);
  }
}
