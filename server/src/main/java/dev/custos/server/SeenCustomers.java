package dev.custos.server;

import dev.custos.access.AccessEvent;
import dev.custos.access.CustomerId;
import dev.custos.incident.CustomerDirectory;
import dev.custos.vault.Commitment;
import dev.custos.vault.Vault;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * STAND-IN until the index work's directory is merged: a {@link CustomerDirectory} that knows the
 * customers whose data was shown since this process started (from the in-process access bus, which
 * names customers by id). The bus subscriber only queues the id (it runs on the request's thread);
 * commitments are computed from the vault when a lookup needs them. An erased customer no longer
 * resolves (the vault has no commitment for them). Customers accessed before this start do not
 * resolve either: the real directory fixes that.
 */
final class SeenCustomers implements CustomerDirectory {
  private final Vault vault;
  private final Queue<CustomerId> arrived = new ConcurrentLinkedQueue<>();
  private final Set<CustomerId> known = ConcurrentHashMap.newKeySet();
  private final Map<Commitment, CustomerId> byCommitment = new ConcurrentHashMap<>();

  SeenCustomers(Vault vault) {
    this.vault = vault;
  }

  /** The access-bus subscriber: never blocks. */
  void onAccess(AccessEvent event) {
    if ("permit".equals(event.decision()) && event.customer().isPresent()) {
      arrived.add(event.customer().get());
    }
  }

  private synchronized void drain() {
    CustomerId c;
    while ((c = arrived.poll()) != null) {
      if (known.add(c)) {
        CustomerId id = c;
        vault.commitment(c).ifPresent(k -> byCommitment.put(k, id));
      }
    }
  }

  @Override
  public Optional<CustomerId> resolve(Commitment commitment) {
    drain();
    CustomerId c = byCommitment.get(commitment);
    // Erased since: the vault no longer has a commitment for them.
    return c != null && vault.commitment(c).filter(commitment::equals).isPresent() ? Optional.of(c) : Optional.empty();
  }

  @Override
  public Optional<Commitment> commitment(CustomerId customer) {
    return vault.commitment(customer);
  }
}
