package dev.custos.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A short simulation (100 agents, 21 days, two fixed seeds) asserting the issue-6 targets that a
 * desk this small can show, and the issue's desk (500 agents, 30 days) on one fixed seed; the full
 * figures (seeds 1-10 used for tuning, held-out seeds 11-20) are in docs/detection.md.
 */
class SimulationTest {
  private static final List<Report> REPORTS = new ArrayList<>();

  @BeforeAll
  static void simulate() {
    for (long seed : new long[] {1, 2}) {
      REPORTS.add(new Simulation(new Simulation.Settings(100, 21, seed)).run());
    }
  }

  private static Report.Outcome outcome(Report r, Scenario s) {
    return r.scenarios().stream().filter(o -> o.scenario() == s).findFirst().orElseThrow();
  }

  @Test
  void fastAttacks_areContainedWithinTenRecords() {
    for (Report r : REPORTS) {
      for (Scenario s : List.of(Scenario.SMASH_AND_GRAB, Scenario.VIP_TARGETING, Scenario.STOLEN_SESSION,
          Scenario.SEARCH_ENUMERATION)) {
        assertThat(outcome(r, s).contained()).as(s + " seed " + r.seed()).isTrue();
        assertThat(outcome(r, s).recordsBeforeContainment()).as(s + " seed " + r.seed()).isLessThanOrEqualTo(10);
      }
    }
  }

  @Test
  void slowAttacks_getAtMostFiftyRecords() {
    for (Report r : REPORTS) {
      for (Scenario s : List.of(Scenario.LOW_AND_SLOW, Scenario.TICKET_FABRICATION, Scenario.COLLUDING_PAIR)) {
        assertThat(outcome(r, s).recordsBeforeContainment()).as(s + " seed " + r.seed()).isLessThanOrEqualTo(50);
      }
    }
  }

