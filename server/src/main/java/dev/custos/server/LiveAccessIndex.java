package dev.custos.server;

import dev.custos.access.StaffId;
import dev.custos.incident.Access;
import dev.custos.incident.AccessIndex;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The on-disk access index as the incident paths ask it (scope, attribution, notifications, the
 * customer's access log): each question first publishes a checkpoint when durable entries are not
 * yet covered by one, and catches the index up with it, so an answer includes every access made
 * before it was asked. The background catch-up (every second) serves paths that may lag that much.
 */
final class LiveAccessIndex implements AccessIndex {
  private final Ledger ledger;
  private final AccessIndexing indexing;

  LiveAccessIndex(Ledger ledger, AccessIndexing indexing) {
    this.ledger = ledger;
    this.indexing = indexing;
  }

  /** Publishes what is durable but unsigned, then indexes up to the checkpoint. */
  void catchUp() {
    try {
      if (ledger.durableSize() > ledger.latestCheckpoint().checkpoint().size()) {
        ledger.publish();
      }
      indexing.catchUp();
    } catch (LedgerException e) {
      throw new IllegalStateException("the access index cannot catch up with the ledger: " + e.getMessage(), e);
    }
  }

  @Override
  public void byStaff(Set<StaffId> staff, Instant from, Instant to, Consumer<Access> sink) {
    catchUp();
    indexing.index().byStaff(staff, from, to, sink);
  }

  @Override
  public void byCustomer(Commitment customer, Consumer<Access> sink) {
    catchUp();
    indexing.index().byCustomer(customer, sink);
  }

  @Override
  public long distinctCustomers(StaffId staff, Instant from, Instant to) {
    catchUp();
    return indexing.index().distinctCustomers(staff, from, to);
  }

  @Override
  public long distinctCustomers() {
    catchUp();
    return indexing.index().distinctCustomers();
  }

  @Override
  public Set<StaffId> staff() {
    catchUp();
    return indexing.index().staff();
  }

  @Override
  public long coveredSize() {
    return indexing.index().coveredSize();
  }
}
