package dev.custos.access;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The member of staff an access request is for, as the server resolved them from the session and
 * the staff directory just before deciding.
 *
 * @param id who
 * @param roles their roles (may be empty: such a subject sees nothing)
 * @param active false when suspended or otherwise inactive; an inactive subject is always denied
 * @param team their team, if any
 * @param shift when they work, if known (for detection of off-shift activity; access does not depend on it)
 */
public record StaffSubject(StaffId id, Set<Role> roles, boolean active, Optional<String> team, Optional<Shift> shift) {
  public StaffSubject {
    Objects.requireNonNull(id, "staff id");
    Objects.requireNonNull(roles, "roles");
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(shift, "shift");
    roles = Collections.unmodifiableSet(roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles));
  }

  /** A subject without a known shift. */
  public StaffSubject(StaffId id, Set<Role> roles, boolean active, Optional<String> team) {
    this(id, roles, active, team, Optional.empty());
  }

  /** Whether the subject holds {@code role}. */
  public boolean has(Role role) {
    return roles.contains(role);
  }
}
