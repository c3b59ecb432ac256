package dev.custos.vault;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How sensitive a field is, from least to most. The order is meaningful: detection weighs reveals
 * by it, and incident scoping counts exposure by it.
 */
public enum Classification {
  /** Harmless alone (account status). */
  PUBLIC,
  /** Operational detail staff need to work a ticket (tier, 2FA method, KYC status). */
  INTERNAL,
  /** Personal data whose leak enables phishing (name, e-mail, phone, address). */
  CONFIDENTIAL,
  /** Identity and financial identifiers (government id, tax id, bank account, document images). */
  RESTRICTED,
  /** What enables targeting or theft outright (balances, withdrawal addresses, login history). */
  SECRET;

  /** The lower-case name used in configuration, the API and the ledger. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; the message names the accepted values. */
  public static Classification parse(String text) {
    String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    for (Classification c : values()) {
      if (c.wireName().equals(wanted)) {
        return c;
      }
    }
    throw new IllegalArgumentException("classification must be one of "
        + Arrays.stream(values()).map(Classification::wireName).collect(Collectors.joining(", ")));
  }
}
