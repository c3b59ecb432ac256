package dev.custos.transparency;

import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A refused request for one customer's data, as its {@code custos.access/v1} entry records it
 * ({@code decision: deny}): nothing was shown, but the customer may want to know someone tried.
 *
 * @param reason the deny reason's wire name
 */
public record Attempt(long ledgerIndex, Instant at, StaffId staff, Action action, Commitment customer,
    String purposeType, Optional<String> purposeId, String reason) {
  public Attempt {
    if (ledgerIndex < 0) {
      throw new IllegalArgumentException("ledger index is negative");
    }
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(staff, "staff");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(customer, "customer");
    Objects.requireNonNull(purposeType, "purposeType");
    Objects.requireNonNull(purposeId, "purposeId");
    Objects.requireNonNull(reason, "reason");
  }
}
