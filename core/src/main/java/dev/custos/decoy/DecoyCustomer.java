package dev.custos.decoy;

import dev.custos.access.CustomerId;
import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One decoy: an id and a value for every field of the catalogue it was generated for, shaped like
 * a real record. Not a record type: its {@code toString} must not print the values.
 */
public final class DecoyCustomer {
  private final int index;
  private final CustomerId id;
  private final Map<Field, FieldValue> fields;

  DecoyCustomer(int index, CustomerId id, Map<Field, FieldValue> fields) {
    this.index = index;
    this.id = Objects.requireNonNull(id, "id");
    this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** Its position in the generated list (0-based). */
  public int index() {
    return index;
  }

  /** Its customer id, in the exchange's id shape. */
  public CustomerId id() {
    return id;
  }

  /** Its fields, in catalogue order. */
  public Map<Field, FieldValue> fields() {
    return fields;
  }

  /** Whether the decoy counts as high-value (VIP tier), as detection's facts would say of a real customer. */
  public boolean highValue() {
    FieldValue tier = fields.get(new Field("account_tier"));
    return tier instanceof FieldValue.Text t && t.value().equals("vip");
  }

  @Override
  public String toString() {
    return "DecoyCustomer[" + index + ", " + fields.size() + " fields]";
  }
}
