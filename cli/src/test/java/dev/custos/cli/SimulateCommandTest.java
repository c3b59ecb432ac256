package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custos.sim.Report;
import dev.custos.sim.Scenario;
import dev.custos.sim.Simulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
  @TempDir
  static Path dir;
  private static MainTest.Run run;

  @BeforeAll
  static void simulateOnce() {
    run = MainTest.run("simulate", "--agents", "40", "--days", "21", "--seed", "3", "--out",
        dir.resolve("report.json").toString(), "--html", dir.resolve("report.html").toString());
  }

  @Test
  void simulate_exits0_printingEachScenarioOfTheTable() {
    assertThat(run.code()).as(run.err()).isZero();
    for (Scenario s : Scenario.values()) {
      assertThat(run.out()).contains(s.wireName());
    }
    assertThat(run.out()).contains("seed 3, 40 agents, 21 days").contains("JSON report: ").contains("HTML report: ");
  }

  @Test
  void out_isExactlyTheSimulationsJson_theShapeOfIssueSix() throws Exception {
    String json = Files.readString(dir.resolve("report.json")).strip();
    Report expected = new Simulation(new Simulation.Settings(40, 21, 3)).run();
    assertThat(json).isEqualTo(expected.toJson());
    JsonNode n = new ObjectMapper().readTree(json);
    assertThat(n.get("seed").asLong()).isEqualTo(3);
    assertThat(n.get("scenarios")).hasSize(Scenario.values().length);
    assertThat(n.at("/benign/alertPrecision").isNumber()).isTrue();
  }

  @Test
  void html_isSelfContained_withInlineSvgCharts_andNoScriptOrFetchedResource() throws Exception {
    String html = Files.readString(dir.resolve("report.html"));
    assertThat(html).startsWith("<!doctype html>").contains("<svg").contains("<polyline").contains("<polygon")
        .contains("Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"");
    assertThat(html.toLowerCase(java.util.Locale.ROOT)).doesNotContain("<script").doesNotContain("src=")
        .doesNotContain("href=").doesNotContain("http://").doesNotContain("https://").doesNotContain("url(")
        .doesNotContainPattern("<[^>]*\\son[a-z]+\\s*="); // no event handler attributes
  }

  @Test
  void html_hasARowPerScenario_andALinePerInsider() throws Exception {
    String html = Files.readString(dir.resolve("report.html"));
    for (Scenario s : Scenario.values()) {
      assertThat(html).contains("<tr><td>" + s.wireName() + "</td>");
    }
    assertThat(html.split("<polyline fill=\"none\" stroke-width=\"2\"", -1)).hasSize(Scenario.values().length + 2);
  }

  @Test
  void severalSeeds_writeAJsonArrayOfReports_andTheMedianAndWorst() throws Exception {
    Path out = dir.resolve("two.json");
    MainTest.Run r = MainTest.run("simulate", "--agents", "20", "--days", "21", "--seed", "1", "--seed", "2", "--out",
        out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("over 2 seeds: median and worst");
    JsonNode n = new ObjectMapper().readTree(Files.readString(out));
    assertThat(n.isArray()).isTrue();
    assertThat(List.of(n.get(0).get("seed").asLong(), n.get(1).get("seed").asLong())).containsExactly(1L, 2L);
  }

  @Test
  void thresholds_setTheInProcessDetector_asTheServersSettingDoes() throws Exception {
    // An alert at 1 (step-up, throttle and suspend as by default): the same desk, many more alerts.
    MainTest.Run r = MainTest.run("simulate", "--agents", "40", "--days", "21", "--seed", "3", "--thresholds",
        "1,10,12,13", "--out", dir.resolve("thresholds.json").toString());
    assertThat(r.code()).as(r.err()).isZero();
    String json = Files.readString(dir.resolve("thresholds.json")).strip();
    Simulation.Settings desk = new Simulation.Settings(40, 21, 3);
    assertThat(json).isEqualTo(new Simulation(desk,
        dev.custos.server.ConfigLoader.detectionPolicy("1,10,12,13")).run().toJson());
    int byDefault = new ObjectMapper().readTree(new Simulation(desk).run().toJson()).at("/benign/alerts").asInt();
    assertThat(new ObjectMapper().readTree(json).at("/benign/alerts").asInt()).isGreaterThan(byDefault);
  }

  @Test
  void thresholdsOnAnotherScaleOrWithTheBroker_exit2_withOneLine() {
    MainTest.Run r = MainTest.run("simulate", "--thresholds", "90,100,120,130");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("custos: --thresholds must be four comma-separated risk scores")
        .endsWith("not '90,100,120,130'").doesNotContain("\n");
    MainTest.Run b = MainTest.run("simulate", "--thresholds", "9,10,12,13", "--broker");
    assertThat(b.code()).isEqualTo(2);
    assertThat(b.err()).contains("the server's detection.thresholds decides");
  }

  @Test
  void tooFewAgents_exits2_withOneLineNamingTheOption() {
    MainTest.Run r = MainTest.run("simulate", "--agents", "5");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("custos: --agents must be 20 to 100000, not 5");
  }

  @Test
  void tooFewDays_exits2() {
    MainTest.Run r = MainTest.run("simulate", "--days", "3");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--days must be 21 to 365");
  }

  @Test
  void aSeedThatIsNotANumber_exits2() {
    MainTest.Run r = MainTest.run("simulate", "--seed", "seven");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--seed").doesNotContain("at dev.");
  }

  @Test
  void anOutputInAMissingDirectory_exits2_beforeSimulating() {
    MainTest.Run r = MainTest.run("simulate", "--out", dir.resolve("no/such/dir/report.json").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("does not exist");
  }

  @Test
  void medianOfAnEvenCount_isTheLowerMiddle() {
    assertThat(SimulationSummary.median(new int[] {1, 3, 8, 9})).isEqualTo(3);
    assertThat(SimulationSummary.median(new int[] {4})).isEqualTo(4);
  }

  @Test
  void esc_escapesMarkup() {
    assertThat(SimulationHtml.esc("<a href=\"x\">'&'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  }
}
