package dev.custos.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leak attribution against a small simulated desk: for samples of 10, 50 and 200 records from what
 * each scenario's insider saw, the insider is ranked first in at least 99% of the trials (the full
 * table, 500 agents and 30 days, is in docs/incident-response.md, "Leak attribution").
 */
class AttributionEvaluationTest {
  static AttributionEvaluation.Result result;
  static final List<String> progress = new ArrayList<>();

  @BeforeAll
  static void evaluate() {
    result = AttributionEvaluation.run(new AttributionEvaluation.Settings(new Simulation.Settings(60, 21, 5), false,
        List.of(10, 50, 200), 25), progress::add);
  }

  @Test
  void everyScenario_hasItsInsiderRankedFirstInAtLeast99PercentOfTrials() {
    assertThat(result.cells()).hasSize(Scenario.values().length * AttributionEvaluation.Source.values().length * 3);
    for (AttributionEvaluation.Cell c : result.cells()) {
      assertThat(c.drawnFrom()).as("%s/%s has something to leak", c.scenario(), c.source()).isPositive();
      assertThat(c.firstRate()).as("%s/%s n=%d", c.scenario().wireName(), c.source(), c.size()).isGreaterThanOrEqualTo(0.99);
    }
  }

  @Test
  void theTable_namesEveryScenarioAndSize() {
    String table = result.toTable();
    for (Scenario s : Scenario.values()) {
      assertThat(table).contains(s.wireName());
    }
    assertThat(table).contains("n=10", "n=50", "n=200", "containment off");
    assertThat(progress).first().asString().startsWith("simulated:");
  }

  @Test
  void settings_refuseNoSizesAndNoTrials() {
    Simulation.Settings sim = new Simulation.Settings(60, 21, 5);
    assertThatThrownBy(() -> new AttributionEvaluation.Settings(sim, false, List.of(), 10)).hasMessageContaining("sizes");
    assertThatThrownBy(() -> new AttributionEvaluation.Settings(sim, false, List.of(10), 0)).hasMessageContaining("trials");
  }
}
