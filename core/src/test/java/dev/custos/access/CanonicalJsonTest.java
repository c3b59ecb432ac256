package dev.custos.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  private static String text(Object value) {
    return new String(CanonicalJson.encode(value), StandardCharsets.UTF_8);
  }

  @Test
  void encode_sortsMembersAndLeavesNoWhiteSpace() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "custos.access/v1");
    m.put("b", List.of(1L, true, "x"));
    m.put("a", Map.of("z", 1, "y", 2));
    m.put("n", null);
    assertThat(text(m)).isEqualTo("{\"a\":{\"y\":2,\"z\":1},\"b\":[1,true,\"x\"],\"kind\":\"custos.access/v1\",\"n\":null}");
  }

  @Test
  void encode_escapesLikeRfc8785() {
    assertThat(text("q\"b\\\n\t\u0001é€")).isEqualTo("\"q\\\"b\\\\\\n\\t\\u0001é€\"");
  }

  @Test
  void encode_refusesTypesItDoesNotDefine() {
    assertThatThrownBy(() -> CanonicalJson.encode(Map.of("x", 1.5))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CanonicalJson.encode(Map.of(1, "x"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Property
  void equalMapsInAnyInsertionOrderEncodeToEqualBytes(@ForAll Map<String, String> members) {
    Map<String, Object> forward = new LinkedHashMap<>(members);
    Map<String, Object> shuffled = new HashMap<>();
    List<String> keys = new java.util.ArrayList<>(members.keySet());
    java.util.Collections.reverse(keys);
    keys.forEach(k -> shuffled.put(k, members.get(k)));
    assertThat(Arrays.equals(CanonicalJson.encode(forward), CanonicalJson.encode(shuffled))).isTrue();
  }

  @Property
  void everyStringEncodesAsJsonThatAStandardParserReadsBack(@ForAll String s) {
    // A minimal independent decoder: the JDK has none, so check the invariant instead: no raw
    // control character and no unescaped quote survives.
    String encoded = text(s);
    String inner = encoded.substring(1, encoded.length() - 1);
    assertThat(inner.chars().noneMatch(c -> c < 0x20)).isTrue();
    assertThat(inner.replace("\\\\", "").replace("\\\"", "")).doesNotContain("\"");
  }

  @Test
  void sortedMapsOfAnyOrder_encodeInNameOrder() {
    java.util.TreeMap<String, Object> reversed = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
    reversed.put("a", 1L);
    reversed.put("b", 2L);
    java.util.TreeMap<String, Object> natural = new java.util.TreeMap<>(reversed);
    assertThat(new String(CanonicalJson.encode(reversed), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"a\":1,\"b\":2}");
    assertThat(CanonicalJson.encode(natural)).isEqualTo(CanonicalJson.encode(reversed));
  }

  /**
   * The reference: the string escaped char by char as text, then String.getBytes (a lone surrogate
   * becomes '?'), which is how entries were encoded before they were written straight to bytes.
   */
  private static byte[] reference(String s) {
    StringBuilder escaped = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> escaped.append("\\\"");
        case '\\' -> escaped.append("\\\\");
        case '\b' -> escaped.append("\\b");
        case '\f' -> escaped.append("\\f");
        case '\n' -> escaped.append("\\n");
        case '\r' -> escaped.append("\\r");
        case '\t' -> escaped.append("\\t");
        default -> escaped.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    return escaped.append('"').toString().getBytes(StandardCharsets.UTF_8);
  }

  @Property
  void everyStringEncodesToTheUtf8OfItsEscapedText(@ForAll String s) {
    assertThat(CanonicalJson.encode(s)).isEqualTo(reference(s));
  }

  @Test
  void surrogatePairsEncodeAsOneCodePoint_loneSurrogatesAsQuestionMarks() {
    for (String s : new String[] {"a\ud83d\ude00b", "\ud800", "x\ud800", "\ud800x", "\udc00\ud800", "\u00e9\ud800\n",
        "\ud83d\ude00\ud83d", "\u20ac\"\udfff"}) {
      assertThat(CanonicalJson.encode(s)).as(s).isEqualTo(reference(s));
    }
    assertThat(text("a\ud83d\ude00b\ud800")).isEqualTo("\"a\ud83d\ude00b?\"");
  }

  @Test
  void encode_growsPastItsFirstBuffer() {
    String long1 = "x".repeat(5000) + "\u20ac".repeat(700);
    assertThat(text(Map.of("a", long1, "b", List.of(long1, 42L)))).isEqualTo(
        "{\"a\":\"" + long1 + "\",\"b\":[\"" + long1 + "\",42]}");
  }
}
