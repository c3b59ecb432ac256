package dev.custos.vault;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How the live customers' keys stand, for {@code custos keys status} and the rotation's metrics.
 *
 * @param byKek per key-encryption-key id, the live customers whose data keyset it wraps
 * @param rotating live customers with a data-key rotation under way
 * @param keysMadeBefore live customers, not rotating, whose primary data key was made before the
 *     cutoff asked about
 */
public record KeyCensus(Map<Integer, Long> byKek, long rotating, long keysMadeBefore) {
  public KeyCensus {
    byKek = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(byKek, "byKek")));
    if (rotating < 0 || keysMadeBefore < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }

  /** Live customers in all. */
  public long customers() {
    return byKek.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Live customers whose keyset is wrapped by a KEK other than {@code primary}: what a rewrap has left to do. */
  public long wrappedByOtherThan(int primary) {
    return byKek.entrySet().stream().filter(e -> e.getKey() != primary).mapToLong(Map.Entry::getValue).sum();
  }
}
