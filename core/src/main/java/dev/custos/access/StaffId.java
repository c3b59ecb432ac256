package dev.custos.access;

/**
 * A member of the exchange's staff (support agent, KYC reviewer, analyst, operator).
 *
 * @param value 1-64 characters: letters, digits and {@code . _ : -}, starting with a letter or digit
 */
public record StaffId(String value) {
  public StaffId {
    Ids.require(value, "staff id");
  }

  /** Parses untrusted text; the message of the exception names the field and the rule. */
  public static StaffId parse(String text) {
    return new StaffId(text);
  }

  @Override
  public String toString() {
    return value;
  }
}
