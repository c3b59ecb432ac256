package dev.custos.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.incident.Exposure;
import dev.custos.incident.Scope;
import dev.custos.vault.Commitment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Scope} as a document, the one rendering every consumer shares (the HTTP routes, the
 * {@code custos scope} command, reports): JSON (a map for Jackson) and CSV (RFC 4180, one row per
 * customer). A customer appears by id when the directory resolves their commitment (not erased),
 * and always by commitment.
 */
public final class ScopeDocuments {
  /** The CSV header. */
  public static final String CSV_HEADER =
      "customer,commitment,fields_masked,fields_revealed,first,last,staff,accesses";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ScopeDocuments() {}

  /**
   * The scope as JSON members: {@code staff}, {@code from}, {@code to}, {@code coveredSize},
   * {@code accesses}, {@code customers} (how many), {@code byCategory}, {@code byField}
   * ({@code {"customers","revealed"}}) and {@code exposures} (each {@code customer} or null,
   * {@code commitment}, {@code fields} name to {@code masked}/{@code revealed}, {@code first},
   * {@code last}, {@code staff}, {@code accesses}).
   */
  public static Map<String, Object> json(Scope scope, Map<Commitment, CustomerId> customers) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("staff", scope.staff().stream().map(StaffId::value).sorted().toList());
    m.put("from", scope.from().toString());
    m.put("to", scope.to().toString());
    m.put("coveredSize", scope.coveredSize());
    m.put("accesses", scope.accesses());
    m.put("customers", scope.exposures().size());
    m.put("byCategory", byCategory(scope));
    Map<String, Object> fields = new TreeMap<>();
    scope.customersByField().forEach((f, c) -> fields.put(f, Map.of("customers", c[0], "revealed", c[1])));
    m.put("byField", fields);
    List<Map<String, Object>> exposures = new ArrayList<>(scope.exposures().size());
    for (Exposure e : scope.exposures()) {
      exposures.add(exposure(e, java.util.Optional.ofNullable(customers.get(e.customer()))));
    }
    m.put("exposures", exposures);
    return m;
  }

  /** The scope's exposures as CSV with {@link #CSV_HEADER}; field lists are separated by {@code ;}. */
  public static String csv(Scope scope, Map<Commitment, CustomerId> customers) {
    return csv(JSON.valueToTree(json(scope, customers)));
  }

  /**
   * The CSV of a scope's JSON {@code document} ({@link #json}, as {@code GET /v1/scope} answers it):
   * the one rendering, so a scope read from a server prints exactly as one read offline.
   *
   * @throws IllegalArgumentException when the document has no {@code exposures} array
   */
  public static String csv(JsonNode document) {
    JsonNode exposures = document.path("exposures");
    if (!exposures.isArray()) {
      throw new IllegalArgumentException("a scope document has an exposures array");
    }
    StringBuilder out = new StringBuilder(CSV_HEADER).append("\r\n");
    for (JsonNode e : exposures) {
      List<String> masked = new ArrayList<>();
      List<String> revealed = new ArrayList<>();
      e.path("fields").properties().forEach(f -> (f.getValue().asText().equals("revealed") ? revealed : masked)
          .add(f.getKey()));
      List<String> staff = new ArrayList<>();
      e.path("staff").forEach(x -> staff.add(x.asText()));
      out.append(cell(e.path("customer").isTextual() ? e.path("customer").asText() : "")).append(',')
          .append(cell(e.path("commitment").asText())).append(',')
          .append(cell(String.join(";", masked))).append(',').append(cell(String.join(";", revealed))).append(',')
          .append(cell(e.path("first").asText())).append(',').append(cell(e.path("last").asText())).append(',')
          .append(cell(String.join(";", staff))).append(',').append(e.path("accesses").asLong()).append("\r\n");
    }
    return out.toString();
  }

  /** One line per data category: {@code category: customers}, in the categories' order. */
  public static List<String> categoryLines(Scope scope) {
    return categoryLines(JSON.valueToTree(Map.of("byCategory", byCategory(scope))));
  }

  /** Customers per data category, in the categories' order. */
  private static Map<String, Integer> byCategory(Scope scope) {
    Map<String, Integer> categories = new LinkedHashMap<>();
    scope.customersByCategory().forEach((c, n) -> categories.put(c.wireName(), n));
    return categories;
  }

  /** {@link #categoryLines(Scope)} of a scope's JSON {@code document}: its {@code byCategory}, in order. */
  public static List<String> categoryLines(JsonNode document) {
    List<String> lines = new ArrayList<>();
    document.path("byCategory").properties().forEach(c -> lines.add(c.getKey() + ": " + c.getValue().asLong()));
    return lines;
  }

  /** A CSV cell, quoted when it holds a comma, quote or line break; a leading formula character is neutralised. */
  static String cell(String value) {
    String v = value;
    if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }

  /** One customer of a scope as JSON: who (id when resolved, else null; commitment), fields, when, by whom, how often. */
  static Map<String, Object> exposure(Exposure e, java.util.Optional<CustomerId> id) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("customer", id.map(CustomerId::value).orElse(null));
    x.put("commitment", e.customer().hex());
    Map<String, String> shown = new TreeMap<>();
    e.fields().forEach((f, s) -> shown.put(f, s == Exposure.Shown.REVEALED ? "revealed" : "masked"));
    x.put("fields", shown);
    x.put("first", e.first().toString());
    x.put("last", e.last().toString());
    x.put("staff", e.staff().stream().map(StaffId::value).toList());
    x.put("accesses", e.accesses());
    return x;
  }
}
