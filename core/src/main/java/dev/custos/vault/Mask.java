package dev.custos.vault;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a field is shown when it is not revealed. Masks are applied to the decrypted value inside
 * the server, after the access is in the ledger; the masked result is all that leaves.
 */
public enum Mask {
  /** Shown as is. */
  NONE("none"),
  /** Only the last four characters that are letters or digits: {@code •••• 4321}. */
  LAST_4("last-4"),
  /** First character of the local part and the domain: {@code j•••@example.com}. */
  PARTIAL_EMAIL("partial-email"),
  /** The initial of each word: {@code J. D.}. */
  INITIAL("initial"),
  /** Of an address, only its city and country. */
  CITY_AND_COUNTRY("city-and-country"),
  /** Of a date, only its year. */
  YEAR_ONLY("year-only"),
  /** Of an amount, a decade bucket: {@code 1,000–10,000}. */
  RANGE_BUCKET("range-bucket"),
  /** Present but withheld: the field appears with the text {@code [redacted]}. */
  REDACTED("redacted"),
  /** Absent from the view altogether. */
  NOT_SHOWN("not-shown");

  private final String wireName;

  Mask(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in configuration, the API and the ledger. */
  public String wireName() {
    return wireName;
  }

  /** Parses a wire name; the message names the accepted values. */
  public static Mask parse(String text) {
    String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    for (Mask m : values()) {
      if (m.wireName.equals(wanted)) {
        return m;
      }
    }
    throw new IllegalArgumentException("mask must be one of "
        + Arrays.stream(values()).map(Mask::wireName).collect(Collectors.joining(", ")));
  }
}
