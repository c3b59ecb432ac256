package dev.custos.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the vault's keys are found and rotated.
 *
 * @param previousKeks key files of older key-encryption keys, besides {@code <data>/keys/vault-kek.<N>.key}
 * @param rotationInterval how often the background rotation looks for keysets to rewrap or data keys to rotate
 * @param rotationBatchSize customers per batch of the background rotation
 * @param dataKeyMaxAge when present, data keys older than this are rotated in the background
 */
public record VaultSettings(List<Path> previousKeks, Duration rotationInterval, int rotationBatchSize,
    Optional<Duration> dataKeyMaxAge) {
  public VaultSettings {
    previousKeks = List.copyOf(previousKeks);
    Objects.requireNonNull(rotationInterval, "rotationInterval");
    Objects.requireNonNull(dataKeyMaxAge, "dataKeyMaxAge");
    if (rotationBatchSize < 1 || rotationBatchSize > 10_000) {
      throw new IllegalArgumentException("rotationBatchSize must be 1..10000");
    }
  }

  /** No previous KEK files, an hourly look, batches of 100, no scheduled data-key rotation. */
  public static VaultSettings defaults() {
    return new VaultSettings(List.of(), Duration.ofHours(1), 100, Optional.empty());
  }
}
