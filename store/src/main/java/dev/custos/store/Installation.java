package dev.custos.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The identity of a Custos installation: created once with its database, stable across
 * restarts.
 *
 * @param id random identifier chosen at the first start
 * @param createdAt when the first start happened
 * @param starts how many times a server has started on this database, this one included
 */
public record Installation(UUID id, Instant createdAt, long starts) {
  public Installation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
    if (starts < 1) {
      throw new IllegalArgumentException("starts must be >= 1");
    }
  }
}
