package dev.custos.server;

import dev.custos.access.AccessBroker;
import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;

/** What the customer routes ask containment: whether a person may access customers now, and which search matches to leave out. */
interface CustomerGuard {
  /** Throws the problem to answer (step-up, throttle, contained) when {@code actor} may not access customers now. */
  void admit(AccessBroker.Actor actor);

  /** Whether {@code customer} must not appear in {@code viewer}'s search results (another person's decoy). */
  boolean hides(StaffId viewer, CustomerId customer);

  CustomerGuard OPEN = new CustomerGuard() {
    @Override
    public void admit(AccessBroker.Actor actor) {}

    @Override
    public boolean hides(StaffId viewer, CustomerId customer) {
      return false;
    }
  };
}
