package dev.custos.identity;

import dev.custos.access.Role;
import dev.custos.access.Shift;
import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A member of staff as Custos knows them: who, which roles, which team, and whether they are
 * contained. Credentials are kept apart ({@link StaffCredentials}, WebAuthn credentials).
 *
 * @param id the account name they log in with
 * @param displayName a human name for screens and reports (1-100 characters, no control characters)
 * @param roles at least one role
 * @param team the team (peer group for detection and separation of duties); empty when none
 * @param origin whether Custos holds the password ({@link Origin#LOCAL}) or an OIDC provider vouches for them
 * @param status whether they may log in
 * @param statusReason why they were last suspended or restored; empty for a never-changed account
 * @param createdAt when the account was created
 * @param shift when they work, if set ({@code custos staff shift}, {@code PUT /v1/staff/{id}/shift})
 */
public record StaffAccount(StaffId id, String displayName, Set<Role> roles, Optional<String> team,
    Origin origin, StaffStatus status, Optional<String> statusReason, Instant createdAt, Optional<Shift> shift) {

  /** Where the account's first factor lives. */
  public enum Origin {
    LOCAL, OIDC
  }

  public StaffAccount {
    Objects.requireNonNull(id, "id");
    displayName = requireText(displayName, "display name", 100);
    Objects.requireNonNull(roles, "roles");
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("a staff account needs at least one role");
    }
    roles = Set.copyOf(EnumSet.copyOf(roles));
    team = Objects.requireNonNull(team, "team").map(t -> requireText(t, "team", 64));
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(status, "status");
    statusReason = Objects.requireNonNull(statusReason, "statusReason").map(r -> requireText(r, "reason", 500));
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(shift, "shift");
  }

  /** An account without a shift. */
  public StaffAccount(StaffId id, String displayName, Set<Role> roles, Optional<String> team, Origin origin,
      StaffStatus status, Optional<String> statusReason, Instant createdAt) {
    this(id, displayName, roles, team, origin, status, statusReason, createdAt, Optional.empty());
  }

  /** This account with {@code shift} instead of its own. */
  public StaffAccount withShift(Optional<Shift> shift) {
    return new StaffAccount(id, displayName, roles, team, origin, status, statusReason, createdAt, shift);
  }

  /** A new, active account. */
  public static StaffAccount create(StaffId id, String displayName, Set<Role> roles, Optional<String> team,
      Origin origin, Instant createdAt) {
    return new StaffAccount(id, displayName, roles, team, origin, StaffStatus.ACTIVE, Optional.empty(), createdAt);
  }

  public boolean hasRole(Role role) {
    return roles.contains(role);
  }

  public boolean isActive() {
    return status == StaffStatus.ACTIVE;
  }

  /**
   * Checks free text given by a person (a name, a team, a reason): stripped, 1 to {@code max}
   * characters, no control characters.
   *
   * @throws IllegalArgumentException naming {@code what}
   */
  public static String requireText(String text, String what, int max) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty() || t.length() > max) {
      throw new IllegalArgumentException(what + " must be 1-" + max + " characters");
    }
    if (t.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(what + " must not contain control characters");
    }
    return t;
  }
}
