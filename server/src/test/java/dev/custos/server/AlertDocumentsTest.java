package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.StaffId;
import dev.custos.detect.Alert;
import dev.custos.detect.Assessment;
import dev.custos.detect.Measure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertDocumentsTest {
  private final Alert alert = AlertFixtures.alert("alert-0001", Measure.SUSPEND);

  @Test
  void webhookBody_carriesIdStaffTimeMeasureRiskReadingsAndLedgerIndex() throws Exception {
    JsonNode n = Json.MAPPER.readTree(AlertDocuments.webhookBody(alert));
    assertThat(n.get("id").asText()).isEqualTo("alert-0001");
    assertThat(n.get("staff").asText()).isEqualTo("agent-7");
    assertThat(n.get("raisedAt").asText()).isEqualTo("2026-11-21T10:15:30.123Z");
    assertThat(n.get("measure").asText()).isEqualTo("suspend");
    assertThat(n.get("risk").asDouble()).isEqualTo(12.5);
    assertThat(n.get("ledgerIndex").asLong()).isEqualTo(42);
    assertThat(n.get("readings")).hasSize(2);
    JsonNode r = n.get("readings").get(0);
    assertThat(r.get("signal").asText()).isEqualTo("volume");
    assertThat(r.get("value").asDouble()).isEqualTo(180);
    assertThat(r.get("ownBaseline").asDouble()).isEqualTo(25);
    assertThat(r.get("peerBaseline").asDouble()).isEqualTo(30);
    assertThat(r.get("surprise").asDouble()).isEqualTo(9.2);
    assertThat(n.get("explanation").asText()).startsWith("agent-7 suspend risk 12.5:");
  }

  @Test
  void webhookBody_writesAReadingWithoutAFigureAsZero_soTheJsonStaysValid() throws Exception {
    Alert odd = new Alert("a", new Assessment(new StaffId("s1"), AlertFixtures.AT, Measure.ALERT, Double.POSITIVE_INFINITY,
        List.of(new dev.custos.detect.Reading(dev.custos.detect.Signal.DECOY, 1, Double.NaN, 0, Double.POSITIVE_INFINITY))), 1);
    JsonNode n = Json.MAPPER.readTree(AlertDocuments.webhookBody(odd));
    assertThat(n.get("risk").asDouble()).isZero();
    assertThat(n.get("readings").get(0).get("ownBaseline").asDouble()).isZero();
  }

  @Test
  void ocsfLine_isADetectionFindingWithTheRequiredAttributes() throws Exception {
    String line = AlertDocuments.ocsfLine(alert);
    assertThat(line).doesNotContain("\n");
    JsonNode n = Json.MAPPER.readTree(line);
    assertThat(n.get("class_uid").asInt()).isEqualTo(2004);
    assertThat(n.get("category_uid").asInt()).isEqualTo(2);
    assertThat(n.get("activity_id").asInt()).isEqualTo(1);
    assertThat(n.get("type_uid").asInt()).isEqualTo(200401);
    assertThat(n.get("time").asLong()).isEqualTo(AlertFixtures.AT.toEpochMilli());
    assertThat(n.get("severity_id").asInt()).isEqualTo(5);
    assertThat(n.at("/metadata/version").asText()).isEqualTo("1.3.0");
    assertThat(n.at("/metadata/product/name").asText()).isEqualTo("Custos");
    assertThat(n.at("/metadata/uid").asText()).isEqualTo("alert-0001");
    assertThat(n.at("/finding_info/uid").asText()).isEqualTo("alert-0001");
    assertThat(n.at("/finding_info/title").asText()).isEqualTo("Insider risk: suspend agent-7");
    assertThat(n.at("/finding_info/analytic/type_id").asInt()).isEqualTo(2);
    assertThat(n.at("/evidences/0/actor/user/uid").asText()).isEqualTo("agent-7");
    assertThat(n.get("risk_level_id").asInt()).isEqualTo(4);
    assertThat(n.get("risk_score").asInt()).isEqualTo(13);
    assertThat(n.at("/unmapped/custos/ledger_index").asLong()).isEqualTo(42);
    assertThat(n.at("/unmapped/custos/readings/1/signal").asText()).isEqualTo("no-ticket");
  }

  @Test
  void ocsfSeverity_risesWithTheMeasure() {
    assertThat(List.of(Measure.ALERT, Measure.STEP_UP, Measure.THROTTLE, Measure.SUSPEND).stream()
        .map(AlertDocuments::ocsfSeverity).toList()).containsExactly(3, 3, 4, 5);
  }

  @Test
  void syslogMessage_isRfc5424_byteForByte() {
    byte[] msg = AlertDocuments.syslogMessage(alert, "custos-1.example");
    String head = "<82>1 2026-11-21T10:15:30.123Z custos-1.example custos - alert [custos@32473 id=\"alert-0001\" "
        + "staff=\"agent-7\" measure=\"suspend\" risk=\"12.50\" ledgerIndex=\"42\"] ";
    byte[] expected = concat(head.getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        alert.assessment().explain().getBytes(StandardCharsets.UTF_8));
    assertThat(msg).isEqualTo(expected);
  }

  @Test
  void syslogPri_isAuthprivTimesEightPlusTheMeasuresSeverity() {
    assertThat(new String(AlertDocuments.syslogMessage(AlertFixtures.alert("a", Measure.ALERT), "h"), StandardCharsets.UTF_8))
        .startsWith("<85>1 ");
    assertThat(new String(AlertDocuments.syslogMessage(AlertFixtures.alert("a", Measure.THROTTLE), "h"), StandardCharsets.UTF_8))
        .startsWith("<84>1 ");
  }

  @Test
  void paramValue_escapesQuoteBackslashAndClosingBracket_only() {
    assertThat(AlertDocuments.paramValue("a\"b\\c]d[e=f")).isEqualTo("a\\\"b\\\\c\\]d[e=f");
  }

  @Test
  void header_keepsPrintableAsciiOnly_andIsADashWhenNothingIsLeft() {
    assertThat(AlertDocuments.header("my host\té", 255)).isEqualTo("myhost");
    assertThat(AlertDocuments.header(" \t", 255)).isEqualTo("-");
    assertThat(AlertDocuments.header("x".repeat(300), 255)).hasSize(255);
  }

  @Test
  void octetCounted_prefixesTheLengthInOctetsAndASpace() {
    byte[] m = "é1".getBytes(StandardCharsets.UTF_8); // 3 octets, 2 characters
    assertThat(AlertDocuments.octetCounted(m)).isEqualTo(concat("3 ".getBytes(StandardCharsets.US_ASCII), m));
  }

  static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
