package dev.custos.approval;

import dev.custos.access.Role;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How one sensitive action is approved.
 *
 * @param action the action
 * @param required how many distinct people must approve (m), 1-{@value #MAX_REQUIRED}
 * @param approverRoles an approver holds at least one of these (n is everyone who does); not empty
 * @param approverTeams when not empty, an approver belongs to one of these teams (groups)
 * @param distinctTeam whether an approver MUST NOT be in the requester's team
 * @param expiry how long a request waits for its quorum before it expires; 1 minute to 30 days
 * @param timeLock how long an approved request waits before it is executed; 0 to 30 days
 * @param notifyCustomer whether the customer is told when the time-lock starts (and may cancel)
 */
public record ActionPolicy(SensitiveAction action, int required, Set<Role> approverRoles, Set<String> approverTeams,
    boolean distinctTeam, Duration expiry, Duration timeLock, boolean notifyCustomer) {
  public static final int MAX_REQUIRED = 10;
  private static final Duration MAX_WAIT = Duration.ofDays(30);
  private static final Pattern TEAM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._:-]{0,63}");

  public ActionPolicy {
    Objects.requireNonNull(action, "action");
    String at = "approvals." + action.wireName() + ".";
    if (required < 1 || required > MAX_REQUIRED) {
      throw new IllegalArgumentException(at + "required must be 1 to " + MAX_REQUIRED + ", was " + required);
    }
    Objects.requireNonNull(approverRoles, at + "roles");
    if (approverRoles.isEmpty()) {
      throw new IllegalArgumentException(at + "roles must name at least one role");
    }
    approverRoles = Collections.unmodifiableSet(EnumSet.copyOf(approverRoles));
    approverTeams = Set.copyOf(Objects.requireNonNull(approverTeams, at + "teams"));
    for (String t : approverTeams) {
      if (!TEAM.matcher(t).matches()) {
        throw new IllegalArgumentException(at + "teams: '" + t + "' is not a team name");
      }
    }
    Objects.requireNonNull(expiry, at + "expiry");
    if (expiry.compareTo(Duration.ofMinutes(1)) < 0 || expiry.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException(at + "expiry must be 1 minute to 30 days, was " + expiry);
    }
    Objects.requireNonNull(timeLock, at + "time-lock");
    if (timeLock.isNegative() || timeLock.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException(at + "time-lock must be 0 to 30 days, was " + timeLock);
    }
    if (notifyCustomer && !action.aboutCustomer()) {
      throw new IllegalArgumentException(at + "notify-customer is only for actions about a customer");
    }
  }
}
