package dev.custos.store.index;

import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.incident.Access;
import dev.custos.incident.AccessIndex;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Accesses for the index tests, and reading an index back in full. */
final class IndexFixtures {
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  private IndexFixtures() {}

  static Commitment customer(int n) {
    byte[] b = new byte[32];
    b[0] = (byte) (n >>> 24);
    b[1] = (byte) (n >>> 16);
    b[2] = (byte) (n >>> 8);
    b[3] = (byte) n;
    b[31] = 7;
    return Commitment.fromBytes(b);
  }

  static StaffId staff(int n) {
    return new StaffId("agent-" + n);
  }

  static Access access(long index, Instant at, int staff, int customer) {
    return new Access(index, at, staff(staff), "session-" + staff, Action.VIEW, customer(customer), "ticket",
        Optional.of("T-" + (index % 5)), Map.of("email", "partial-email", "name", index % 3 == 0 ? "none" : "initial"));
  }

  static List<Access> byStaff(AccessIndex index, Set<StaffId> staff, Instant from, Instant to) {
    List<Access> out = new ArrayList<>();
    index.byStaff(staff, from, to, out::add);
    return out;
  }

  static List<Access> byCustomer(AccessIndex index, Commitment customer) {
    List<Access> out = new ArrayList<>();
    index.byCustomer(customer, out::add);
    return out;
  }
}
