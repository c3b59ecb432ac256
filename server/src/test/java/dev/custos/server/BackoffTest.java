package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), 10);

  @Property
  void delay_isBetweenHalfTheStepAndTheStep_theStepDoublingUpToTheCap(@ForAll @IntRange(min = 1, max = 100) int failed,
      @ForAll long seed) {
    long step = Math.min(300_000L, 1000L << Math.min(failed - 1, 20));
    Duration d = backoff.delay(failed, new SplittableRandom(seed));
    assertThat(d.toMillis()).isBetween(step / 2, step);
  }

  @Test
  void delay_isJittered() {
    SplittableRandom r = new SplittableRandom(1);
    assertThat(java.util.stream.IntStream.range(0, 20).mapToObj(i -> backoff.delay(3, r)).distinct().count()).isGreaterThan(1);
  }

  @Test
  void aCapBelowTheFirstWait_isRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("first");
  }

  @Test
  void zeroAttempts_isRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempts");
  }
}
