package dev.custos.cli;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The clock of a simulated desk: Custos in process reads it, the simulation moves it to each step's
 * time. It never goes back (a step timed before the last one, such as a night shift's last ticket
 * after the next day began, happens at the later time), so every stored time stays in order.
 */
final class SimClock implements InstantSource {
  private volatile long millis;

  SimClock(Instant start) {
    this.millis = start.toEpochMilli();
  }

  /** Moves the clock to {@code at}, unless it is already later. */
  synchronized void advanceTo(Instant at) {
    millis = Math.max(millis, at.toEpochMilli());
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public long millis() {
    return millis;
  }
}
