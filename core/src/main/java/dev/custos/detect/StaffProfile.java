package dev.custos.detect;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.util.Objects;

/**
 * Who a member of staff is for detection: their peer group is everyone with the same team, role and
 * shift, whose pooled behaviour is the prior for a newcomer and the yardstick for everyone.
 *
 * @param id the member of staff
 * @param team their team ("" when none)
 * @param role their main role
 * @param shift the name of their shift pattern (for example {@code emea-day}, {@code night})
 */
public record StaffProfile(StaffId id, String team, Role role, String shift) {
  public StaffProfile {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(shift, "shift");
  }

  /** The peer-group key. */
  String peerGroup() {
    return team + '|' + role.wireName() + '|' + shift;
  }
}
