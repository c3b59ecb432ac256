package dev.custos.approval;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The configuration of the withdrawal policy: limits per asset, and the windows of the other rules.
 *
 * @param assets the limits of each asset the wallet service may ask about; any other asset is blocked
 * @param velocityWindow the window over which an account's withdrawals of one asset are summed
 * @param whitelistMinAge how long a whitelisted address waits before withdrawals to it are allowed
 * @param securityChangeHold how long withdrawals are held after a 2FA reset, e-mail or phone change or a new device
 * @param containmentHold how long withdrawals are held when the last staff member who touched the account is contained
 */
public record WithdrawalRules(Map<String, AssetLimits> assets, Duration velocityWindow, Duration whitelistMinAge,
    Duration securityChangeHold, Duration containmentHold) {

  /**
   * Limits of one asset; amounts exact.
   *
   * @param approvalAbove a single withdrawal above this needs approval
   * @param blockAbove a single withdrawal above this is blocked; at least {@code approvalAbove}
   * @param velocityLimit withdrawals in the window above this sum need approval
   */
  public record AssetLimits(BigDecimal approvalAbove, BigDecimal blockAbove, BigDecimal velocityLimit) {
    public AssetLimits {
      if (approvalAbove == null || approvalAbove.signum() < 0 || blockAbove == null
          || blockAbove.compareTo(approvalAbove) < 0 || velocityLimit == null || velocityLimit.signum() < 0) {
        throw new IllegalArgumentException("asset limits must be non-negative with block-above >= approval-above");
      }
    }
  }

  public WithdrawalRules {
    assets = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(assets, "assets")));
    for (Duration d : new Duration[] {velocityWindow, whitelistMinAge, securityChangeHold, containmentHold}) {
      if (d == null || d.isNegative() || d.compareTo(Duration.ofDays(30)) > 0) {
        throw new IllegalArgumentException("withdrawal rule windows must be 0 to 30 days");
      }
    }
    if (velocityWindow.isZero()) {
      throw new IllegalArgumentException("the velocity window must be longer than nothing");
    }
  }

  /** Defaults for BTC, ETH and USDT; 24 h windows, whitelisted addresses usable after 48 h. */
  public static WithdrawalRules defaults() {
    return new WithdrawalRules(Map.of(
        "BTC", new AssetLimits(new BigDecimal("1"), new BigDecimal("50"), new BigDecimal("2")),
        "ETH", new AssetLimits(new BigDecimal("20"), new BigDecimal("1000"), new BigDecimal("40")),
        "USDT", new AssetLimits(new BigDecimal("50000"), new BigDecimal("2000000"), new BigDecimal("100000"))),
        Duration.ofHours(24), Duration.ofHours(48), Duration.ofHours(24), Duration.ofHours(24));
  }

  /** The limits of {@code asset}, if it is configured. */
  public Optional<AssetLimits> limits(String asset) {
    return Optional.ofNullable(assets.get(asset));
  }
}
