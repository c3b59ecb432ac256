package dev.custos.access;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes ledger entries as canonical JSON in the sense of RFC 8785 (JCS) restricted to the values
 * entries use: objects with members sorted by name, no insignificant white space, strings escaped
 * minimally ({@code \"}, {@code \\}, {@code \b \f \n \r \t}, other control characters as
 * a backslash, {@code u} and four lower-case hex digits), integers without exponent, booleans and null. Equal entries are equal bytes, so
 * an auditor's tool can re-encode an entry and compare hashes.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /**
   * Encodes {@code value}: a {@link Map} with {@link String} keys, a {@link List}, a {@link String},
   * a {@link Long}/{@link Integer}, a {@link Boolean} or {@code null}.
   *
   * @throws IllegalArgumentException for any other type (a bug in the caller)
   */
  public static byte[] encode(Object value) {
    StringBuilder out = new StringBuilder(256);
    write(out, value);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(StringBuilder out, Object value) {
    switch (value) {
      case null -> out.append("null");
      case String s -> string(out, s);
      case Long l -> out.append(l.longValue());
      case Integer i -> out.append(i.intValue());
      case Boolean b -> out.append(b.booleanValue());
      case Map<?, ?> m -> {
        // A map already sorted by String's natural order (entries are built as TreeMaps) is written
        // as it is; any other is sorted first.
        Map<?, ?> sorted = m instanceof SortedMap<?, ?> s && s.comparator() == null ? m : sorted(m);
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : sorted.entrySet()) {
          if (!(e.getKey() instanceof String key)) {
            throw new IllegalArgumentException("object member names must be strings");
          }
          if (!first) {
            out.append(',');
          }
          first = false;
          string(out, key);
          out.append(':');
          write(out, e.getValue());
        }
        out.append('}');
      }
      case List<?> list -> {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          write(out, list.get(i));
        }
        out.append(']');
      }
      default -> throw new IllegalArgumentException("canonical JSON cannot encode a " + value.getClass().getName());
    }
  }

  private static TreeMap<String, Object> sorted(Map<?, ?> m) {
    TreeMap<String, Object> sorted = new TreeMap<>();
    m.forEach((k, v) -> {
      if (!(k instanceof String key)) {
        throw new IllegalArgumentException("object member names must be strings");
      }
      sorted.put(key, v);
    });
    return sorted;
  }

  // JCS sorts member names by UTF-16 code units, which is what String.compareTo does.
  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
