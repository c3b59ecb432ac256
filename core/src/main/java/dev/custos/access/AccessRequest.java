package dev.custos.access;

import dev.custos.vault.Field;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One request of a member of staff for customer data, with everything the policy needs already
 * resolved (the subject from the session and directory, the ticket or case from the stores, the
 * time of the second factor from the session), so that deciding it is a pure function.
 *
 * @param staff who asks
 * @param action what they ask to do
 * @param customer whose data; null only for {@link Action#SEARCH}
 * @param purpose why
 * @param requestedFields for {@link Action#VIEW}: the fields wanted, empty for every field the
 *     roles may view; for {@link Action#REVEAL}: the fields to reveal (at least one); for
 *     {@link Action#SEARCH}: the one field searched by; ignored for {@link Action#BREAK_GLASS}
 * @param reason the staff member's reason (required for reveal and break-glass)
 * @param mfaAt when the session last proved a second factor
 * @param now the time of the request, from the server's injected clock
 * @param facts the ticket or case the purpose names, as loaded just before deciding
 */
public record AccessRequest(StaffSubject staff, Action action, CustomerId customer, Purpose purpose,
    Set<Field> requestedFields, Optional<String> reason, Optional<Instant> mfaAt, Instant now, PurposeFacts facts) {
  public AccessRequest {
    Objects.requireNonNull(staff, "staff");
    Objects.requireNonNull(action, "action");
    if (customer == null && action != Action.SEARCH) {
      throw new IllegalArgumentException("customer is required for " + action.wireName());
    }
    Objects.requireNonNull(purpose, "purpose");
    requestedFields = Set.copyOf(Objects.requireNonNull(requestedFields, "requestedFields"));
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(mfaAt, "mfaAt");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(facts, "facts");
  }

  /** A view of every field the roles may view, for a ticket, without reason or second factor. */
  public static AccessRequest view(StaffSubject staff, CustomerId customer, Purpose purpose, PurposeFacts facts,
      Instant now) {
    return new AccessRequest(staff, Action.VIEW, customer, purpose, Set.of(), Optional.empty(), Optional.empty(), now,
        facts);
  }

  /** The customer, if any (a search has none). */
  public Optional<CustomerId> customerIfAny() {
    return Optional.ofNullable(customer);
  }
}
