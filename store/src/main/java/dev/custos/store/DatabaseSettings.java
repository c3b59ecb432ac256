package dev.custos.store;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * Pool settings for a {@link Database}.
 *
 * @param poolSize maximum connections, 1..200
 * @param connectTimeout how long to wait for a connection, 1 s..5 min
 * @param meterRegistry where pool metrics go, or {@code null} for none
 */
public record DatabaseSettings(int poolSize, Duration connectTimeout, MeterRegistry meterRegistry) {
  public DatabaseSettings {
    if (poolSize < 1 || poolSize > 200) {
      throw new IllegalArgumentException("poolSize must be 1..200, was " + poolSize);
    }
    if (connectTimeout == null || connectTimeout.compareTo(Duration.ofSeconds(1)) < 0
        || connectTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("connectTimeout must be 1 s..5 min, was " + connectTimeout);
    }
  }

  /** Ten connections, a 10 s connect timeout, no metrics. */
  public static DatabaseSettings defaults() {
    return new DatabaseSettings(10, Duration.ofSeconds(10), null);
  }

  public DatabaseSettings withMeterRegistry(MeterRegistry registry) {
    return new DatabaseSettings(poolSize, connectTimeout, registry);
  }
}
