package dev.custos.access;

import java.util.regex.Pattern;

/** The shared rule for identifiers that arrive from other systems: short, printable, no spaces. */
final class Ids {
  static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:\\-]{0,63}");

  private Ids() {}

  static String require(String value, String what) {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must be 1-64 characters of letters, digits and . _ : - "
          + "starting with a letter or digit");
    }
    return value;
  }
}
