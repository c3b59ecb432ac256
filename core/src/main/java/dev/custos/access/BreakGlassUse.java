package dev.custos.access;

import java.time.Instant;
import java.util.Objects;

/**
 * One break-glass access, as queued for review.
 *
 * @param staff who broke the glass
 * @param customer whose data
 * @param reason the reason they gave (already checked by the policy): 1-500 characters
 * @param at when
 */
public record BreakGlassUse(StaffId staff, CustomerId customer, String reason, Instant at) {
  public BreakGlassUse {
    Objects.requireNonNull(staff, "staff");
    Objects.requireNonNull(customer, "customer");
    if (reason == null || reason.isBlank() || reason.length() > 500) {
      throw new IllegalArgumentException("break-glass reason must be 1-500 characters");
    }
    Objects.requireNonNull(at, "at");
  }
}