  @Test
  void onTheFullDesk_slowAttacksAreContainedWithinFiftyRecords_andTheBenignDeskIsSpared() {
    // The issue's desk (500 agents, 30 days) on one fixed seed: long enough for the accumulating
    // signals to contain the slow insiders, which a 21-day desk cannot always show.
    Report r = new Simulation(new Simulation.Settings(500, 30, 1)).run();
    for (Scenario s : Scenario.values()) {
      Report.Outcome o = outcome(r, s);
      assertThat(o.contained()).as(s.wireName()).isTrue();
      if (s == Scenario.DECOY_TOUCH) {
        assertThat(o.recordsAfterDecoy()).isLessThanOrEqualTo(0);
      } else {
        boolean slow = s == Scenario.LOW_AND_SLOW || s == Scenario.TICKET_FABRICATION || s == Scenario.COLLUDING_PAIR;
        assertThat(o.recordsBeforeContainment()).as(s.wireName()).isLessThanOrEqualTo(slow ? 50 : 10);
      }
    }
    assertThat(r.benign().falseContainments()).isZero();
    assertThat(r.benign().alertPrecision()).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void theAlertThreshold_keepsHonestBreakGlassBurstsFromSecurity() {
    // Seed 24 of the tuning set: three honest agents' bursts of break-glass (10-15 customers on no
    // ticket) raised alerts at 8.1-8.6, and only one of them went on to 9.4. With the alert at 8
    // that was 12 alerts beside the nine insiders' 9 (precision 0.75); at 9, with step-up, throttle
    // and suspend where they were, 10 (0.90), and on 600 seeds every insider's records and times
    // are the same and the honest desk's alerts fall from 270 to 111. (Session 18 moved it to 9.5.)
    Report r = new Simulation(new Simulation.Settings(500, 30, 24)).run();
    assertThat(r.benign().alertPrecision()).isGreaterThanOrEqualTo(0.9);
    assertThat(r.benign().truePositiveAlerts()).isEqualTo(9);
    assertThat(r.benign().falseContainments()).isZero();
  }

  @Test
  void anAlertAtNineAndAHalf_keepsHonestReadingsJustAboveNineFromSecurity() {
    // Seed 1793 of the fresh 1601-1800: two honest agents' self-created tickets for customers not in
    // contact read 9.2 (day 8, an own baseline of one learnt day) and 9.1, and with the alert at 9 were
    // two honest alerts beside the nine insiders' (precision 0.82). At 9.5 neither is an alert; on
    // 1,400 seeds every insider's records and containment are the same and the honest alerts fall
    // from 133 to 80 (docs/detection.md, session 18).
    Report r = new Simulation(new Simulation.Settings(500, 30, 1793)).run();
    assertThat(r.benign().truePositiveAlerts()).isEqualTo(9);
    assertThat(r.benign().alerts()).isEqualTo(9);
    assertThat(r.benign().falseContainments()).isZero();
  }

  @Test
  void touchingADecoy_leavesNoFurtherRecord() {
    for (Report r : REPORTS) {
      Report.Outcome o = outcome(r, Scenario.DECOY_TOUCH);
      assertThat(o.contained()).isTrue();
      assertThat(o.recordsAfterDecoy()).isLessThanOrEqualTo(0);
    }
  }

  @Test
  void theBenignDesk_isNeverContainedAndAlertsArePrecise() {
    for (Report r : REPORTS) {
      assertThat(r.benign().falseContainments()).isZero();
      assertThat(r.benign().alertPrecision()).isGreaterThanOrEqualTo(0.9);
    }
  }

  @Test
  void theSameSeed_givesTheSameReport() {
    Report again = new Simulation(new Simulation.Settings(100, 21, 1)).run();
    assertThat(again.toJson()).isEqualTo(REPORTS.getFirst().toJson());
  }

  @Test
  void theReport_hasTheShapeOfIssueSix() {
    String json = REPORTS.getFirst().toJson();
    assertThat(json).startsWith("{\"seed\": 1, \"agents\": 100, \"days\": 21, \"scenarios\": [{\"name\": \"smash-and-grab\", "
        + "\"recordsBeforeContainment\": ");
    for (Scenario s : Scenario.values()) {
      assertThat(json).contains("{\"name\": \"" + s.wireName() + "\", \"recordsBeforeContainment\": ");
    }
    assertThat(json).containsPattern("\"benign\": \\{\"agentDays\": 2100, \"falseContainments\": \\d+, \"alerts\": \\d+, "
        + "\"truePositiveAlerts\": \\d+, \"alertPrecision\": \\d\\.\\d\\d\\}\\}$");
  }

  @Test
  void settings_refuseADeskTooSmallOrTooShort() {
    assertThatThrownBy(() -> new Simulation.Settings(5, 30, 1)).hasMessageContaining("agents");
    assertThatThrownBy(() -> new Simulation.Settings(100, 7, 1)).hasMessageContaining("days");
  }

  @Test
  void theRiskSeries_coverEveryDay_forEachInsiderAndTheBenignSample() {
    Report r = REPORTS.getFirst();
    Report.Risk risk = r.risk();
    assertThat(risk.attackers()).hasSize(Scenario.values().length + 1); // the colluding pair is two people
    assertThat(risk.attackers()).allSatisfy(a -> assertThat(a.daily()).hasSize(r.days()));
    assertThat(risk.benignMedian()).hasSize(r.days());
    assertThat(risk.benignP95()).hasSize(r.days());
    assertThat(risk.benignMax()).hasSize(r.days());
    assertThat(risk.benignSampled()).isEqualTo(r.agents() - Scenario.values().length - 1);
    for (int d = 0; d < r.days(); d++) {
      assertThat(risk.benignMedian().get(d)).isLessThanOrEqualTo(risk.benignP95().get(d));
      assertThat(risk.benignP95().get(d)).isLessThanOrEqualTo(risk.benignMax().get(d));
    }
  }

  @Test
  void aContainedInsidersRisk_reachesTheSuspendThresholdOnTheDayOfContainment() {
    Report r = REPORTS.getFirst();
    Report.AttackerRisk smash = r.risk().attackers().stream().filter(a -> a.scenario() == Scenario.SMASH_AND_GRAB)
        .findFirst().orElseThrow();
    assertThat(smash.containedDay()).isGreaterThanOrEqualTo(smash.startDay());
    assertThat(smash.daily().get(smash.containedDay())).isGreaterThanOrEqualTo(r.risk().suspendThreshold());
    assertThat(smash.daily().subList(0, smash.startDay())).allSatisfy(x -> assertThat(x).isLessThan(r.risk().suspendThreshold()));
  }
}
