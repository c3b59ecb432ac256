package dev.custos.approval;

import dev.custos.access.CustomerId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the withdrawal policy remembers (PostgreSQL in production): whitelisted addresses, recent
 * withdrawals for velocity, and security changes. Addresses and changes are written when the
 * matching approval request is executed ({@link WithdrawalDesk#recordExecuted}).
 */
public interface WithdrawalStore {
  /** When {@code destination} was whitelisted for {@code account} and {@code asset}, if it was (the first time counts). */
  Optional<Instant> whitelistedAt(CustomerId account, String asset, String destination);

  /** Whitelists {@code destination} at {@code at}; a second whitelisting keeps the first time. */
  void whitelist(CustomerId account, String asset, String destination, Instant at);

  /** The sum of the amounts recorded for {@code account} and {@code asset} at or after {@code since}; zero if none. */
  BigDecimal spentSince(CustomerId account, String asset, Instant since);

  /** Records an amount that counts towards velocity. */
  void recordSpend(CustomerId account, String asset, BigDecimal amount, Instant at);

  /** The security changes of {@code account} at or after {@code since}. */
  List<WithdrawalFacts.SecurityChange> changesSince(CustomerId account, Instant since);

  /** Records a security change of {@code account}. */
  void recordChange(CustomerId account, String kind, Instant at);
}
