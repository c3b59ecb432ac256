package dev.custos.approval;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What Custos knows about an account when a withdrawal is evaluated.
 *
 * @param whitelistedAt when the destination was whitelisted for the account and asset, if it was
 * @param spentInWindow the sum of the account's withdrawals of the asset in the velocity window (allowed or sent for approval)
 * @param securityChanges the account's recent security changes (2FA reset, e-mail or phone change, new device)
 * @param inOpenIncident whether the customer is in the scope of an open incident
 * @param lastStaffContained whether the staff member who last touched the account is contained
 */
public record WithdrawalFacts(Optional<Instant> whitelistedAt, BigDecimal spentInWindow,
    List<SecurityChange> securityChanges, boolean inOpenIncident, boolean lastStaffContained) {
  public WithdrawalFacts {
    Objects.requireNonNull(whitelistedAt, "whitelistedAt");
    Objects.requireNonNull(spentInWindow, "spentInWindow");
    securityChanges = List.copyOf(securityChanges);
  }

  /** A change to how an account is secured, at a time. */
  public record SecurityChange(String kind, Instant at) {
    public SecurityChange {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(at, "at");
    }
  }
}
