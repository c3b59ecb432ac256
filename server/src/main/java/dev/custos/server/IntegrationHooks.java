package dev.custos.server;

import dev.custos.access.CustomerId;
import dev.custos.access.TicketEvent;
import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import java.util.Map;

/** What the integration routes tell detection: tickets that must be ignored or were applied, customers stored. */
interface IntegrationHooks {
  /** Whether the ticket must be recorded but not applied (it names a decoy). */
  boolean ignoresTicket(TicketEvent event);

  /** A ticket change was applied. */
  void ticketApplied(TicketEvent event);

  /** A customer's record was stored with these given fields. */
  void customerStored(CustomerId customer, Map<Field, FieldValue> fields);

  IntegrationHooks NONE = new IntegrationHooks() {
    @Override
    public boolean ignoresTicket(TicketEvent event) {
      return false;
    }

    @Override
    public void ticketApplied(TicketEvent event) {}

    @Override
    public void customerStored(CustomerId customer, Map<Field, FieldValue> fields) {}
  };
}
