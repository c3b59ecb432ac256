package dev.custos.transparency;

import dev.custos.vault.Commitment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Refused requests by customer, derived from the ledger like the access index (which holds only
 * what was shown). Held in memory: refusals are a small share of the entries.
 */
public final class AttemptIndex {
  private final Map<Commitment, List<Attempt>> byCustomer = new HashMap<>();

  /** Adds an attempt, in ledger order. */
  public synchronized void add(Attempt attempt) {
    byCustomer.computeIfAbsent(attempt.customer(), c -> new ArrayList<>()).add(attempt);
  }

  /** Every refused request for {@code customer}'s data, in ledger order. */
  public synchronized void byCustomer(Commitment customer, Consumer<Attempt> sink) {
    byCustomer.getOrDefault(customer, List.of()).forEach(sink);
  }
}
