package dev.custos.vault;

import java.util.regex.Pattern;

/**
 * The name of one field of a customer record, such as {@code email} or {@code date_of_birth}.
 *
 * @param name 1-64 characters: lower-case letters, digits and {@code _}, starting with a letter
 */
public record Field(String name) implements Comparable<Field> {
  private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  public Field {
    if (name == null || !VALID.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "field name must be 1-64 characters of lower-case letters, digits and _, starting with a letter");
    }
  }

  /** Parses untrusted text; the message of the exception names the rule. */
  public static Field parse(String text) {
    return new Field(text);
  }

  // Written out (not the record's generated ones): fields key every map of the read path.
  @Override
  public boolean equals(Object o) {
    return o == this || o instanceof Field f && name.equals(f.name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public int compareTo(Field other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
