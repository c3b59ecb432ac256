package dev.custos.server;

import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a customer is high-value for detection (VIP tier, or a balance worth at least
 * {@link #BALANCE} in a fiat-like currency), decided from the record as it is stored — through the
 * API, an online import or an offline {@code custos import} alike — so the access path never
 * decrypts a record to know it.
 */
final class HighValue {
  /** A balance worth at least this much (in USD, EUR, GBP, USDT or USDC) makes a customer high-value. */
  static final BigDecimal BALANCE = new BigDecimal("100000");
  private static final Set<String> FIAT_LIKE = Set.of("USD", "EUR", "USDT", "USDC", "GBP");
  private static final Field TIER = new Field("account_tier");
  private static final Field BALANCES = new Field("balances");

  private HighValue() {}

  /** The flag the stored {@code fields} imply; empty when neither tier nor balances changed (the stored flag stands). */
  static Optional<Boolean> of(Map<Field, FieldValue> fields) {
    FieldValue tier = fields.get(TIER);
    FieldValue balances = fields.get(BALANCES);
    if (tier == null && balances == null) {
      return Optional.empty();
    }
    return Optional.of(tier instanceof FieldValue.Text t && t.value().equalsIgnoreCase("vip") || highBalance(balances));
  }

  private static boolean highBalance(FieldValue balances) {
    if (!(balances instanceof FieldValue.Entries entries)) {
      return false;
    }
    for (Map.Entry<String, FieldValue> b : entries.values().entrySet()) {
      if (FIAT_LIKE.contains(b.getKey().toUpperCase(Locale.ROOT)) && b.getValue() instanceof FieldValue.Text t) {
        try {
          if (new BigDecimal(t.value().strip()).compareTo(BALANCE) >= 0) {
            return true;
          }
        } catch (NumberFormatException e) {
          // not a number: not evidence of a high balance
        }
      }
    }
    return false;
  }
}
