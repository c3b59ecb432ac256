package dev.custos.vault;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The value of one field: text, a list of values (withdrawal addresses, recent logins) or named
 * parts (an address: line1, city, postcode, country). The shape of JSON without numbers, booleans or
 * null, which the vault never needs: amounts are decimal text so that no precision is lost.
 *
 * <p>Values are not secrets by type (a masked value is a {@code FieldValue} too), so their
 * {@code toString} is redacted anyway: a value printed by accident into a log shows only its shape.
 */
public sealed interface FieldValue permits FieldValue.Text, FieldValue.Items, FieldValue.Entries {
  /** Largest text accepted in one value, in UTF-16 code units. */
  int MAX_TEXT = 4096;
  /** Largest number of items or entries in one value. */
  int MAX_PARTS = 256;

  /** Text. */
  record Text(String value) implements FieldValue {
    public Text {
      Objects.requireNonNull(value, "value");
      if (value.length() > MAX_TEXT) {
        throw new IllegalArgumentException("a text value is limited to " + MAX_TEXT + " characters");
      }
    }

    @Override
    public String toString() {
      return "Text[" + value.length() + " chars]";
    }
  }

  /** An ordered list of values. */
  record Items(List<FieldValue> values) implements FieldValue {
    public Items {
      values = List.copyOf(values);
      if (values.size() > MAX_PARTS) {
        throw new IllegalArgumentException("a list value is limited to " + MAX_PARTS + " items");
      }
    }

    @Override
    public String toString() {
      return "Items[" + values.size() + "]";
    }
  }

  /** Named parts, kept in name order so that equal values encode equally. */
  record Entries(SortedMap<String, FieldValue> values) implements FieldValue {
    public Entries {
      values = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(values));
      if (values.size() > MAX_PARTS) {
        throw new IllegalArgumentException("a value is limited to " + MAX_PARTS + " named parts");
      }
      for (String name : values.keySet()) {
        if (name.isEmpty() || name.length() > 64) {
          throw new IllegalArgumentException("a part name must be 1-64 characters");
        }
      }
    }

    /** Named parts from any map. */
    public static Entries of(Map<String, FieldValue> values) {
      return new Entries(new TreeMap<>(values));
    }

    @Override
    public String toString() {
      return "Entries" + values.keySet();
    }
  }

  /** A text value. */
  static FieldValue text(String value) {
    return new Text(value);
  }
}
