package dev.custos.access;

import static dev.custos.access.AccessFixtures.AGENT;
import static dev.custos.access.AccessFixtures.CUSTOMER;
import static dev.custos.access.AccessFixtures.OTHER_AGENT;
import static dev.custos.access.AccessFixtures.T;
import static dev.custos.access.AccessFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.TicketEvent.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

class TicketsTest {
  private final InMemoryTicketStore store = new InMemoryTicketStore();
  private final Tickets tickets = new Tickets(store);
  private final TicketId id = new TicketId("zd-100");

  private TicketEvent created(long s) {
    return event(Type.CREATED, id, CUSTOMER, Optional.empty(), TicketStatus.NEW, T.plusSeconds(s));
  }

  private TicketEvent assigned(long s, StaffId to) {
    return event(Type.ASSIGNED, id, CUSTOMER, Optional.of(to), TicketStatus.OPEN, T.plusSeconds(s));
  }

  private TicketEvent reassigned(long s, StaffId to) {
    return event(Type.REASSIGNED, id, CUSTOMER, Optional.of(to), TicketStatus.OPEN, T.plusSeconds(s));
  }

  private TicketEvent solved(long s) {
    return event(Type.SOLVED, id, CUSTOMER, Optional.of(AGENT), TicketStatus.SOLVED, T.plusSeconds(s));
  }

  private TicketEvent closed(long s) {
    return event(Type.CLOSED, id, CUSTOMER, Optional.of(AGENT), TicketStatus.CLOSED, T.plusSeconds(s));
  }

  @Test
  void created_thenAssigned_makesItOpenForTheAgent() {
    assertThat(tickets.apply(created(0))).isInstanceOf(TicketOutcome.Applied.class);
    TicketOutcome o = tickets.apply(assigned(1, AGENT));

    assertThat(o).isInstanceOf(TicketOutcome.Applied.class);
    assertThat(((TicketOutcome.Applied) o).previous()).isPresent();
    assertThat(tickets.find(id).orElseThrow().isOpenFor(AGENT)).isTrue();
    assertThat(tickets.find(id).orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void sameEventTwice_isStale_theSecondTime() {
    tickets.apply(created(0));
    assertThat(tickets.apply(created(0))).isInstanceOf(TicketOutcome.Stale.class);
  }

  @Test
  void olderDelivery_afterANewerOne_isStale_andChangesNothing() {
    tickets.apply(created(0));
    tickets.apply(reassigned(20, OTHER_AGENT));
    assertThat(tickets.apply(assigned(10, AGENT))).isInstanceOf(TicketOutcome.Stale.class);
    assertThat(tickets.find(id).orElseThrow().assignee()).contains(OTHER_AGENT);
  }

  @Test
  void lateDeliveryAfterClose_neverReopensTheTicket() {
    tickets.apply(created(0));
    tickets.apply(assigned(1, AGENT));
    tickets.apply(closed(30));

    assertThat(tickets.apply(assigned(20, AGENT))).isInstanceOf(TicketOutcome.Stale.class);
    assertThat(tickets.apply(reassigned(40, AGENT))).isInstanceOf(TicketOutcome.Refused.class);
    assertThat(tickets.find(id).orElseThrow().status()).isEqualTo(TicketStatus.CLOSED);
  }

  @Test
  void solvedTicket_mayBeReopenedByALaterEvent() {
    tickets.apply(assigned(1, AGENT));
    tickets.apply(solved(2));
    assertThat(tickets.apply(assigned(3, AGENT))).isInstanceOf(TicketOutcome.Applied.class);
    assertThat(tickets.find(id).orElseThrow().isOpenFor(AGENT)).isTrue();
  }

  @Test
  void assignmentArrivingBeforeCreation_isApplied_andTheLateCreationIsStale() {
    assertThat(tickets.apply(assigned(5, AGENT))).isInstanceOf(TicketOutcome.Applied.class);
    assertThat(tickets.apply(created(0))).isInstanceOf(TicketOutcome.Stale.class);
  }

  @Test
  void secondCreation_laterInTime_isRefused() {
    tickets.apply(created(0));
    assertThat(tickets.apply(created(10))).isInstanceOf(TicketOutcome.Refused.class);
  }

  @Test
  void selfContradictingEvents_areRefused() {
    assertThat(tickets.apply(event(Type.ASSIGNED, id, CUSTOMER, Optional.empty(), TicketStatus.OPEN, T)))
        .isInstanceOf(TicketOutcome.Refused.class);
    assertThat(tickets.apply(event(Type.SOLVED, id, CUSTOMER, Optional.of(AGENT), TicketStatus.OPEN, T)))
        .isInstanceOf(TicketOutcome.Refused.class);
    assertThat(tickets.apply(event(Type.CLOSED, id, CUSTOMER, Optional.of(AGENT), TicketStatus.SOLVED, T)))
        .isInstanceOf(TicketOutcome.Refused.class);
    assertThat(tickets.apply(event(Type.CREATED, id, CUSTOMER, Optional.empty(), TicketStatus.CLOSED, T)))
        .isInstanceOf(TicketOutcome.Refused.class);
    assertThat(tickets.find(id)).isEmpty();
  }

  @Test
  void anyDeliveryOrder_endsInTheStateOfTheNewestEvent() {
    List<TicketEvent> events = List.of(created(0), assigned(1, AGENT), reassigned(2, OTHER_AGENT), reassigned(3, AGENT),
        solved(4), closed(5));
    Random random = new Random(7);
    for (int round = 0; round < 200; round++) {
      InMemoryTicketStore s = new InMemoryTicketStore();
      Tickets t = new Tickets(s);
      List<TicketEvent> shuffled = new ArrayList<>(events);
      Collections.shuffle(shuffled, random);
      shuffled.forEach(t::apply);
      shuffled.forEach(t::apply); // and every one delivered twice
      Ticket end = s.find(id).orElseThrow();
      if (shuffled.indexOf(closed(5)) >= 0) {
        assertThat(end.status()).isEqualTo(TicketStatus.CLOSED);
        assertThat(end.updatedAt()).isEqualTo(T.plusSeconds(5));
      }
    }
  }

  @Test
  void concurrentDeliveries_leaveTheNewestState() throws Exception {
    tickets.apply(created(0));
    List<Callable<TicketOutcome>> tasks = new ArrayList<>();
    for (int i = 1; i <= 16; i++) {
      TicketEvent e = reassigned(i, new StaffId("agent-" + i));
      tasks.add(() -> tickets.apply(e));
    }
    Races.race(tasks);
    assertThat(tickets.find(id).orElseThrow().assignee()).contains(new StaffId("agent-16"));
  }
}
