package dev.custos.detect;

import java.util.Arrays;

/**
 * An open-addressing map from a customer key to a packed long (a last-touch time, possibly with a
 * staff index), forgetting entries older than a horizon when it fills: detection's memory of who
 * touched whom, without boxing on the hot path.
 */
final class TouchTimes {
  static final long ABSENT = Long.MIN_VALUE;
  private long[] keys;
  private long[] values;
  private int size;
  private final long horizonMillis;

  TouchTimes(int capacity, long horizonMillis) {
    int c = Integer.highestOneBit(Math.max(16, capacity) - 1) << 1;
    keys = new long[c];
    values = new long[c];
    this.horizonMillis = horizonMillis;
  }

  /** The value stored for {@code key} (never 0), or {@link #ABSENT}. */
  long get(long key) {
    key = nonZero(key);
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == 0) {
        return ABSENT;
      }
    }
  }

  /** Stores {@code value} for {@code key}; {@code timeOf} extracts an entry's time to forget old ones. */
  void put(long key, long value, long now, TimeOf timeOf) {
    key = nonZero(key);
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (true) {
      long k = keys[i];
      if (k == key) {
        values[i] = value;
        return;
      }
      if (k == 0) {
        break;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    if (++size * 2 > keys.length) {
      rebuild(now, timeOf);
    }
  }

  int size() {
    return size;
  }

  private void rebuild(long now, TimeOf timeOf) {
    long[] oldKeys = keys;
    long[] oldValues = values;
    int live = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0 && now - timeOf.millis(oldValues[i]) <= horizonMillis) {
        live++;
      }
    }
    int capacity = live * 4 > oldKeys.length ? oldKeys.length * 2 : oldKeys.length;
    keys = new long[capacity];
    values = new long[capacity];
    size = 0;
    int mask = capacity - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      long k = oldKeys[j];
      if (k != 0 && now - timeOf.millis(oldValues[j]) <= horizonMillis) {
        int i = mix(k) & mask;
        while (keys[i] != 0) {
          i = (i + 1) & mask;
        }
        keys[i] = k;
        values[i] = oldValues[j];
        size++;
      }
    }
  }

  void clear() {
    Arrays.fill(keys, 0);
    size = 0;
  }

  private static long nonZero(long key) {
    return key == 0 ? 0x9E3779B97F4A7C15L : key;
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  /** How to read the time out of a stored value. */
  @FunctionalInterface
  interface TimeOf {
    long millis(long value);
  }
}
