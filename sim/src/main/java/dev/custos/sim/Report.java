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
 * @param risk each day's risk of the attackers and of benign agents, for charts (not in {@link #toJson})
 * @param mode whether the desk fed the detector directly or acted through the real access broker
 */
public record Report(long seed, int agents, int days, List<Outcome> scenarios, Benign benign, Risk risk, Mode mode) {
  public Report {
    scenarios = List.copyOf(scenarios);
    Objects.requireNonNull(benign, "benign");
    Objects.requireNonNull(risk, "risk");
    Objects.requireNonNull(mode, "mode");
  }

  /** A report of the detector fed directly. */
  public Report(long seed, int agents, int days, List<Outcome> scenarios, Benign benign, Risk risk) {
    this(seed, agents, days, scenarios, benign, risk, Mode.DETECTOR);
  }

  /** A report without risk series. */
  public Report(long seed, int agents, int days, List<Outcome> scenarios, Benign benign) {
    this(seed, agents, days, scenarios, benign, Risk.NONE);
  }

  /** How the simulated desk reached the detector. */
  public enum Mode {
    /** Every action fed straight to the detection engine, as if the broker had shown everything asked for. */
    DETECTOR,
    /** Every action played through the real access broker, whose own detector and containment stopped people. */
    BROKER;

    /** The report's name ({@code detector}, {@code broker}). */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Risk over time: for each day, the highest risk the detector reported for a person that day (its
   * escalations and the assessment after the person's last event of the day).
   *
   * @param attackers one series per insider (two for the colluding pair)
   * @param benignMedian per day, the median over the sampled benign agents
   * @param benignP95 per day, the 95th percentile over them
   * @param benignMax per day, the maximum over them
   * @param benignSampled how many benign agents were sampled (all of them, up to 500)
   * @param alertThreshold the risk at which the policy alerts
   * @param suspendThreshold the risk at which the policy suspends
   */
  public record Risk(List<AttackerRisk> attackers, List<Double> benignMedian, List<Double> benignP95, List<Double> benignMax,
      int benignSampled, double alertThreshold, double suspendThreshold) {
    /** No series. */
    public static final Risk NONE = new Risk(List.of(), List.of(), List.of(), List.of(), 0, 0, 0);

    public Risk {
      attackers = List.copyOf(attackers);
      benignMedian = List.copyOf(benignMedian);
      benignP95 = List.copyOf(benignP95);
      benignMax = List.copyOf(benignMax);
    }
  }

  /**
   * One insider's daily risk.
   *
   * @param scenario the attack
   * @param staff the insider
   * @param startDay the day the attack started (0-based)
   * @param containedDay the day the attack was contained, -1 when it was not
   * @param daily the risk of each day, from day 0
   */
  public record AttackerRisk(Scenario scenario, String staff, int startDay, int containedDay, List<Double> daily) {
    public AttackerRisk {
      daily = List.copyOf(daily);
    }
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
   * @param recordsRefused distinct real customers the broker refused the attacker (always 0 when the detector is fed directly)
   */
  public record Outcome(Scenario scenario, int recordsBeforeContainment, double secondsToContainment, boolean contained,
      int recordsAfterDecoy, int recordsRefused) {
    /** An outcome of the detector fed directly (nothing refused). */
    public Outcome(Scenario scenario, int recordsBeforeContainment, double secondsToContainment, boolean contained,
        int recordsAfterDecoy) {
      this(scenario, recordsBeforeContainment, secondsToContainment, contained, recordsAfterDecoy, 0);
    }
  }

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
    s.append("{\"seed\": ").append(seed).append(", \"agents\": ").append(agents).append(", \"days\": ").append(days);
    if (mode != Mode.DETECTOR) {
      s.append(", \"mode\": \"").append(mode.wireName()).append('"');
    }
    s.append(", \"scenarios\": [");
    for (int i = 0; i < scenarios.size(); i++) {
      Outcome o = scenarios.get(i);
      s.append(i == 0 ? "" : ", ").append("{\"name\": \"").append(o.scenario().wireName())
          .append("\", \"recordsBeforeContainment\": ").append(o.recordsBeforeContainment())
          .append(", \"secondsToContainment\": ").append(String.format(Locale.ROOT, "%.1f", o.secondsToContainment()))
          .append(", \"contained\": ").append(o.contained());
      if (mode != Mode.DETECTOR) {
        s.append(", \"recordsRefused\": ").append(o.recordsRefused());
      }
      s.append('}');
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
    boolean broker = mode != Mode.DETECTOR;
    s.append(String.format(Locale.ROOT, "seed %d, %d agents, %d days%s%n", seed, agents, days,
        broker ? ", through the access broker" : ""));
    s.append(String.format(Locale.ROOT, "%-20s %8s %12s %10s%s%n", "scenario", "records", "seconds", "contained",
        broker ? String.format(Locale.ROOT, " %8s", "refused") : ""));
    for (Outcome o : scenarios) {
      s.append(String.format(Locale.ROOT, "%-20s %8d %12.1f %10s%s%s%n", o.scenario().wireName(), o.recordsBeforeContainment(),
          o.secondsToContainment(), o.contained() ? "yes" : "NO",
          broker ? String.format(Locale.ROOT, " %8d", o.recordsRefused()) : "",
          o.recordsAfterDecoy() >= 0 ? "  (after decoy: " + o.recordsAfterDecoy() + ")" : ""));
    }
    s.append(String.format(Locale.ROOT, "benign: %d agent-days, %d false containments (%.2f per 10,000), %d alerts, "
        + "%d true positive, precision %.2f%n", benign.agentDays(), benign.falseContainments(), benign.falseContainmentsPer10k(),
        benign.alerts(), benign.truePositiveAlerts(), benign.alertPrecision()));
    return s.toString();
  }
}
