package dev.custos.access;

import static dev.custos.access.AccessFixtures.CUSTOMER;
import static dev.custos.access.AccessFixtures.T;
import static dev.custos.access.AccessFixtures.freshStaff;
import static dev.custos.access.AccessFixtures.freshTicket;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link TicketStore} must have; fresh ids, so a shared database needs no cleanup. */
public abstract class TicketStoreContract {
  /** A store; every call during one test MUST return an instance over the same state. */
  protected abstract TicketStore instance();

  private static Ticket v(Ticket t, long version, long seconds, TicketStatus status, Optional<StaffId> assignee) {
    return new Ticket(t.id(), t.requester(), assignee, status, t.channel(), t.category(), t.createdByStaff(),
        T.plusSeconds(seconds), version);
  }

  @Test
  public void newTicket_isStored_andReadBackEqual() {
    Ticket t = new Ticket(freshTicket(), CUSTOMER, Optional.empty(), TicketStatus.NEW, "chat", "kyc.documents", true, T, 1);
    assertThat(instance().upsertIfNewer(t)).isTrue();
    assertThat(instance().find(t.id())).contains(t);
    assertThat(instance().find(freshTicket())).isEmpty();
  }

  @Test
  public void firstVersionAgain_isRefused() {
    Ticket t = AccessFixtures.openTicket(freshTicket(), CUSTOMER, freshStaff());
    instance().upsertIfNewer(t);
    assertThat(instance().upsertIfNewer(v(t, 1, 5, TicketStatus.SOLVED, t.assignee()))).isFalse();
    assertThat(instance().find(t.id())).contains(t);
  }

  @Test
  public void nextVersion_laterInTime_replacesIt() {
    Ticket t = AccessFixtures.openTicket(freshTicket(), CUSTOMER, freshStaff());
    instance().upsertIfNewer(t);
    Ticket next = v(t, 2, 5, TicketStatus.PENDING, Optional.of(freshStaff()));
    assertThat(instance().upsertIfNewer(next)).isTrue();
    assertThat(instance().find(t.id())).contains(next);
  }

  @Test
  public void olderOrSameTime_sameVersion_orSkippedVersion_isRefused() {
    Ticket t = v(AccessFixtures.openTicket(freshTicket(), CUSTOMER, freshStaff()), 1, 100, TicketStatus.OPEN,
        Optional.of(freshStaff()));
    instance().upsertIfNewer(t);
    assertThat(instance().upsertIfNewer(v(t, 2, 100, TicketStatus.SOLVED, t.assignee()))).as("same time").isFalse();
    assertThat(instance().upsertIfNewer(v(t, 2, 50, TicketStatus.SOLVED, t.assignee()))).as("older").isFalse();
    assertThat(instance().upsertIfNewer(v(t, 3, 200, TicketStatus.SOLVED, t.assignee()))).as("skipped").isFalse();
    assertThat(instance().find(t.id())).contains(t);
  }

  @Test
  public void closedTicket_neverChangesAgain() {
    Ticket t = AccessFixtures.openTicket(freshTicket(), CUSTOMER, freshStaff());
    instance().upsertIfNewer(t);
    Ticket closed = v(t, 2, 10, TicketStatus.CLOSED, t.assignee());
    instance().upsertIfNewer(closed);

    assertThat(instance().upsertIfNewer(v(t, 3, 20, TicketStatus.OPEN, t.assignee()))).isFalse();
    assertThat(instance().find(t.id())).contains(closed);
  }

  @Test
  public void openTicketsAssignedTo_listsOnlyOpenOnesOfThatStaff_newestFirst() {
    StaffId me = freshStaff();
    Ticket a = v(AccessFixtures.openTicket(freshTicket(), CUSTOMER, me), 1, 1, TicketStatus.OPEN, Optional.of(me));
    Ticket b = v(AccessFixtures.openTicket(freshTicket(), CUSTOMER, me), 1, 2, TicketStatus.ON_HOLD, Optional.of(me));
    Ticket solved = v(AccessFixtures.openTicket(freshTicket(), CUSTOMER, me), 1, 3, TicketStatus.SOLVED, Optional.of(me));
    Ticket theirs = AccessFixtures.openTicket(freshTicket(), CUSTOMER, freshStaff());
    for (Ticket t : List.of(a, b, solved, theirs)) {
      instance().upsertIfNewer(t);
    }
    assertThat(instance().openTicketsAssignedTo(me)).containsExactly(b, a);
  }

  @Test
  public void racingWritersOfOneVersion_exactlyOneWins() throws Exception {
    Ticket t = AccessFixtures.openTicket(freshTicket(), CUSTOMER, freshStaff());
    instance().upsertIfNewer(t);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      TicketStore store = instance();
      Ticket next = v(t, 2, 10 + i, TicketStatus.OPEN, Optional.of(freshStaff()));
      tasks.add(() -> store.upsertIfNewer(next));
    }
    assertThat(Races.race(tasks)).filteredOn(Boolean::booleanValue).hasSize(1);
    assertThat(instance().find(t.id()).orElseThrow().version()).isEqualTo(2);
  }
}
