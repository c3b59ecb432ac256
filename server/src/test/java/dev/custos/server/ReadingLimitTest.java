package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.CustomerId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReadingLimitTest {
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:00Z"));
  final InstantSource clock = () -> now.get();

  @Test
  void readingsBeyondTheLimit_inAnHour_areRefused_untilTheOldestLeavesTheWindow() {
    ReadingLimit limit = new ReadingLimit(clock, 3);
    CustomerId ada = new CustomerId("cust-ada");
    for (int i = 0; i < 3; i++) {
      assertThat(limit.tryAcquire(ada)).isEmpty();
      now.set(now.get().plus(Duration.ofMinutes(10)));
    }
    assertThat(limit.tryAcquire(ada)).hasValue(30 * 60 + 1);
    assertThat(limit.tryAcquire(new CustomerId("cust-bob"))).as("per customer").isEmpty();
    now.set(Instant.parse("2026-11-21T11:00:00Z"));
    assertThat(limit.tryAcquire(ada)).isEmpty();
  }
}
