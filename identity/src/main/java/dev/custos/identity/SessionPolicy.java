package dev.custos.identity;

import java.time.Duration;
import java.util.Objects;

/**
 * How long sessions live.
 *
 * @param idle a session unused this long is over (OWASP ASVS 7.3.1); default 15 minutes
 * @param absolute a session is over this long after login, however active (ASVS 7.3.2); default 10 hours, a shift
 * @param pending the time allowed between the password and the second factor; default 5 minutes
 * @param touchEvery activity is written at most this often per session, so a busy agent costs one
 *     write per interval, not one per request; idle expiry is accurate to this; default 30 seconds
 */
public record SessionPolicy(Duration idle, Duration absolute, Duration pending, Duration touchEvery) {
  public static final SessionPolicy DEFAULT =
      new SessionPolicy(Duration.ofMinutes(15), Duration.ofHours(10), Duration.ofMinutes(5), Duration.ofSeconds(30));

  public SessionPolicy {
    positive(idle, "idle");
    positive(absolute, "absolute");
    positive(pending, "pending");
    positive(touchEvery, "touchEvery");
    if (idle.compareTo(absolute) > 0) {
      throw new IllegalArgumentException("the idle timeout must not exceed the absolute timeout");
    }
    if (touchEvery.compareTo(idle) >= 0) {
      throw new IllegalArgumentException("touchEvery must be shorter than the idle timeout");
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
