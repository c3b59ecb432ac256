package dev.custos.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the OpenAPI 3.1 document from the same route list the server registers. */
final class OpenApi {
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([A-Za-z0-9_]+)}");

  private OpenApi() {}

  static Map<String, Object> document(List<ApiRoute> routes, String version) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.1.0");
    doc.put("info", Map.of(
        "title", "Custos",
        "version", version,
        "description", "Guards customer data at a crypto exchange against its own insiders. "
            + "Errors are application/problem+json (RFC 9457) with a stable type URI.",
        "license", Map.of("name", "Proprietary")));
    Map<String, Object> paths = new TreeMap<>();
    for (ApiRoute r : routes) {
      @SuppressWarnings("unchecked")
      Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(r.path(), p -> new LinkedHashMap<>());
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("operationId", r.operationId());
      op.put("summary", r.summary());
      op.put("tags", List.of(r.tag()));
      List<Map<String, Object>> params = new java.util.ArrayList<>();
      Matcher m = PATH_PARAM.matcher(r.path());
      while (m.find()) {
        params.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
      }
      if (!params.isEmpty()) {
        op.put("parameters", params);
      }
      Map<String, Object> responses = new TreeMap<>();
      r.responses().forEach((status, description) -> {
        String media = status < 400 ? r.produces() : HttpApi.PROBLEM_JSON;
        Map<String, Object> content = new LinkedHashMap<>();
        content.put(media, status < 400 ? Map.of() : Map.of("schema", Map.of("$ref", "#/components/schemas/Problem")));
        responses.put(Integer.toString(status), Map.of("description", description, "content", content));
      });
      op.put("responses", responses);
      r.serviceScope().ifPresent(scope -> op.put("security", List.of(Map.of("serviceToken", List.of(scope.wireName())))));
      if (r.staffSession() && r.serviceScope().isPresent()) {
        // either credential (alternatives, as OpenAPI lists them)
        op.put("security", List.of(Map.of("staffSession", List.of()),
            Map.of("serviceToken", List.of(r.serviceScope().get().wireName()))));
      } else if (r.staffSession()) {
        op.put("security", List.of(Map.of("staffSession", List.of())));
      }
      item.put(r.method().name().toLowerCase(Locale.ROOT), op);
    }
    doc.put("paths", paths);
    doc.put("components", Map.of("schemas", Map.of("Problem", problemSchema()),
        "securitySchemes", Map.of("serviceToken", Map.of("type", "http", "scheme", "bearer",
            "description", "A service token (cst_<id>_<secret>) issued with 'custos token create'; "
                + "the scope each operation needs is listed in its security requirement."),
            "staffSession", Map.of("type", "apiKey", "in", "cookie", "name", StaffAuth.COOKIE,
                "description", "A staff session from POST /v1/session/login and /v1/session/login/second-factor; "
                    + "unsafe methods also need the header " + StaffAuth.CSRF_HEADER + " with the session's csrfToken."))));
    return doc;
  }

  private static Map<String, Object> problemSchema() {
    Map<String, Object> props = new LinkedHashMap<>();
    props.put("type", Map.of("type", "string", "format", "uri-reference",
        "description", "Stable identifier of the problem: urn:custos:problem:<slug>"));
    props.put("title", Map.of("type", "string"));
    props.put("status", Map.of("type", "integer"));
    props.put("detail", Map.of("type", "string"));
    props.put("field", Map.of("type", "string", "description", "The offending field, when one is to blame"));
    return Map.of("type", "object", "required", List.of("type", "title", "status", "detail"), "properties", props);
  }
}
