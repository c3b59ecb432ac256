package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The scope's CSV cells and the report page's escaping. */
class IncidentOutputTest {
  @Test
  void csvCell_thatASpreadsheetWouldRun_isDefused() {
    assertThat(IncidentRoutes.cell("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
    assertThat(IncidentRoutes.cell("+1")).isEqualTo("'+1");
    assertThat(IncidentRoutes.cell("cust-ada")).isEqualTo("cust-ada");
  }

  @Property(tries = 500)
  void csvCell_neverStartsAFormula_andStaysOneCell(@ForAll String value) {
    String c = IncidentRoutes.cell(value);
    String unquoted = c.startsWith("\"") ? c.substring(1, c.length() - 1).replace("\"\"", "\"") : c;
    assertThat(unquoted.isEmpty() || "=+-@\t\r".indexOf(unquoted.charAt(0)) < 0).isTrue();
    if (!c.startsWith("\"")) {
      assertThat(c).doesNotContain(",", "\n", "\r", "\"");
    }
  }

  @Property(tries = 300)
  void reportPage_escapesEverythingItShows(@ForAll String text) {
    String html = IncidentReportPage.esc(text);
    assertThat(html).doesNotContain("<", ">", "\"", "'");
  }

  @Test
  void reportPage_showsATitleWithMarkup_asText() {
    Map<String, Object> incident = new java.util.LinkedHashMap<>(Map.of("id", "inc-0000000000000001",
        "title", "<script>alert(1)</script>", "status", "open", "openedAt", "2026-11-21T10:00:00Z", "openedBy", "sec",
        "suspects", List.of("eve"), "from", "a", "to", "b", "notes", ""));
    Map<String, Object> scope = Map.of("customers", 0, "accesses", 0, "unresolved", 0, "coveredSize", 0,
        "byCategory", Map.of(), "byJurisdiction", Map.of(), "byField", Map.of());
    Map<String, Object> report = Map.of("incident", incident, "scope", scope, "containment",
        Map.of("detection", List.of(), "suspectsActive", Map.of("eve", false), "actions", List.of()),
        "remediation", List.of(), "notifications", Map.of("byState", Map.of("sent", 0), "total", 0, "done", true),
        "timeline", List.of());
    String html = IncidentReportPage.render(report);
    assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "suspended or disabled")
        .doesNotContain("<script>");
  }
}
