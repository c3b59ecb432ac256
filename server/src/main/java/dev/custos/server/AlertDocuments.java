package dev.custos.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custos.detect.Alert;
import dev.custos.detect.Measure;
import dev.custos.detect.Reading;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The forms an {@link Alert} takes on the way to security's tools: the webhook's JSON body, an OCSF
 * Detection Finding (class 2004) line, and an RFC 5424 syslog message in RFC 6587 octet-counting
 * framing. The mappings are documented in docs/detection.md, "Delivery"; tests pin them.
 *
 * <p>None carries customer data: an alert has none (its readings are counts, rates and baselines).
 */
final class AlertDocuments {
  /** The OCSF schema version the findings follow. */
  static final String OCSF_VERSION = "1.3.0";
  /**
   * The SD-ID of the structured data element. 32473 is the private enterprise number reserved for
   * documentation (RFC 5612); an SD-ID with it is well formed and collides with no vendor's.
   */
  static final String SD_ID = "custos@32473";
  /** Facility 10, security/authorization (authpriv). */
  static final int FACILITY = 10;

  private static final DateTimeFormatter SYSLOG_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private AlertDocuments() {}

  /** The webhook body: the alert with its explanation, UTF-8 JSON. */
  static byte[] webhookBody(Alert alert) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("id", alert.id());
    n.put("staff", alert.staff().value());
    n.put("raisedAt", alert.raisedAt().truncatedTo(ChronoUnit.MILLIS).toString());
    n.put("measure", alert.measure().wireName());
    n.put("risk", finite(alert.assessment().risk()));
    n.put("ledgerIndex", alert.ledgerIndex());
    n.set("readings", readings(alert, "signal", "value", "ownBaseline", "peerBaseline", "surprise"));
    n.put("explanation", alert.assessment().explain());
    return write(n).getBytes(StandardCharsets.UTF_8);
  }

  /** The alert as one OCSF 1.3.0 Detection Finding (class 2004, activity Create), one line of JSON. */
  static String ocsfLine(Alert alert) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("class_uid", 2004);
    n.put("class_name", "Detection Finding");
    n.put("category_uid", 2);
    n.put("category_name", "Findings");
    n.put("activity_id", 1);
    n.put("activity_name", "Create");
    n.put("type_uid", 200401);
    n.put("type_name", "Detection Finding: Create");
    n.put("time", alert.raisedAt().toEpochMilli());
    n.put("severity_id", ocsfSeverity(alert.measure()));
    n.put("severity", ocsfSeverityName(ocsfSeverity(alert.measure())));
    n.put("status_id", 1);
    n.put("status", "New");
    n.put("message", alert.assessment().explain());
    ObjectNode metadata = n.putObject("metadata");
    metadata.put("version", OCSF_VERSION);
    metadata.put("uid", alert.id());
    ObjectNode product = metadata.putObject("product");
    product.put("name", "Custos");
    product.put("vendor_name", "Custos");
    product.put("version", Version.current());
    ObjectNode info = n.putObject("finding_info");
    info.put("uid", alert.id());
    info.put("title", "Insider risk: " + alert.measure().wireName() + " " + alert.staff().value());
    info.put("desc", alert.assessment().explain());
    info.putArray("types").add("Insider Threat");
    ObjectNode analytic = info.putObject("analytic");
    analytic.put("name", "custos-detector");
    analytic.put("type_id", 2);
    analytic.put("type", "Behavioral");
    info.put("created_time", alert.raisedAt().toEpochMilli());
    n.put("risk_score", (int) Math.round(Math.min(100, Math.max(0, alert.assessment().risk()))));
    n.put("risk_level_id", riskLevel(alert.measure()));
    n.put("risk_level", riskLevelName(riskLevel(alert.measure())));
    n.put("risk_details", alert.assessment().explain());
    ObjectNode evidence = n.putArray("evidences").addObject();
    evidence.putObject("actor").putObject("user").put("uid", alert.staff().value());
    ObjectNode custos = n.putObject("unmapped").putObject("custos");
    custos.put("measure", alert.measure().wireName());
    custos.put("risk", finite(alert.assessment().risk()));
    custos.put("ledger_index", alert.ledgerIndex());
    custos.set("readings", readings(alert, "signal", "value", "own_baseline", "peer_baseline", "surprise"));
    return write(n);
  }

  /**
   * The RFC 5424 message: {@code <PRI>1 TIMESTAMP HOSTNAME custos - alert [custos@32473 ...] BOM explanation},
   * UTF-8, without framing.
   */
  static byte[] syslogMessage(Alert alert, String hostname) {
    StringBuilder s = new StringBuilder();
    s.append('<').append(FACILITY * 8 + syslogSeverity(alert.measure())).append(">1 ")
        .append(SYSLOG_TIME.format(alert.raisedAt())).append(' ')
        .append(header(hostname, 255)).append(" custos - alert [").append(SD_ID)
        .append(" id=\"").append(paramValue(alert.id()))
        .append("\" staff=\"").append(paramValue(alert.staff().value()))
        .append("\" measure=\"").append(alert.measure().wireName())
        .append("\" risk=\"").append(String.format(java.util.Locale.ROOT, "%.2f", alert.assessment().risk()))
        .append("\" ledgerIndex=\"").append(alert.ledgerIndex())
        .append("\"] ");
    byte[] head = s.toString().getBytes(StandardCharsets.UTF_8);
    byte[] msg = alert.assessment().explain().getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + 3 + msg.length];
    System.arraycopy(head, 0, out, 0, head.length);
    out[head.length] = (byte) 0xEF; // the BOM RFC 5424 requires before a UTF-8 MSG
    out[head.length + 1] = (byte) 0xBB;
    out[head.length + 2] = (byte) 0xBF;
    System.arraycopy(msg, 0, out, head.length + 3, msg.length);
    return out;
  }

  /** {@code MSG-LEN SP SYSLOG-MSG} (RFC 6587 section 3.4.1), MSG-LEN the message's length in octets. */
  static byte[] octetCounted(byte[] message) {
    byte[] prefix = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[prefix.length + message.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(message, 0, out, prefix.length, message.length);
    return out;
  }

  /** A PARAM-VALUE: {@code "}, {@code \} and {@code ]} escaped with a backslash (RFC 5424 section 6.3.3). */
  static String paramValue(String v) {
    StringBuilder s = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '"' || c == '\\' || c == ']') {
        s.append('\\');
      }
      s.append(c);
    }
    return s.toString();
  }

  /** A header field: printable US-ASCII only (33..126), at most {@code max} characters, {@code -} when empty. */
  static String header(String v, int max) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < v.length() && s.length() < max; i++) {
      char c = v.charAt(i);
      if (c >= 33 && c <= 126) {
        s.append(c);
      }
    }
    return s.isEmpty() ? "-" : s.toString();
  }

  /** Syslog severity: notice for an alert, warning for step-up and throttle, critical for a suspension. */
  static int syslogSeverity(Measure m) {
    return switch (m) {
      case NONE -> 6;
      case ALERT -> 5;
      case STEP_UP, THROTTLE -> 4;
      case SUSPEND -> 2;
    };
  }

  /** OCSF severity_id: 1 informational, 3 medium, 4 high, 5 critical. */
  static int ocsfSeverity(Measure m) {
    return switch (m) {
      case NONE -> 1;
      case ALERT, STEP_UP -> 3;
      case THROTTLE -> 4;
      case SUSPEND -> 5;
    };
  }

  private static String ocsfSeverityName(int id) {
    return switch (id) {
      case 1 -> "Informational";
      case 3 -> "Medium";
      case 4 -> "High";
      default -> "Critical";
    };
  }

  /** OCSF risk_level_id: 0 info, 1 low, 2 medium, 3 high, 4 critical. */
  private static int riskLevel(Measure m) {
    return switch (m) {
      case NONE -> 0;
      case ALERT -> 1;
      case STEP_UP -> 2;
      case THROTTLE -> 3;
      case SUSPEND -> 4;
    };
  }

  private static String riskLevelName(int id) {
    return switch (id) {
      case 0 -> "Info";
      case 1 -> "Low";
      case 2 -> "Medium";
      case 3 -> "High";
      default -> "Critical";
    };
  }

  private static ArrayNode readings(Alert alert, String signal, String value, String own, String peer, String surprise) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    for (Reading r : alert.assessment().readings()) {
      ObjectNode o = a.addObject();
      o.put(signal, r.signal().wireName());
      o.put(value, finite(r.value()));
      o.put(own, finite(r.ownBaseline()));
      o.put(peer, finite(r.peerBaseline()));
      o.put(surprise, finite(r.surprise()));
    }
    return a;
  }

  /** JSON has no NaN or infinity: a reading without a figure is written as 0 (the explanation keeps the text). */
  private static double finite(double d) {
    return Double.isFinite(d) ? d : 0;
  }

  private static String write(ObjectNode n) {
    try {
      return Json.MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an alert document could not be written", e);
    }
  }
}
