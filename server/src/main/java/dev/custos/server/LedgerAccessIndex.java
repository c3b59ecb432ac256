package dev.custos.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.AccessBroker;
import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.incident.Access;
import dev.custos.incident.AccessIndex;
import dev.custos.incident.MemoryAccessIndex;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * STAND-IN until the on-disk access index (issue 8, "index" work) is merged: an {@link AccessIndex}
 * held in memory and derived from the ledger itself, read entry by entry from the last checkpoint it
 * covered whenever it is asked (publishing a checkpoint first when durable entries are not yet
 * covered by one). Rebuilt from the whole ledger after each start; fine for the embedded default and
 * the tests, not for 100 million entries. Search results are not indexed: a {@code custos.access/v1}
 * search entry does not name the customers it returned.
 */
final class LedgerAccessIndex implements AccessIndex {
  private final Ledger ledger;
  private final MemoryAccessIndex memory = new MemoryAccessIndex();

  LedgerAccessIndex(Ledger ledger) {
    this.ledger = ledger;
  }

  /** Reads every entry the index does not cover yet. */
  private synchronized void catchUp() {
    try {
      if (ledger.durableSize() > ledger.latestCheckpoint().checkpoint().size()) {
        ledger.publish();
      }
      long size = ledger.latestCheckpoint().checkpoint().size();
      for (long i = memory.coveredSize(); i < size; i++) {
        access(i, ledger.entry(i)).ifPresent(memory::add);
        memory.cover(i + 1);
      }
    } catch (LedgerException e) {
      throw new IllegalStateException("the access index cannot read the ledger: " + e.getMessage(), e);
    }
  }

  /** The access an entry records, if it is a permitted view, reveal or break-glass of a customer. */
  static Optional<Access> access(long index, byte[] entry) {
    JsonNode e;
    try {
      e = Json.MAPPER.readTree(entry);
    } catch (java.io.IOException ex) {
      return Optional.empty();
    }
    if (!AccessBroker.KIND.equals(e.path("kind").asText()) || !"permit".equals(e.path("decision").asText())
        || !e.path("customer").isTextual()) {
      return Optional.empty();
    }
    Action action = null;
    for (Action a : Action.values()) {
      if (a.wireName().equals(e.path("action").asText())) {
        action = a;
      }
    }
    if (action == null || action == Action.SEARCH) {
      return Optional.empty();
    }
    Map<String, String> fields = new LinkedHashMap<>();
    e.path("fields").properties().forEach(f -> fields.put(f.getKey(), f.getValue().asText()));
    JsonNode purpose = e.path("purpose");
    return Optional.of(new Access(index, Instant.parse(e.path("at").asText()), new StaffId(e.path("staff").asText()),
        e.path("session").asText(), action, Commitment.parse(e.path("customer").asText()),
        purpose.path("type").asText("none"),
        purpose.path("id").isTextual() ? Optional.of(purpose.path("id").asText()) : Optional.empty(), fields));
  }

  @Override
  public void byStaff(Set<StaffId> staff, Instant from, Instant to, Consumer<Access> sink) {
    catchUp();
    memory.byStaff(staff, from, to, sink);
  }

  @Override
  public void byCustomer(Commitment customer, Consumer<Access> sink) {
    catchUp();
    memory.byCustomer(customer, sink);
  }

  @Override
  public long distinctCustomers(StaffId staff, Instant from, Instant to) {
    catchUp();
    return memory.distinctCustomers(staff, from, to);
  }

  @Override
  public long distinctCustomers() {
    catchUp();
    return memory.distinctCustomers();
  }

  @Override
  public Set<StaffId> staff() {
    catchUp();
    return memory.staff();
  }

  @Override
  public long coveredSize() {
    catchUp();
    return memory.coveredSize();
  }
}
