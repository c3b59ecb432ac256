package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LeakSampleTest {
  @Test
  void jsonLines_readIdentifiersAndLeakedFields_maskedOrClear() {
    LeakSample s = LeakSample.parse("""
        {"customer_id": "c-1", "email": "ada@example.com", "phone": "***-***-0018"}

        {"email": "bob@example.com", "balances": 1200.5, "kyc_status": null}
        """);
    assertThat(s.records()).hasSize(2);
    LeakSample.Record first = s.records().getFirst();
    assertThat(first.line()).isEqualTo(1);
    assertThat(first.identifier("customer_id")).contains("c-1");
    assertThat(first.leakedFields()).containsExactly(Map.entry("email", Exposure.Shown.REVEALED),
        Map.entry("phone", Exposure.Shown.MASKED));
    LeakSample.Record second = s.records().get(1);
    assertThat(second.line()).isEqualTo(3);
    assertThat(second.leakedFields()).containsOnlyKeys("email", "balances");
  }

  @Test
  void csv_withHeader_readsQuotedCellsAndTreatsEmptyCellsAsNotLeaked() {
    LeakSample s = LeakSample.parse("""
        Customer ID,E-mail,Name,Address
        c-1,ada@example.com,"Lovelace, Ada",
        c-2,,"Bob ""the"" Builder","1 Main St
        Springfield"
        """);
    assertThat(s.records()).hasSize(2);
    assertThat(s.records().getFirst().values()).containsOnlyKeys("customer_id", "email", "name");
    assertThat(s.records().getFirst().values()).containsEntry("name", "Lovelace, Ada");
    assertThat(s.records().get(1).values()).containsEntry("name", "Bob \"the\" Builder")
        .containsEntry("address", "1 Main St\nSpringfield");
    assertThat(s.records().get(1).line()).isEqualTo(3);
  }

  @Test
  void record_withoutAnIdentifier_isRefusedWithItsLine() {
    assertThatThrownBy(() -> LeakSample.parse("{\"customer_id\":\"c-1\"}\n{\"balances\":\"12\"}\n"))
        .isInstanceOf(LeakSample.ParseException.class).hasMessageStartingWith("line 2: the record names no customer");
  }

  @Test
  void nestedJson_isRefusedWithItsLine() {
    assertThatThrownBy(() -> LeakSample.parse("{\"email\":\"a@b.c\"}\n\n{\"email\":{\"x\":1}}"))
        .isInstanceOfSatisfying(LeakSample.ParseException.class, e -> assertThat(e.line()).isEqualTo(3))
        .hasMessageContaining("nested");
  }

  @Test
  void csvRow_longerThanTheHeader_isRefusedWithItsLine() {
    assertThatThrownBy(() -> LeakSample.parse("email\na@b.c\na@b.c,extra\n"))
        .hasMessage("line 3: the row has 2 cells, the header 1");
  }

  @Test
  void emptySample_isRefused() {
    assertThatThrownBy(() -> LeakSample.parse("\n  \n")).hasMessage("line 1: the sample is empty");
  }

  @Test
  void duplicateKey_isRefused() {
    assertThatThrownBy(() -> LeakSample.parse("{\"email\":\"a@b.c\",\"email\":\"d@e.f\"}"))
        .hasMessageContaining("appears twice");
  }

  @Property(tries = 300)
  void parser_anyText_eitherParsesOrFailsWithALineNumberInRange(@ForAll("samples") String text) {
    int lines = (int) Math.max(1, text.lines().count());
    try {
      LeakSample s = LeakSample.parse(text);
      for (LeakSample.Record r : s.records()) {
        assertThat(r.line()).isBetween(1, lines);
        assertThat(r.values().keySet()).anyMatch(LeakSample.IDENTIFIERS::contains);
        assertThat(r.values().values()).allMatch(v -> !v.isEmpty());
      }
    } catch (LeakSample.ParseException e) {
      assertThat(e.line()).isBetween(1, lines);
      assertThat(e.getMessage()).startsWith("line " + e.line() + ": ");
    }
  }

  @Property(tries = 200)
  void jsonLines_writtenFromRecords_parseBackToTheSameValues(@ForAll("records") List<Map<String, String>> records) {
    StringBuilder text = new StringBuilder();
    for (Map<String, String> r : records) {
      StringBuilder line = new StringBuilder("{");
      r.forEach((k, v) -> line.append(line.length() > 1 ? "," : "").append('"').append(k).append("\":\"")
          .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
      text.append(line).append("}\n");
    }
    LeakSample s = LeakSample.parse(text.toString());
    assertThat(s.records()).hasSize(records.size());
    for (int i = 0; i < records.size(); i++) {
      assertThat(s.records().get(i).values()).isEqualTo(records.get(i));
      assertThat(s.records().get(i).line()).isEqualTo(i + 1);
    }
  }

  @Provide
  Arbitrary<String> samples() {
    Arbitrary<String> pieces = Arbitraries.oneOf(
        Arbitraries.of("{", "}", "\"", ",", ":", "\n", "\r\n", "[", "]", "\\", "\\u00e9", "null", "true", "12.5",
            "\"email\"", "\"customer_id\"", "\"name\"", "email,phone\n", "customer_id\n", "\"a@b.c\"", "\"\"", " ", "x",
            "\uFEFF", "•"),
        Arbitraries.strings().ofMaxLength(6));
    return pieces.list().ofMaxSize(40).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<List<Map<String, String>>> records() {
    Arbitrary<String> values = Arbitraries.strings().withCharRange(' ', '~').withChars('é', '•').ofMinLength(1).ofMaxLength(20)
        .filter(v -> !v.isBlank() && v.strip().equals(v));
    Arbitrary<String> extra = Arbitraries.of("balances", "address", "kyc_status", "bank_account");
    Arbitrary<Map<String, String>> record = Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of("email", "phone", "customer_id"),
        extra), values).ofMinSize(1).ofMaxSize(4).map(m -> {
          java.util.TreeMap<String, String> t = new java.util.TreeMap<>(m);
          t.putIfAbsent("email", "someone@example.com");
          return t;
        });
    return record.list().ofMinSize(1).ofMaxSize(20);
  }
}
