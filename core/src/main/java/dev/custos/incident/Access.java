package dev.custos.incident;

import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One customer's data shown to one member of staff, as a {@code custos.access/v1} ledger entry
 * records it: a permitted view, reveal or break-glass of a customer, or a customer among the stubs
 * a permitted search returned. Denied requests showed nothing and are not accesses.
 *
 * @param ledgerIndex the index of the entry that records it
 * @param at the decision time the entry carries
 * @param staff who saw it
 * @param session the session handle (not its secret)
 * @param action view, reveal, search or break-glass
 * @param customer whose data, as the entry's commitment
 * @param purposeType {@code ticket}, {@code case}, {@code break-glass} or {@code none}
 * @param purposeId the ticket or case id, when there is one
 * @param fields field name to the mask it was shown with ({@code none}: shown in clear); for a search
 *     stub, the fields of the stub
 */
public record Access(long ledgerIndex, Instant at, StaffId staff, String session, Action action, Commitment customer,
    String purposeType, Optional<String> purposeId, Map<String, String> fields) {
  public Access {
    if (ledgerIndex < 0) {
      throw new IllegalArgumentException("ledger index is negative");
    }
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(staff, "staff");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(customer, "customer");
    Objects.requireNonNull(purposeType, "purposeType");
    Objects.requireNonNull(purposeId, "purposeId");
    fields = Map.copyOf(fields);
  }

  /** Whether {@code field} was shown in clear. */
  public boolean revealed(String field) {
    return "none".equals(fields.get(field));
  }
}
