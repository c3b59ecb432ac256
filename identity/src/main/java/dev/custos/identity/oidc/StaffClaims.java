package dev.custos.identity.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.oidc.OidcOutcome.Reason;
import java.text.ParseException;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the claims of a validated ID token into a member of staff with roles, or a refusal: the
 * multi-factor proof ({@code amr}/{@code acr}), the username claim as a {@link StaffId}, and the
 * groups claim through the group-to-roles map. Claims of an unexpected type count as absent.
 */
final class StaffClaims {
  private final OidcSettings settings;

  StaffClaims(OidcSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  OidcOutcome map(JWTClaimsSet claims) {
    List<String> amr = strings(claims.getClaim("amr"));
    Optional<String> acr = string(claims.getClaim("acr"));
    if (settings.mfaRequired()
        && amr.stream().noneMatch(settings.requiredAmr()::contains)
        && acr.filter(settings.requiredAcr()::contains).isEmpty()) {
      return new OidcOutcome.Refused(Reason.MFA_MISSING);
    }
    Optional<StaffId> staff = string(claims.getClaim(settings.usernameClaim())).flatMap(StaffClaims::staffId);
    if (staff.isEmpty()) {
      return new OidcOutcome.Refused(Reason.NO_USERNAME);
    }
    List<String> groups = strings(claims.getClaim(settings.groupsClaim()));
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String group : groups) {
      roles.addAll(settings.groupRoles().getOrDefault(group, Set.of()));
    }
    if (roles.isEmpty()) {
      return new OidcOutcome.Refused(Reason.NO_ROLES);
    }
    return new OidcOutcome.Authenticated(staff.get(), claims.getIssuer(), claims.getSubject(),
        string(claims.getClaim("email")), string(claims.getClaim("name")), roles, groups, amr, acr, authTime(claims));
  }

  private static Optional<StaffId> staffId(String text) {
    try {
      return Optional.of(StaffId.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> string(Object value) {
    return value instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /** A JSON array of strings (other elements skipped), or a single string as a one-element list; anything else is empty. */
  private static List<String> strings(Object value) {
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof Collection<?> c) {
      return c.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return List.of();
  }

  private static Optional<Instant> authTime(JWTClaimsSet claims) {
    try {
      return Optional.ofNullable(claims.getDateClaim("auth_time")).map(Date::toInstant);
    } catch (ParseException e) {
      return Optional.empty();
    }
  }
}
