package dev.custos.store.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.Action;
import dev.custos.incident.Access;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class AccessEntriesTest {
  static final String C1 = "a".repeat(64);
  static final String C2 = "b".repeat(64);
  static final String REVEAL = "{\"action\":\"reveal\",\"at\":\"2026-11-21T06:52:06.384538870Z\",\"customer\":\"" + C1
      + "\",\"decision\":\"permit\",\"fields\":{\"phone\":\"none\"},\"kind\":\"custos.access/v1\",\"obligations\":[],"
      + "\"purpose\":{\"id\":\"T-4712\",\"type\":\"ticket\"},\"roles\":[\"support-l2\"],\"rules\":[\"request\"],"
      + "\"session\":\"s1\",\"staff\":\"dave\"}";
  static final String SEARCH = "{\"action\":\"search\",\"at\":\"2026-11-21T07:00:00Z\",\"customer\":null,\"customers\":[\""
      + C1 + "\",\"" + C2 + "\"],\"decision\":\"permit\",\"fields\":{\"email\":\"partial-email\",\"name\":\"initial\"},"
      + "\"kind\":\"custos.access/v1\",\"obligations\":[],\"purpose\":{\"type\":\"none\"},\"roles\":[\"support-l1\"],"
      + "\"rules\":[],\"search\":{\"key\":\"email\",\"matches\":2},\"session\":\"s2\",\"staff\":\"erin\"}";

  static List<Access> parse(long index, String entry) {
    return AccessEntries.parse(index, entry.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void permittedReveal_isOneAccess_withItsPurposeAndMasks() {
    assertThat(parse(5, REVEAL)).singleElement().satisfies(a -> {
      assertThat(a.ledgerIndex()).isEqualTo(5);
      assertThat(a.at()).isEqualTo(Instant.parse("2026-11-21T06:52:06.384538870Z"));
      assertThat(a.staff().value()).isEqualTo("dave");
      assertThat(a.action()).isEqualTo(Action.REVEAL);
      assertThat(a.customer().hex()).isEqualTo(C1);
      assertThat(a.purposeType()).isEqualTo("ticket");
      assertThat(a.purposeId()).contains("T-4712");
      assertThat(a.revealed("phone")).isTrue();
    });
  }

  /**
   * Consecutive entries whose {@code fields} objects are the same, one a prefix of another, differ by one
   * byte or by white space, or are not objects: each entry's fields are exactly what a tree parse of that
   * entry reads (the index skips re-reading a {@code fields} object identical to the last one).
   */
  @Property(tries = 300)
  void fieldsOfEachEntry_areWhatATreeParseReads_whateverTheEntryBeforeIt(
      @ForAll("fieldsTexts") List<String> sequence) throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper tree = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String fields : sequence) {
      String entry = REVEAL.replace("\"fields\":{\"phone\":\"none\"}", "\"fields\":" + fields);
      com.fasterxml.jackson.databind.JsonNode expected = tree.readTree(entry).path("fields");
      boolean wellFormed = expected.isObject() && expected.properties().stream().allMatch(e -> e.getValue().isTextual());
      if (!wellFormed) {
        assertThatThrownBy(() -> parse(1, entry)).hasMessageContaining("fields");
        continue;
      }
      Map<String, String> want = new java.util.HashMap<>();
      expected.properties().forEach(e -> want.put(e.getKey(), e.getValue().asText()));
      assertThat(parse(1, entry)).singleElement().satisfies(a -> assertThat(a.fields()).isEqualTo(want));
    }
  }

  @Provide
  Arbitrary<List<String>> fieldsTexts() {
    return Arbitraries.of(
        "{\"phone\":\"none\"}", "{\"phone\":\"none\",\"email\":\"partial-email\"}", "{\"phone\":\"last-4\"}",
        "{\"phone\":\"none\" }", "{ \"phone\":\"none\"}", "{\"phone\":\"nonf\"}", "{}", "{\"phone\":1}",
        "{\"phone\":{\"a\":\"b\"}}", "{\"phone\":\"none\",\"phone\":\"last-4\"}", "[]", "\"none\"",
        "{\"email\":\"partial-email\",\"phone\":\"none\"}").list().ofMinSize(1).ofMaxSize(12);
  }

  @Test
  void permittedSearch_isOneAccessPerCustomerFound_withTheStubsFields() {
    List<Access> found = parse(9, SEARCH);
    assertThat(found).extracting(a -> a.customer().hex()).containsExactly(C1, C2);
    assertThat(found).allSatisfy(a -> {
      assertThat(a.fields()).isEqualTo(Map.of("email", "partial-email", "name", "initial"));
      assertThat(a.purposeId()).isEqualTo(Optional.empty());
    });
  }

  @Test
  void denialsOtherKindsAndNonJson_showNothing() {
    assertThat(parse(1, REVEAL.replace("\"permit\"", "\"deny\""))).isEmpty();
    assertThat(parse(1, "{\"kind\":\"custos.case/v1\",\"action\":\"open\"}")).isEmpty();
    assertThat(parse(1, "not json")).isEmpty();
    assertThat(parse(1, "[1,2]")).isEmpty();
  }

  @Test
  void accessEntryWithABadMember_isRefused_namingIt() {
    assertThatThrownBy(() -> parse(3, REVEAL.replace(C1, "zz"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ledger entry 3").hasMessageContaining("member customer");
    assertThatThrownBy(() -> parse(3, REVEAL.replace("2026-11-21T06", "yesterday")))
        .hasMessageContaining("member at");
  }

  @Test
  void truncatedEntry_showsNothing_likeAnyOtherNonJson() {
    for (int cut : new int[] {1, 40, REVEAL.length() / 2, REVEAL.length() - 1}) {
      assertThat(parse(1, REVEAL.substring(0, cut))).as("cut at %d", cut).isEmpty();
    }
  }

  @Test
  void memberGivenTwice_keepsItsLastValue() {
    String twice = REVEAL.replace("\"staff\":\"dave\"", "\"staff\":\"mallory\",\"staff\":\"dave\"");
    assertThat(parse(2, twice)).singleElement().satisfies(a -> assertThat(a.staff().value()).isEqualTo("dave"));
  }

  @Test
  void nestedValuesWhereTextBelongs_areRefused_namingTheMember() {
    assertThatThrownBy(() -> parse(4, REVEAL.replace("\"id\":\"T-4712\"", "\"id\":{\"x\":1}")))
        .hasMessageContaining("member purpose.id");
    assertThatThrownBy(() -> parse(4, REVEAL.replace("\"phone\":\"none\"", "\"phone\":[\"none\"]")))
        .hasMessageContaining("member fields.phone");
    assertThatThrownBy(() -> parse(4, SEARCH.replace("\"customers\":[\"", "\"customers\":[7,\"")))
        .hasMessageContaining("member customers");
    assertThatThrownBy(() -> parse(4, REVEAL.replace("\"session\":\"s1\"", "\"session\":null")))
        .hasMessageContaining("member session");
  }

  @Provide
  Arbitrary<String> mutated() {
    return Arbitraries.of(REVEAL, SEARCH).flatMap(base -> Arbitraries.integers().between(0, base.length() - 1)
        .flatMap(at -> Arbitraries.integers().between(0, 8).flatMap(cut -> Arbitraries.strings().ofMaxLength(6)
            .map(insert -> base.substring(0, at) + insert + base.substring(Math.min(base.length(), at + cut))))));
  }

  /** Fuzz: whatever bytes an entry holds, parsing shows nothing or refuses, and never fails otherwise. */
  @Property(tries = 2000)
  void anyEntry_parsesToAccessesOrIsRefused(@ForAll("mutated") String entry) {
    try {
      List<Access> accesses = parse(1, entry);
      assertThat(accesses).allSatisfy(a -> assertThat(a.ledgerIndex()).isEqualTo(1));
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).startsWith("ledger entry 1");
    }
  }

  @Property(tries = 500)
  void randomBytes_neverFailOtherwise(@ForAll byte[] entry) {
    try {
      assertThat(AccessEntries.parse(0, entry)).isNotNull();
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).startsWith("ledger entry 0");
    }
  }

  @Property
  void instant_readsWhatInstantToStringWrites(@ForAll("instants") Instant at) {
    assertThat(AccessEntries.instant(at.toString())).isEqualTo(at);
  }

  @Provide
  Arbitrary<Instant> instants() {
    Arbitrary<Long> seconds = Arbitraries.longs().between(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
        Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
    Arbitrary<Integer> nanos = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(0, 999).map(m -> m * 1_000_000),
        Arbitraries.integers().between(0, 999_999).map(u -> u * 1_000), Arbitraries.integers().between(0, 999_999_999));
    return net.jqwik.api.Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
  }

  @Test
  void instant_answersOrRefusesOtherTextExactlyAsInstantParse() {
    for (String text : new String[] {"2026-11-21T07:00:00Z", "2026-11-21T07:00:00.5Z", "2024-02-29T23:59:59.000000001Z",
        "2026-02-29T07:00:00Z", "2026-04-31T07:00:00Z", "2026-11-21T24:00:00Z", "2026-11-21T23:60:00Z",
        "2026-11-21T23:59:60Z", "2026-11-21T07:00:00.Z", "2026-11-21T07:00:00.1234567890Z", "2026-11-21 07:00:00Z",
        "2026-11-21T07:00:00+01:00", "+12026-11-21T07:00:00Z", "-0001-11-21T07:00:00Z", "2026-1x-21T07:00:00Z",
        "2026-11-21T07:00:0\u0661Z", "2026-13-21T07:00:00Z", "2026-00-21T07:00:00Z", "2026-11-00T07:00:00Z", ""}) {
      Object expected;
      try {
        expected = Instant.parse(text);
      } catch (java.time.format.DateTimeParseException e) {
        expected = "refused";
      }
      Object actual;
      try {
        actual = AccessEntries.instant(text);
      } catch (java.time.format.DateTimeParseException e) {
        actual = "refused";
      }
      assertThat(actual).as(text).isEqualTo(expected);
    }
  }
}
