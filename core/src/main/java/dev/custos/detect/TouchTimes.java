package dev.custos.detect;

import java.util.Arrays;

/**
 * An open-addressing map from a customer key to a packed long (a last-touch time, possibly with a
 * staff index), forgetting entries older than a horizon when it fills: detection's memory of who
 * touched whom, without boxing on the hot path. Each slot's key and value sit side by side in one
 * array, so a lookup costs one cache line, and {@link #put} answers the value it replaced, so that
 * reading and updating a customer is one probe.
 */
final class TouchTimes {
  static final long ABSENT = Long.MIN_VALUE;
  /** Slot {@code i} is {@code slots[2i]} (the key, 0 when empty) and {@code slots[2i + 1]} (its value). */
  private long[] slots;
  private int size;
  private final long horizonMillis;

  TouchTimes(int capacity, long horizonMillis) {
    int c = Integer.highestOneBit(Math.max(16, capacity) - 1) << 1;
    slots = new long[2 * c];
    this.horizonMillis = horizonMillis;
  }

  /** The value stored for {@code key} (never 0), or {@link #ABSENT}. */
  long get(long key) {
    key = nonZero(key);
    long[] s = slots;
    int mask = (s.length >>> 1) - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      long k = s[2 * i];
      if (k == key) {
        return s[2 * i + 1];
      }
      if (k == 0) {
        return ABSENT;
      }
    }
  }

  /**
   * Stores {@code value} for {@code key} and answers the value it replaced, or {@link #ABSENT};
   * {@code timeOf} extracts an entry's time to forget old ones.
   */
  long put(long key, long value, long now, TimeOf timeOf) {
    key = nonZero(key);
    long[] s = slots;
    int mask = (s.length >>> 1) - 1;
    int i = mix(key) & mask;
    while (true) {
      long k = s[2 * i];
      if (k == key) {
        long before = s[2 * i + 1];
        s[2 * i + 1] = value;
        return before;
      }
      if (k == 0) {
        break;
      }
      i = (i + 1) & mask;
    }
    s[2 * i] = key;
    s[2 * i + 1] = value;
    if (++size * 2 > (s.length >>> 1)) {
      rebuild(now, timeOf);
    }
    return ABSENT;
  }

  int size() {
    return size;
  }

  private void rebuild(long now, TimeOf timeOf) {
    long[] old = slots;
    int oldCapacity = old.length >>> 1;
    int live = 0;
    for (int j = 0; j < oldCapacity; j++) {
      if (old[2 * j] != 0 && now - timeOf.millis(old[2 * j + 1]) <= horizonMillis) {
        live++;
      }
    }
    int capacity = live * 4 > oldCapacity ? oldCapacity * 2 : oldCapacity;
    long[] s = new long[2 * capacity];
    size = 0;
    int mask = capacity - 1;
    for (int j = 0; j < oldCapacity; j++) {
      long k = old[2 * j];
      if (k != 0 && now - timeOf.millis(old[2 * j + 1]) <= horizonMillis) {
        int i = mix(k) & mask;
        while (s[2 * i] != 0) {
          i = (i + 1) & mask;
        }
        s[2 * i] = k;
        s[2 * i + 1] = old[2 * j + 1];
        size++;
      }
    }
    slots = s;
  }

  void clear() {
    Arrays.fill(slots, 0);
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
