package dev.custos.access;

/**
 * An investigation case: a lead's approved list of customers that its members may see.
 *
 * @param value 1-64 characters: letters, digits and {@code . _ : -}, starting with a letter or digit
 */
public record CaseId(String value) {
  public CaseId {
    Ids.require(value, "case id");
  }

  /** Parses untrusted text; the message of the exception names the field and the rule. */
  public static CaseId parse(String text) {
    return new CaseId(text);
  }

  @Override
  public String toString() {
    return value;
  }
}
