package dev.custos.identity;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a service token may do. Each scope names exactly one capability an integration needs; a
 * token carries the scopes it was issued with and nothing else.
 */
public enum Scope {
  /** Append opaque audit entries of another internal system to the ledger ({@code POST /v1/ledger/entries}). */
  LEDGER_APPEND("ledger:append"),
  /** Write customer records into the vault ({@code PUT /v1/customers/{id}}, {@code custos import --url}). */
  CUSTOMERS_WRITE("customers:write"),
  /** Ask the withdrawal policy about a withdrawal ({@code POST /v1/withdrawals/evaluate}): the wallet service. */
  WITHDRAWALS_EVALUATE("withdrawals:evaluate"),
  /**
   * Attribute a leaked sample ({@code POST /v1/incidents/{id}/attribute}, {@code custos attribute --url}):
   * security's own tooling, beside the security analysts' sessions.
   */
  INCIDENTS_ATTRIBUTE("incidents:attribute"),
  /**
   * Read the scope of a set of staff over a window ({@code GET /v1/scope}, {@code custos scope --url}):
   * security's own tooling, beside the security analysts' sessions. Each read is recorded in the ledger.
   */
  INCIDENTS_SCOPE("incidents:scope"),
  /**
   * Move the clock of a simulation installation ({@code POST /v1/simulation/clock}, {@code custos simulate
   * --url}); the route exists only where {@code simulation.clock} is on.
   */
  SIMULATION_CLOCK("simulation:clock");

  private final String wireName;

  Scope(String wireName) {
    this.wireName = wireName;
  }

  /** The name used on the command line, in HTTP and in storage, e.g. {@code ledger:append}. */
  public String wireName() {
    return wireName;
  }

  /** The scope called {@code name}, if there is one. */
  public static Optional<Scope> parse(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
  }

  /** The wire names of every scope, for error messages and help. */
  public static String known() {
    return String.join(", ", Arrays.stream(values()).map(Scope::wireName).toList());
  }
}
