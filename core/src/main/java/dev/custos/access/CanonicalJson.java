package dev.custos.access;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    // Written straight to UTF-8 (no StringBuilder, then String, then bytes): every access request
    // encodes one entry before it waits for the ledger.
    Out out = new Out();
    write(out, value);
    return Arrays.copyOf(out.bytes, out.size);
  }

  /** A growing byte array. */
  private static final class Out {
    byte[] bytes = new byte[1024];
    int size;

    void ascii(char c) {
      if (size == bytes.length) {
        bytes = Arrays.copyOf(bytes, bytes.length * 2);
      }
      bytes[size++] = (byte) c;
    }

    void ascii(String s) {
      for (int i = 0; i < s.length(); i++) {
        ascii(s.charAt(i));
      }
    }

    void raw(byte[] b) {
      if (size + b.length > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + b.length));
      }
      System.arraycopy(b, 0, bytes, size, b.length);
      size += b.length;
    }
  }

  private static void write(Out out, Object value) {
    switch (value) {
      case null -> out.ascii("null");
      case String s -> string(out, s);
      case Long l -> out.ascii(Long.toString(l));
      case Integer i -> out.ascii(Integer.toString(i));
      case Boolean b -> out.ascii(b.toString());
      case Map<?, ?> m -> {
        // A map already sorted by String's natural order (entries are built as TreeMaps) is written
        // as it is; any other is sorted first.
        Map<?, ?> sorted = m instanceof SortedMap<?, ?> s && s.comparator() == null ? m : sorted(m);
        out.ascii('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : sorted.entrySet()) {
          if (!(e.getKey() instanceof String key)) {
            throw new IllegalArgumentException("object member names must be strings");
          }
          if (!first) {
            out.ascii(',');
          }
          first = false;
          string(out, key);
          out.ascii(':');
          write(out, e.getValue());
        }
        out.ascii('}');
      }
      case List<?> list -> {
        out.ascii('[');
        for (int i = 0; i < list.size(); i++) {
          if (i > 0) {
            out.ascii(',');
          }
          write(out, list.get(i));
        }
        out.ascii(']');
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
  private static void string(Out out, String s) {
    out.ascii('"');
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        // A run of non-ASCII characters as UTF-8, whole (so a surrogate pair stays one code point,
        // and a lone surrogate becomes '?' exactly as String.getBytes makes it).
        int end = i + 1;
        while (end < s.length() && s.charAt(end) >= 0x80) {
          end++;
        }
        out.raw(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end;
        continue;
      }
      switch (c) {
        case '"' -> out.ascii("\\\"");
        case '\\' -> out.ascii("\\\\");
        case '\b' -> out.ascii("\\b");
        case '\f' -> out.ascii("\\f");
        case '\n' -> out.ascii("\\n");
        case '\r' -> out.ascii("\\r");
        case '\t' -> out.ascii("\\t");
        default -> {
          if (c < 0x20) {
            out.ascii(String.format("\\u%04x", (int) c));
          } else {
            out.ascii(c);
          }
        }
      }
      i++;
    }
    out.ascii('"');
  }
}
