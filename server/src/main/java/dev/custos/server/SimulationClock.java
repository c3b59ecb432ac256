package dev.custos.server;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The clock of an installation that plays a simulated desk ({@code simulation.clock}, the instant it
 * starts at): it stands still until the simulator moves it forward ({@code POST /v1/simulation/clock}),
 * so a month of a desk can be played through a running server in minutes. It starts at the configured
 * instant at every start: one desk per prepared installation.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>It never goes back: sessions, TOTP steps, tickets and the ledger see time only move on.</li>
 *   <li>It exists only when the setting asks for it, and only on the embedded database
 *       ({@link Custos#start} refuses otherwise): an installation with real customers has the
 *       system clock and no route that moves it.</li>
 * </ul>
 */
final class SimulationClock implements InstantSource {
  private volatile Instant now;

  SimulationClock(Instant start) {
    this.now = start;
  }

  /** Moves the clock to {@code at}; false (and no change) when {@code at} is before now. */
  synchronized boolean moveTo(Instant at) {
    if (at.isBefore(now)) {
      return false;
    }
    now = at;
    return true;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
