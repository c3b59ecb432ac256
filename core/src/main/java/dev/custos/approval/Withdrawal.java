package dev.custos.approval;

import dev.custos.access.CustomerId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A withdrawal the wallet service asks about.
 *
 * @param account the customer account
 * @param asset the asset, e.g. {@code BTC}: 1-16 upper-case letters and digits
 * @param amount exact, positive, at most 18 decimal places
 * @param destination the address: 1-128 printable characters without spaces
 * @param newDeviceAt when the customer last logged in from a new device, if the wallet service knows
 * @param reference the wallet service's id of the withdrawal, if given (1-64 printable characters)
 */
public record Withdrawal(CustomerId account, String asset, BigDecimal amount, String destination,
    Optional<Instant> newDeviceAt, Optional<String> reference) {
  private static final Pattern ASSET = Pattern.compile("[A-Z0-9]{1,16}");
  private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]{1,128}");
  private static final Pattern REFERENCE = Pattern.compile("[\\x21-\\x7e]{1,64}");

  public Withdrawal {
    Objects.requireNonNull(account, "account");
    if (asset == null || !ASSET.matcher(asset).matches()) {
      throw new IllegalArgumentException("asset must be 1-16 upper-case letters and digits");
    }
    Objects.requireNonNull(amount, "amount");
    if (amount.signum() <= 0 || amount.stripTrailingZeros().scale() > 18) {
      throw new IllegalArgumentException("amount must be positive with at most 18 decimal places");
    }
    if (destination == null || !PRINTABLE.matcher(destination).matches()) {
      throw new IllegalArgumentException("destination must be 1-128 printable characters without spaces");
    }
    Objects.requireNonNull(newDeviceAt, "newDeviceAt");
    Objects.requireNonNull(reference, "reference");
    reference.ifPresent(r -> {
      if (!REFERENCE.matcher(r).matches()) {
        throw new IllegalArgumentException("reference must be 1-64 printable characters without spaces");
      }
    });
  }
}
