package dev.custos.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem detail, the body of every HTTP error Custos sends. {@code detail} is for
 * people and never carries a stack trace, a secret or a PII value; {@code extensions} carry
 * machine-readable evidence such as the offending {@code field}.
 */
public record Problem(ProblemType type, int status, String detail, Map<String, Object> extensions) {
  public Problem {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(detail, "detail");
    extensions = Map.copyOf(extensions);
  }

  public static Problem of(ProblemType type, String detail) {
    return new Problem(type, type.status(), detail, Map.of());
  }

  public Problem with(String name, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(extensions);
    m.put(name, value);
    return new Problem(type, status, detail, m);
  }

  /** The JSON body, members in RFC order, then extensions. */
  Map<String, Object> body(String instance) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type.uri());
    m.put("title", type.title());
    m.put("status", status);
    m.put("detail", detail);
    if (instance != null) {
      m.put("instance", instance);
    }
    m.putAll(extensions);
    return m;
  }
}
