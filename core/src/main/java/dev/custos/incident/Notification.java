package dev.custos.incident;

import dev.custos.access.CustomerId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One customer's notification for one incident (at most one per pair, by the store's unique key).
 *
 * @param incident the incident
 * @param customer the customer's commitment (the key, as in the ledger)
 * @param customerId the customer, to read the address from the vault when sending
 * @param state where it stands
 * @param attempts attempts claimed so far
 * @param nextAt when it may be tried (again)
 * @param error the last failure's class ({@code smtp-transient}, {@code smtp-rejected}, {@code no-address},
 *     ...), never a server message (which may quote the address)
 * @param updatedAt the last change
 */
public record Notification(IncidentId incident, Commitment customer, CustomerId customerId, NotificationState state,
    int attempts, Instant nextAt, Optional<String> error, Instant updatedAt) {
  public Notification {
    Objects.requireNonNull(incident, "incident");
    Objects.requireNonNull(customer, "customer");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(nextAt, "nextAt");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts is negative");
    }
  }
}
