package dev.custos.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The identity of a Custos installation: created once with its database, stable across
 * restarts.
 *
 * @param id random identifier chosen at the first start or administrative use
 * @param createdAt when that first use happened
 * @param starts how many times a server has started on this database (0 when only administrative
 *     commands have used it so far)
 */
public record Installation(UUID id, Instant createdAt, long starts) {
  public Installation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(createdAt, "createdAt");
    if (starts < 0) {
      throw new IllegalArgumentException("starts must be >= 0");
    }
  }
}
