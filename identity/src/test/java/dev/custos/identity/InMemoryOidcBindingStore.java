package dev.custos.identity;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A fake {@link OidcBindingStore}; the PostgreSQL one extends {@link OidcBindingStoreContract} in {@code store}. */
final class InMemoryOidcBindingStore implements OidcBindingStore {
  private record Pair(String issuer, String subject) {}

  private final Map<Pair, StaffId> byPair = new HashMap<>();
  private final Map<StaffId, Pair> byStaff = new HashMap<>();
  volatile boolean failing;

  @Override
  public synchronized Binding bind(String issuer, String subject, StaffId staff, Instant at) {
    OidcBindingStore.requireValid(issuer, subject);
    check();
    Pair pair = new Pair(issuer, subject);
    StaffId bound = byPair.get(pair);
    if (bound != null) {
      return bound.equals(staff) ? Binding.CONFIRMED : Binding.SUBJECT_BOUND_TO_OTHER_STAFF;
    }
    if (byStaff.containsKey(staff)) {
      return Binding.STAFF_BOUND_TO_OTHER_SUBJECT;
    }
    byPair.put(pair, staff);
    byStaff.put(staff, pair);
    return Binding.CREATED;
  }

  @Override
  public synchronized Optional<StaffId> find(String issuer, String subject) {
    check();
    return Optional.ofNullable(byPair.get(new Pair(issuer, subject)));
  }

  private void check() {
    if (failing) {
      throw new IllegalStateException("store down");
    }
  }
}
