package dev.custos.access;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who approved a case, with the roles they held when approving, so that the policy can check at
 * every decision that the approval came from a lead (support-l2 or security-analyst).
 *
 * @param by the approver
 * @param roles the approver's roles at the time
 * @param at when
 */
public record CaseApproval(StaffId by, Set<Role> roles, Instant at) {
  /** The roles that make a member of staff a lead who may approve cases. */
  public static final Set<Role> LEAD_ROLES = Collections.unmodifiableSet(EnumSet.of(Role.SUPPORT_L2, Role.SECURITY_ANALYST));

  public CaseApproval {
    Objects.requireNonNull(by, "approved by");
    Objects.requireNonNull(roles, "approver roles");
    Objects.requireNonNull(at, "approved at");
    roles = Collections.unmodifiableSet(roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles));
  }

  /** Whether the approver held a lead role. */
  public boolean byLead() {
    for (Role r : roles) {
      if (LEAD_ROLES.contains(r)) {
        return true;
      }
    }
    return false;
  }
}
