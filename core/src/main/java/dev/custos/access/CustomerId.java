package dev.custos.access;

/**
 * A customer of the exchange, as the exchange's backend identifies them. Not PII by itself, but it never appears in the ledger in clear (customers appear there as commitments).
 *
 * @param value 1-64 characters: letters, digits and {@code . _ : -}, starting with a letter or digit
 */
public record CustomerId(String value) {
  public CustomerId {
    Ids.require(value, "customer id");
  }

  /** Parses untrusted text; the message of the exception names the field and the rule. */
  public static CustomerId parse(String text) {
    return new CustomerId(text);
  }

  @Override
  public String toString() {
    return value;
  }
}
