package dev.custos.detect;

import java.util.Locale;

/** How security closed an alert: whether the person really did what the detector suspected. */
public enum AlertVerdict {
  /** The behaviour was what the alert said: an insider, a stolen session, a policy breach. */
  TRUE_POSITIVE,
  /** The detector was wrong: the behaviour was not what it looked like. */
  FALSE_POSITIVE,
  /** Real and unusual, but legitimate (an incident day, a sanctioned sweep). */
  BENIGN;

  /** The name used in the API and the ledger ({@code true-positive}, …). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The verdict named {@code text} in wire form; refuses anything else, listing what is allowed. */
  public static AlertVerdict parse(String text) {
    for (AlertVerdict v : values()) {
      if (v.wireName().equals(text)) {
        return v;
      }
    }
    throw new IllegalArgumentException("must be one of true-positive, false-positive, benign");
  }
}
