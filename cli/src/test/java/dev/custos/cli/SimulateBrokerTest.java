package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custos.sim.Report;
import dev.custos.sim.Scenario;
import dev.custos.sim.Simulation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated desk played through the real access broker: Custos in process on the embedded
 * PostgreSQL, on the simulation's clock, every step over HTTP. A small desk (the smallest the
 * simulator takes) on a fixed seed, run once for all the assertions.
 */
class SimulateBrokerTest {
  @TempDir
  static Path dir;
  private static Report report;
  private static long[] statuses;
  private static final Map<Scenario, Report.Outcome> outcomes = new EnumMap<>(Scenario.class);

  @BeforeAll
  static void simulateThroughTheBroker() throws Exception {
    StringWriter log = new StringWriter();
    try (BrokerDesk desk = BrokerDesk.inProcess(Optional.of(dir.resolve("desk")), new PrintWriter(log))) {
      report = new Simulation(new Simulation.Settings(20, 21, 1)).run(desk, day -> { });
      statuses = desk.statusCounts();
    }
    for (Report.Outcome o : report.scenarios()) {
      outcomes.put(o.scenario(), o);
    }
  }

  @Test
  void theDeskWorks_mostRequestsAreAnswered_andNoneFailsOnTheServer() {
    long all = statuses[1] + statuses[2] + statuses[3] + statuses[4] + statuses[5];
    assertThat(all).isGreaterThan(5_000);
    assertThat(statuses[2]).as("2xx of %d", all).isGreaterThan(all * 8 / 10);
    assertThat(statuses[5]).as("5xx").isZero();
  }

  @Test
  void attacksWithoutAPurpose_areRefusedByTheBroker_andSeeNothing() {
    // Smash-and-grab, low-and-slow, VIP targeting and the colluding pair ask for customers on none of
    // their tickets: the broker refuses every one, so nothing is seen whatever the detector does. (The
    // session thief also searches, and a search needs no ticket: its masked matches count as seen.)
    for (Scenario s : new Scenario[] {Scenario.SMASH_AND_GRAB, Scenario.LOW_AND_SLOW, Scenario.VIP_TARGETING,
        Scenario.COLLUDING_PAIR}) {
      assertThat(outcomes.get(s).recordsBeforeContainment()).as(s.wireName()).isZero();
      assertThat(outcomes.get(s).recordsRefused()).as(s.wireName()).isPositive();
    }
  }

  @Test
  void everyScenario_meetsItsTarget_throughTheBroker() {
    for (Scenario s : new Scenario[] {Scenario.SMASH_AND_GRAB, Scenario.VIP_TARGETING, Scenario.STOLEN_SESSION,
        Scenario.SEARCH_ENUMERATION}) {
      assertThat(outcomes.get(s).recordsBeforeContainment()).as(s.wireName()).isLessThanOrEqualTo(10);
    }
    int slow = outcomes.get(Scenario.LOW_AND_SLOW).recordsBeforeContainment()
        + outcomes.get(Scenario.TICKET_FABRICATION).recordsBeforeContainment()
        + outcomes.get(Scenario.COLLUDING_PAIR).recordsBeforeContainment();
    assertThat(slow).as("low-and-slow + fabrication + pair").isLessThanOrEqualTo(50);
  }

  @Test
  void touchingADecoy_containsAtOnce_noFurtherRecord() {
    Report.Outcome decoy = outcomes.get(Scenario.DECOY_TOUCH);
    assertThat(decoy.recordsAfterDecoy()).as("records after the decoy (-1: none touched)").isLessThanOrEqualTo(0);
    if (decoy.recordsAfterDecoy() == 0) {
      assertThat(decoy.contained()).isTrue();
    }
  }

  @Test
  void theReport_saysItCameThroughTheBroker_inTheIssueSixShape() throws Exception {
    assertThat(report.mode()).isEqualTo(Report.Mode.BROKER);
    JsonNode n = new ObjectMapper().readTree(report.toJson());
    assertThat(n.get("mode").asText()).isEqualTo("broker");
    assertThat(n.get("scenarios")).hasSize(Scenario.values().length);
    assertThat(n.at("/scenarios/0/recordsRefused").isInt()).isTrue();
    assertThat(report.toTable()).contains("through the access broker").contains("refused");
  }

  @Test
  void theDataDirectory_keepsTheServersLog_notTheTerminal() throws Exception {
    Path log = dir.resolve("desk").resolve("custos.log");
    assertThat(log).exists();
    assertThat(Files.readString(log)).contains("route=/v1/customers/{id}");
  }
}
