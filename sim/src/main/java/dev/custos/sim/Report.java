package dev.custos.sim;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a simulation measured: for each attack scenario how many real customers the attacker saw
 * before containment and how long containment took, and for the benign desk how often the detector
 * contained or alerted on an innocent agent. {@link #toJson} writes the shape other tools rely on.
 *
 * @param seed the simulation's seed
 * @param agents how many agents
 * @param days how many days
 * @param scenarios one outcome per scenario, in {@link Scenario} order
 * @param benign the benign desk's figures
 */
public record Report(long seed, int agents, int days, List<Outcome> scenarios, Benign benign) {
  public Report {
    scenarios = List.copyOf(scenarios);
    Objects.requireNonNull(benign, "benign");
  }

  /**
   * One scenario's outcome.
   *
   * @param scenario which
   * @param recordsBeforeContainment distinct real customers the attacker saw before suspension
   * @param secondsToContainment from the attack's first access to suspension (to the end of the
   *     simulation when not contained)
   * @param contained whether the attacker was suspended
   * @param recordsAfterDecoy real customers seen after the first decoy touch (-1 when no decoy was touched)
   */
  public record Outcome(Scenario scenario, int recordsBeforeContainment, double secondsToContainment, boolean contained,
      int recordsAfterDecoy) {}

  /**
   * The benign desk.
   *
   * @param agentDays agents times days
   * @param falseContainments suspensions of agents who were not attacking at the time
   * @param alerts alert episodes (a person's measure rising from none), all people
   * @param truePositiveAlerts alert episodes of attackers during their attack
   */
  public record Benign(long agentDays, int falseContainments, int alerts, int truePositiveAlerts) {
    /** True-positive alerts over all alerts (1 when there were none). */
    public double alertPrecision() {
      return alerts == 0 ? 1 : (double) truePositiveAlerts / alerts;
    }

    /** False containments per 10,000 agent-days. */
    public double falseContainmentsPer10k() {
      return agentDays == 0 ? 0 : falseContainments * 10_000.0 / agentDays;
    }
  }

  /** The report as JSON, exactly in the shape of issue 6. */
  public String toJson() {
    StringBuilder s = new StringBuilder();
    s.append("{\"seed\": ").append(seed).append(", \"agents\": ").append(agents).append(", \"days\": ").append(days)
        .append(", \"scenarios\": [");
    for (int i = 0; i < scenarios.size(); i++) {
      Outcome o = scenarios.get(i);
      s.append(i == 0 ? "" : ", ").append("{\"name\": \"").append(o.scenario().wireName())
          .append("\", \"recordsBeforeContainment\": ").append(o.recordsBeforeContainment())
          .append(", \"secondsToContainment\": ").append(String.format(Locale.ROOT, "%.1f", o.secondsToContainment()))
          .append(", \"contained\": ").append(o.contained()).append('}');
    }
    s.append("], \"benign\": {\"agentDays\": ").append(benign.agentDays()).append(", \"falseContainments\": ")
        .append(benign.falseContainments()).append(", \"alerts\": ").append(benign.alerts())
        .append(", \"truePositiveAlerts\": ").append(benign.truePositiveAlerts()).append(", \"alertPrecision\": ")
        .append(String.format(Locale.ROOT, "%.2f", benign.alertPrecision())).append("}}");
    return s.toString();
  }

  /** The report as a plain-text table. */
  public String toTable() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "seed %d, %d agents, %d days%n", seed, agents, days));
    s.append(String.format(Locale.ROOT, "%-20s %8s %12s %10s%n", "scenario", "records", "seconds", "contained"));
    for (Outcome o : scenarios) {
      s.append(String.format(Locale.ROOT, "%-20s %8d %12.1f %10s%s%n", o.scenario().wireName(), o.recordsBeforeContainment(),
          o.secondsToContainment(), o.contained() ? "yes" : "NO",
          o.recordsAfterDecoy() >= 0 ? "  (after decoy: " + o.recordsAfterDecoy() + ")" : ""));
    }
    s.append(String.format(Locale.ROOT, "benign: %d agent-days, %d false containments (%.2f per 10,000), %d alerts, "
        + "%d true positive, precision %.2f%n", benign.agentDays(), benign.falseContainments(), benign.falseContainmentsPer10k(),
        benign.alerts(), benign.truePositiveAlerts(), benign.alertPrecision()));
    return s.toString();
  }
}
