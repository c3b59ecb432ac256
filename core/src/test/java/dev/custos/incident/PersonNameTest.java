package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PersonNameTest {
  /** Name-like words: Latin letters, some with accents and special letters, some non-Latin. */
  @Provide
  Arbitrary<List<String>> words() {
    return word().list().ofMinSize(1).ofMaxSize(4);
  }

  static Arbitrary<String> word() {
    return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
        + "éèêëÉàâäÅåçÇñÑöÖüÜíÍóÓúßøØłŁæÆœđþışΣσςΑλέξ김이李").ofMinLength(1).ofMaxLength(12);
  }

  @Property
  void theKeyIsIdempotent(@ForAll String anything) {
    Optional<String> key = PersonName.key(anything);
    key.ifPresent(k -> assertThat(PersonName.key(k)).contains(k));
  }

  @Property
  void theKeyOfNameLikeTextIsIdempotent(@ForAll("words") List<String> words) {
    String k = PersonName.key(String.join(" ", words)).orElseThrow();
    assertThat(PersonName.key(k)).contains(k);
  }

  @Property
  void tokenOrderPunctuationAndSpacing_doNotMatter(@ForAll("words") List<String> words,
      @ForAll long seed) {
    List<String> shuffled = new ArrayList<>(words);
    Collections.shuffle(shuffled, new java.util.Random(seed));
    String reordered = String.join(",  \t", shuffled) + ".";
    assertThat(PersonName.key(reordered)).isEqualTo(PersonName.key(String.join(" ", words)));
  }

  @Property
  void accentsCaseAndCompatibilityForms_doNotMatter(@ForAll("words") List<String> words) {
    String name = String.join(" ", words);
    String plain = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    assertThat(PersonName.key(plain)).isEqualTo(PersonName.key(name));
    assertThat(PersonName.key(name.toUpperCase(java.util.Locale.ROOT))).isEqualTo(PersonName.key(name));
    assertThat(PersonName.key(Normalizer.normalize(name, Normalizer.Form.NFD))).isEqualTo(PersonName.key(name));
  }

  @Test
  void commonSpellingsOfOneName_shareTheirKey() {
    String ada = PersonName.key("Ada Lovelace").orElseThrow();
    assertThat(ada).isEqualTo("ada lovelace");
    for (String s : List.of("Lovelace, Ada", "  ADA   LOVELACE ", "Ádá Lövëlace", "ＡＤＡ ＬＯＶＥＬＡＣＥ", "lovelace ada")) {
      assertThat(PersonName.key(s)).as(s).contains(ada);
    }
    assertThat(PersonName.key("Seán O'Brien")).isEqualTo(PersonName.key("Sean OBrien")).isEqualTo(PersonName.key("O’Brien, Sean"));
    assertThat(PersonName.key("Jean-Luc Picard")).isEqualTo(PersonName.key("Picard Jean Luc"));
    assertThat(PersonName.key("Straße")).isEqualTo(PersonName.key("STRASSE"));
    assertThat(PersonName.key("Łukasz Żółć")).isEqualTo(PersonName.key("Lukasz Zolc"));
    assertThat(PersonName.key("Søren Kierkegaard")).isEqualTo(PersonName.key("Soren Kierkegaard"));
  }

  @Test
  void differentNames_keepDifferentKeys() {
    assertThat(PersonName.key("Ada Lovelace")).isNotEqualTo(PersonName.key("Ada Lovelac"));
    assertThat(PersonName.key("Ada Lovelace")).isNotEqualTo(PersonName.key("Ada Byron Lovelace"));
    assertThat(PersonName.key("Ann Marie")).isNotEqualTo(PersonName.key("Annmarie"));
  }

  @Test
  void textWithoutLettersOrDigits_hasNoKey() {
    assertThat(PersonName.key("")).isEmpty();
    assertThat(PersonName.key(" ,.-' ")).isEmpty();
  }
}
