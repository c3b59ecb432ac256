package dev.custos.server;

import java.util.List;
import java.util.Map;

/**
 * The regulator report as a printable page: static HTML, no script, its stylesheet from
 * {@code /assets/incident-report.css} (screen and print rules), under the server's strict CSP.
 * Everything shown is escaped. Built from the same map the JSON report is, so the two never differ.
 */
final class IncidentReportPage {
  private IncidentReportPage() {}

  @SuppressWarnings("unchecked")
  static String render(Map<String, Object> report) {
    Map<String, Object> incident = (Map<String, Object>) report.get("incident");
    Map<String, Object> scope = (Map<String, Object>) report.get("scope");
    Map<String, Object> containment = (Map<String, Object>) report.get("containment");
    Map<String, Object> notifications = (Map<String, Object>) report.get("notifications");
    StringBuilder h = new StringBuilder(8192);
    h.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Incident report ").append(esc(incident.get("id"))).append("</title>\n")
        .append("<link rel=\"stylesheet\" href=\"/assets/incident-report.css\">\n</head>\n<body>\n<main>\n");
    h.append("<header><p class=\"kicker\">Personal data breach report</p><h1>").append(esc(incident.get("title")))
        .append("</h1><p class=\"lede\">Incident <code>").append(esc(incident.get("id"))).append("</code>, status <strong>")
        .append(esc(incident.get("status"))).append("</strong></p></header>\n");

    h.append("<section><h2>1. The incident</h2><table>");
    row(h, "Opened", incident.get("openedAt") + " by " + incident.get("openedBy"));
    row(h, "Owner", incident.getOrDefault("owner", "not assigned"));
    row(h, "Suspected staff", String.join(", ", (List<String>) incident.get("suspects")));
    row(h, "Window (UTC)", incident.get("from") + " to " + incident.get("to"));
    row(h, "Notes", incident.get("notes"));
    h.append("</table></section>\n");

    h.append("<section><h2>2. Scope</h2><table>");
    row(h, "Customers affected", scope.get("customers"));
    row(h, "Accesses in the window", scope.get("accesses"));
    row(h, "Customers no longer resolvable (erased)", scope.get("unresolved"));
    row(h, "Ledger size covered", scope.get("coveredSize"));
    h.append("</table>");
    counts(h, "By data category", "Category", (Map<String, Object>) scope.get("byCategory"));
    counts(h, "By jurisdiction (nationality)", "Jurisdiction", (Map<String, Object>) scope.get("byJurisdiction"));
    h.append("<h3>By field</h3><table class=\"counts\"><thead><tr><th>Field</th><th>Customers</th>"
        + "<th>Of whom shown in clear</th></tr></thead><tbody>");
    ((Map<String, Object>) scope.get("byField")).forEach((f, c) -> {
      Map<String, Object> n = (Map<String, Object>) c;
      h.append("<tr><td>").append(esc(f)).append("</td><td>").append(esc(n.get("customers"))).append("</td><td>")
          .append(esc(n.get("revealed"))).append("</td></tr>");
    });
    h.append("</tbody></table></section>\n");

    h.append("<section><h2>3. Containment</h2><h3>Detection measures against the suspected staff</h3>");
    List<Map<String, Object>> measures = (List<Map<String, Object>>) containment.get("detection");
    if (measures.isEmpty()) {
      h.append("<p>None recorded.</p>");
    } else {
      h.append("<table class=\"counts\"><thead><tr><th>When</th><th>Staff</th><th>Measure</th><th>Alert</th>"
          + "<th>Status</th><th>Ledger entry</th></tr></thead><tbody>");
      for (Map<String, Object> m : measures) {
        h.append("<tr><td>").append(esc(m.get("raisedAt"))).append("</td><td>").append(esc(m.get("staff")))
            .append("</td><td>").append(esc(m.get("measure"))).append("</td><td>").append(esc(m.get("alert")))
            .append("</td><td>").append(esc(m.get("status"))).append(m.containsKey("verdict") ? " (" + esc(m.get("verdict")) + ")" : "")
            .append("</td><td>").append(esc(m.get("ledgerIndex"))).append("</td></tr>");
      }
      h.append("</tbody></table>");
    }
    h.append("<h3>Suspects' accounts</h3><table>");
    ((Map<String, Object>) containment.get("suspectsActive")).forEach((st, a) ->
        row(h, st, Boolean.TRUE.equals(a) ? "active" : "suspended or disabled"));
    h.append("</table>");
    steps(h, "Containment measures recorded", (List<Map<String, Object>>) containment.get("actions"));
    h.append("</section>\n");

    h.append("<section><h2>4. Remediation</h2>");
    steps(h, null, (List<Map<String, Object>>) report.get("remediation"));
    h.append("</section>\n");

    h.append("<section><h2>5. Notification of the customers</h2>");
    counts(h, null, "State", (Map<String, Object>) notifications.get("byState"));
    h.append("<p>").append(esc(notifications.get("total"))).append(" notification(s) in all; ")
        .append(Boolean.TRUE.equals(notifications.get("done")) ? "none in progress." : "some still in progress.")
        .append("</p></section>\n");

    h.append("<section class=\"timeline\"><h2>6. Timeline</h2>");
    steps(h, null, (List<Map<String, Object>>) report.get("timeline"));
    h.append("</section>\n");
    h.append("<footer><p>Every step above is an entry of the installation's tamper-evident ledger "
        + "(<code>custos.incident/v1</code>); the ledger index lets an auditor check it against a signed checkpoint. "
        + "Customers are counted, not named, in this report.</p></footer>\n");
    h.append("</main>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void row(StringBuilder h, Object name, Object value) {
    h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>");
  }

  private static void counts(StringBuilder h, String title, String what, Map<String, Object> counts) {
    if (title != null) {
      h.append("<h3>").append(esc(title)).append("</h3>");
    }
    if (counts.isEmpty()) {
      h.append("<p>None.</p>");
      return;
    }
    h.append("<table class=\"counts\"><thead><tr><th>").append(esc(what)).append("</th><th>Customers</th></tr></thead><tbody>");
    counts.forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(v)).append("</td></tr>"));
    h.append("</tbody></table>");
  }

  @SuppressWarnings("unchecked")
  private static void steps(StringBuilder h, String title, List<Map<String, Object>> steps) {
    if (title != null) {
      h.append("<h3>").append(esc(title)).append("</h3>");
    }
    if (steps.isEmpty()) {
      h.append("<p>None recorded.</p>");
      return;
    }
    h.append("<table class=\"steps\"><thead><tr><th>When (UTC)</th><th>By</th><th>Step</th><th>Details</th>"
        + "<th>Ledger entry</th></tr></thead><tbody>");
    for (Map<String, Object> s : steps) {
      StringBuilder detail = new StringBuilder();
      ((Map<String, Object>) s.get("detail")).forEach((k, v) -> detail.append(detail.isEmpty() ? "" : ", ")
          .append(k).append(": ").append(v));
      if (s.containsKey("text")) {
        detail.append(detail.isEmpty() ? "" : " — ").append(s.get("text"));
      }
      h.append("<tr><td>").append(esc(s.get("at"))).append("</td><td>").append(esc(s.get("by"))).append("</td><td>")
          .append(esc(s.get("event"))).append("</td><td>").append(esc(detail)).append("</td><td>")
          .append(esc(s.get("ledgerIndex"))).append("</td></tr>");
    }
    h.append("</tbody></table>");
  }

  static String esc(Object value) {
    String s = String.valueOf(value);
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
