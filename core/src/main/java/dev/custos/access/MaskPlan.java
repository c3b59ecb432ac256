package dev.custos.access;

import dev.custos.vault.Field;
import dev.custos.vault.Mask;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which fields a permitted access shows and how each is masked: exactly the fields that appear,
 * none of them {@link Mask#NOT_SHOWN}; {@link Mask#NONE} means unmasked (a revealed field, or a
 * field whose catalogue mask is none). Immutable; the policy builds one per role set ahead of time
 * and hands the same instance to every request.
 */
public final class MaskPlan {
  private final Map<Field, Mask> masks;
  /** {@link #wireNames()}, made on first use (most plans are the policy's, shared by every request). */
  private volatile SortedMap<String, String> wireNames;

  private MaskPlan(Map<Field, Mask> masks) {
    this.masks = masks;
  }

  /** A plan of exactly these fields and masks, in the map's iteration order. */
  public static MaskPlan of(Map<Field, Mask> masks) {
    Map<Field, Mask> copy = new LinkedHashMap<>();
    for (Map.Entry<Field, Mask> e : masks.entrySet()) {
      Field f = Objects.requireNonNull(e.getKey(), "field");
      Mask m = Objects.requireNonNull(e.getValue(), "mask");
      if (m == Mask.NOT_SHOWN) {
        throw new IllegalArgumentException("field " + f + ": a mask plan lists only fields that appear");
      }
      copy.put(f, m);
    }
    return new MaskPlan(Collections.unmodifiableMap(copy));
  }

  /** A plan over {@code masks}, which the caller hands over and MUST NOT change afterwards (no copy: the policy's hot path). */
  static MaskPlan owning(LinkedHashMap<Field, Mask> masks) {
    return new MaskPlan(Collections.unmodifiableMap(masks));
  }

  /** The fields that appear. */
  public Set<Field> fields() {
    return masks.keySet();
  }

  /** How {@code field} is shown: {@link Mask#NOT_SHOWN} when it does not appear. */
  public Mask mask(Field field) {
    return masks.getOrDefault(field, Mask.NOT_SHOWN);
  }

  /** Whether {@code field} appears. */
  public boolean shows(Field field) {
    return masks.containsKey(field);
  }

  /** Whether no field appears. */
  public boolean isEmpty() {
    return masks.isEmpty();
  }

  /**
   * The plan as field name to the mask's wire name, sorted by name: the {@code fields} member of a
   * ledger entry. Unmodifiable.
   */
  public SortedMap<String, String> wireNames() {
    SortedMap<String, String> w = wireNames;
    if (w == null) {
      TreeMap<String, String> names = new TreeMap<>();
      masks.forEach((f, m) -> names.put(f.name(), m.wireName()));
      w = Collections.unmodifiableSortedMap(names);
      wireNames = w;
    }
    return w;
  }

  /** The plan as a map, field to mask, in plan order. */
  public Map<Field, Mask> asMap() {
    return masks;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaskPlan p && p.masks.equals(masks);
  }

  @Override
  public int hashCode() {
    return masks.hashCode();
  }

  @Override
  public String toString() {
    return masks.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue().wireName())
        .collect(Collectors.joining(", ", "MaskPlan[", "]"));
  }
}
