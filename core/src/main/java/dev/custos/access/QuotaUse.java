package dev.custos.access;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One counter a guarded action uses, and its limit over a sliding window.
 *
 * @param quota the counter's name, e.g. {@code reveals-per-hour}: 1-64 of {@code a-z 0-9 -}
 * @param distinct for a distinct counter, what is counted once per window (a customer id); empty
 *     to count every use
 * @param limit most uses (or distinct subjects) in any window; {@link #UNLIMITED} to count only
 * @param window the sliding window: a use counts while it is younger than this
 */
public record QuotaUse(String quota, Optional<String> distinct, long limit, Duration window) {
  /** A limit that is never reached: the use is recorded for others' counts but never refused. */
  public static final long UNLIMITED = Long.MAX_VALUE;
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9\\-]{0,63}");

  public QuotaUse {
    if (quota == null || !NAME.matcher(quota).matches()) {
      throw new IllegalArgumentException("quota name must be 1-64 characters of a-z, 0-9 and -");
    }
    Objects.requireNonNull(distinct, "distinct");
    distinct.ifPresent(d -> {
      if (d.isEmpty() || d.length() > 128) {
        throw new IllegalArgumentException("quota distinct subject must be 1-128 characters");
      }
    });
    if (limit < 0) {
      throw new IllegalArgumentException("quota limit must not be negative");
    }
    Objects.requireNonNull(window, "window");
    if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(31)) > 0) {
      throw new IllegalArgumentException("quota window must be between 1 second and 31 days");
    }
  }

  /** A counter of every use. */
  public static QuotaUse counting(String quota, long limit, Duration window) {
    return new QuotaUse(quota, Optional.empty(), limit, window);
  }

  /** A counter of distinct {@code subject}s. */
  public static QuotaUse distinct(String quota, String subject, long limit, Duration window) {
    return new QuotaUse(quota, Optional.of(subject), limit, window);
  }
}
