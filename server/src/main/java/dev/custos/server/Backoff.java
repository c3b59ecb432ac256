package dev.custos.server;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long a delivery waits before its next attempt: exponential back-off from {@code first},
 * doubling up to {@code cap}, with "equal jitter" (a uniform wait between half the step and the
 * step), so that many senders recovering together spread out; at most {@code attempts} attempts.
 *
 * @param first the wait after the first failed attempt (before jitter)
 * @param cap the longest wait
 * @param attempts attempts in all, the first included (1 to 100)
 */
record Backoff(Duration first, Duration cap, int attempts) {
  /** Ten attempts over about 20 minutes at worst: 1 s, 2 s, 4 s ... capped at 5 minutes. */
  static final Backoff DELIVERY = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), 10);

  Backoff {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(cap, "cap");
    if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
      throw new IllegalArgumentException("back-off needs 0 < first <= cap, was first=" + first + ", cap=" + cap);
    }
    if (attempts < 1 || attempts > 100) {
      throw new IllegalArgumentException("attempts must be 1..100, was " + attempts);
    }
  }

  /** The wait after failed attempt number {@code failed} (1 for the first), between half the step and the step. */
  Duration delay(int failed, RandomGenerator random) {
    if (failed < 1) {
      throw new IllegalArgumentException("failed attempts start at 1, was " + failed);
    }
    long firstNanos = first.toNanos();
    long capNanos = cap.toNanos();
    long step = failed > 62 || firstNanos > (capNanos >> Math.min(62, failed - 1)) ? capNanos
        : Math.min(capNanos, firstNanos << (failed - 1));
    long half = step / 2;
    return Duration.ofNanos(half + random.nextLong(step - half + 1));
  }
}
