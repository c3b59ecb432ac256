package dev.custos.approval;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One approval of one request, bound to the request's binding hash at the time.
 *
 * @param staff the account that approved
 * @param person the human behind the account ({@link Participant#person()}): quorum counts people
 * @param roles the approver's roles at the time
 * @param at when
 * @param bindingHash the hash of the request the approver saw
 */
public record Approval(StaffId staff, String person, Set<Role> roles, Instant at, String bindingHash) {
  public Approval {
    Objects.requireNonNull(staff, "staff");
    Objects.requireNonNull(person, "person");
    roles = Collections.unmodifiableSet(roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles));
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(bindingHash, "bindingHash");
  }
}
