package dev.custos.cli;

import dev.custos.sim.Report;
import dev.custos.sim.Scenario;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Median and worst over several seeds, per scenario and for the benign desk: issue 6's target figures. */
final class SimulationSummary {
  private SimulationSummary() {}

  /** One scenario's figures over the seeds. */
  record Row(Scenario scenario, int[] records, int medianRecords, int worstRecords, int contained, double medianSeconds) {}

  static List<Row> rows(List<Report> reports) {
    return Arrays.stream(Scenario.values()).map(s -> {
      List<Report.Outcome> os = reports.stream()
          .map(r -> r.scenarios().stream().filter(o -> o.scenario() == s).findFirst().orElseThrow()).toList();
      int[] records = os.stream().mapToInt(Report.Outcome::recordsBeforeContainment).toArray();
      double[] seconds = os.stream().mapToDouble(Report.Outcome::secondsToContainment).sorted().toArray();
      int[] sorted = records.clone();
      Arrays.sort(sorted);
      return new Row(s, records, median(sorted), sorted[sorted.length - 1], (int) os.stream().filter(Report.Outcome::contained).count(),
          seconds.length % 2 == 1 ? seconds[seconds.length / 2] : (seconds[seconds.length / 2 - 1] + seconds[seconds.length / 2]) / 2);
    }).toList();
  }

  /** The median of sorted values, the lower middle for an even count (records are whole customers). */
  static int median(int[] sorted) {
    return sorted[(sorted.length - 1) / 2];
  }

  static String table(List<Report> reports) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "over %d seeds: median and worst%n", reports.size()));
    s.append(String.format(Locale.ROOT, "%-20s %8s %8s %10s %14s%n", "scenario", "median", "worst", "contained", "median seconds"));
    for (Row r : rows(reports)) {
      s.append(String.format(Locale.ROOT, "%-20s %8d %8d %7d/%-2d %14.1f%n", r.scenario().wireName(), r.medianRecords(),
          r.worstRecords(), r.contained(), reports.size(), r.medianSeconds()));
    }
    long agentDays = reports.stream().mapToLong(r -> r.benign().agentDays()).sum();
    int falseContainments = reports.stream().mapToInt(r -> r.benign().falseContainments()).sum();
    int alerts = reports.stream().mapToInt(r -> r.benign().alerts()).sum();
    int truePositives = reports.stream().mapToInt(r -> r.benign().truePositiveAlerts()).sum();
    s.append(String.format(Locale.ROOT, "benign: %d agent-days, %d false containments (%.2f per 10,000), precision %.2f "
        + "(%d of %d alerts)%n", agentDays, falseContainments, agentDays == 0 ? 0 : falseContainments * 10_000.0 / agentDays,
        alerts == 0 ? 1.0 : (double) truePositives / alerts, truePositives, alerts));
    return s.toString();
  }
}
