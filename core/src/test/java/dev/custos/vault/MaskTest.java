package dev.custos.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaskTest {
  private static FieldValue text(String s) {
    return new FieldValue.Text(s);
  }

  private static String masked(Mask m, String value) {
    return ((FieldValue.Text) m.apply(text(value)).orElseThrow()).value();
  }

  @ParameterizedTest(name = "{0}: \"{1}\" -> \"{2}\"")
  @CsvSource(delimiter = '|', textBlock = """
      last-4           | GB29 NWBK 6016 1331 9268 19 | •••• 6819
      last-4           | 4111-1111-1111-1234         | •••• 1234
      last-4           | 12345678                    | •••• 5678
      last-4           | 1234                        | •••• 34
      last-4           | AB1                         | •••• 1
      last-4           | 7                           | ••••
      last-4           | '- -'                       | ••••
      last-4           | •••• 1234                   | •••• 1234
      partial-email    | john.doe@example.com        | j•••@example.com
      partial-email    | j@example.com               | j•••@example.com
      partial-email    | j•••@example.com            | j•••@example.com
      partial-email    | not an email                | [redacted]
      partial-email    | a@b@example.com             | [redacted]
      partial-email    | @example.com                | [redacted]
      partial-email    | john@                       | [redacted]
      initial          | John Doe                    | J. D.
      initial          | john ronald reuel tolkien   | J. T.
      initial          | Ada                         | A.
      initial          | Élodie  Ñúñez               | É. Ñ.
      initial          | J. D.                       | J. D.
      initial          | 42 17                       | [redacted]
      year-only        | 1987-04-12                  | 1987
      year-only        | 1987-04                     | 1987
      year-only        | 1987                        | 1987
      year-only        | 1987-02-30                  | [redacted]
      year-only        | 12/04/1987                  | [redacted]
      range-bucket     | 0.52                        | 0.1–1
      range-bucket     | 1200.10                     | 1,000–10,000
      range-bucket     | 1000                        | 1,000–10,000
      range-bucket     | 999.99                      | 100–1,000
      range-bucket     | 7                           | 1–10
      range-bucket     | 0                           | 0
      range-bucket     | 0.000                       | 0
      range-bucket     | -250                        | -(100–1,000)
      range-bucket     | 0.00002                     | 0–0.0001
      range-bucket     | 0.0001                      | 0.0001–0.001
      range-bucket     | 5000000000000000000         | 1,000,000,000,000,000,000 or more
      range-bucket     | 1,000–10,000                | 1,000–10,000
      range-bucket     | 1e3                         | [redacted]
      range-bucket     | twelve                      | [redacted]
      redacted         | anything                    | [redacted]
      city-and-country | 221B Baker Street, London   | [redacted]
      none             | as is                       | as is
      """)
  public void text_isMaskedAsDocumented(String mask, String value, String expected) {
    assertThat(masked(Mask.parse(mask), value)).isEqualTo(expected);
  }

  @Test
  public void notShown_isEmpty() {
    assertThat(Mask.NOT_SHOWN.apply(text("x"))).isEmpty();
  }

  @Test
  public void balances_areBucketedPerCurrency() {
    FieldValue balances = FieldValue.Entries.of(Map.of("BTC", text("0.52"), "USD", text("1200.10")));

    assertThat(Mask.RANGE_BUCKET.apply(balances)).contains(
        FieldValue.Entries.of(Map.of("BTC", text("0.1–1"), "USD", text("1,000–10,000"))));
  }

  @Test
  public void cityAndCountry_keepsOnlyThoseParts() {
    FieldValue address = FieldValue.Entries.of(Map.of("line1", text("221B Baker Street"), "city", text("London"),
        "postcode", text("NW1 6XE"), "country", text("GB")));

    assertThat(Mask.CITY_AND_COUNTRY.apply(address)).contains(
        FieldValue.Entries.of(Map.of("city", text("London"), "country", text("GB"))));
  }

  @Test
  public void cityAndCountry_ofAnAddressWithoutThem_isRedacted_andOfNestedPartsRedactsThose() {
    assertThat(Mask.CITY_AND_COUNTRY.apply(FieldValue.Entries.of(Map.of("line1", text("1 Main St")))))
        .contains(text("[redacted]"));
    assertThat(Mask.CITY_AND_COUNTRY.apply(FieldValue.Entries.of(Map.of("city", new FieldValue.Items(List.of(text("x")))))))
        .contains(FieldValue.Entries.of(Map.of("city", text("[redacted]"))));
  }

  @Test
  public void lists_areMaskedElementWise() {
    FieldValue addresses = new FieldValue.Items(List.of(text("bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"), text("0xAbC1234")));

    assertThat(Mask.LAST_4.apply(addresses)).contains(new FieldValue.Items(List.of(text("•••• 0wlh"), text("•••• 1234"))));
  }

  @Test
  public void redacted_ofAStructuredValue_isOneRedactedText() {
    assertThat(Mask.REDACTED.apply(new FieldValue.Items(List.of(text("a"), text("b"))))).contains(text("[redacted]"));
  }

  // ---- properties ----------------------------------------------------------------------------

  @Provide
  Arbitrary<FieldValue> values() {
    return FieldValues.any();
  }

  @Provide
  Arbitrary<String> texts() {
    return net.jqwik.api.Arbitraries.oneOf(FieldValues.texts(), FieldValues.realistic());
  }

  @Property
  public void everyMask_isTotal_overEveryShape(@ForAll("values") FieldValue value, @ForAll Mask mask) {
    Optional<FieldValue> out = mask.apply(value);

    assertThat(out.isEmpty()).isEqualTo(mask == Mask.NOT_SHOWN);
  }

  @Property
  public void maskedText_neverContainsAPlaintextLongerThan8(@ForAll("texts") String value, @ForAll Mask mask) {
    if (mask == Mask.NONE || value.length() <= 8 || value.equals(Mask.REDACTED_TEXT)) {
      return;
    }
    mask.apply(text(value)).ifPresent(out -> FieldValues.leaves(out).forEach(leaf -> assertThat(leaf).doesNotContain(value)));
  }

  @Property
  public void maskedStructures_neverContainALeafLongerThan8_exceptCityAndCountry(@ForAll("values") FieldValue value, @ForAll Mask mask) {
    if (mask == Mask.NONE || mask == Mask.CITY_AND_COUNTRY) {
      return;
    }
    List<String> secrets = FieldValues.leaves(value).stream().filter(s -> s.length() > 8 && !s.equals(Mask.REDACTED_TEXT)).toList();
    mask.apply(value).ifPresent(out -> FieldValues.leaves(out).forEach(leaf -> {
      for (String secret : secrets) {
        assertThat(leaf).doesNotContain(secret);
      }
    }));
  }

  @Property
  public void masking_isIdempotent(@ForAll("values") FieldValue value, @ForAll Mask mask) {
    mask.apply(value).ifPresent(once -> assertThat(mask.apply(once)).contains(once));
  }

  @Property
  public void masking_isDeterministic(@ForAll("values") FieldValue value, @ForAll Mask mask) {
    assertThat(mask.apply(value)).isEqualTo(mask.apply(FieldCodec.decode(FieldCodec.encode(value))));
  }

  @Property
  public void last4_neverShowsMoreThanHalfOfTheLettersAndDigits(@ForAll("texts") String value) {
    String out = masked(Mask.LAST_4, value);
    long shown = out.codePoints().filter(Character::isLetterOrDigit).count();
    long total = value.codePoints().filter(Character::isLetterOrDigit).count();

    assertThat(shown).isLessThanOrEqualTo(Math.min(4, total / 2));
  }

  @Property
  public void structuredMasks_ofUnparseableText_redact_neverEchoIt(@ForAll("texts") String value) {
    for (Mask m : List.of(Mask.YEAR_ONLY, Mask.RANGE_BUCKET, Mask.PARTIAL_EMAIL)) {
      String out = masked(m, value);
      if (!out.equals(Mask.REDACTED_TEXT) && value.length() > 4) {
        assertThat(out).isNotEqualTo(value).as("only already-masked text maps to itself");
      }
    }
  }

  // The initials and year masks were a regex split and a regex match (RegexMasks); they are loops now.

  /** Texts of letters (some outside the BMP, some without case), digits, dashes and every kind of break. */
  @Provide
  Arbitrary<String> wordsAndBreaks() {
    Arbitrary<String> pieces = net.jqwik.api.Arbitraries.of(
        "a", "z", "É", "ß", "ǅ", "\u00e9", "\ud835\udc9c" /* a mathematical capital A, a letter outside the BMP */,
        "\u4e2d", "\u05d0", "1", "9", "0", "-", "'", ".", "_", " ", "\t", "\n", "\u000b", "\f", "\r",
        "\u001c" /* a file separator: white space to Java, not to the regex */, "\u00a0", "\u1680", "\u2007",
        "\u2028", "\u2029", "\u202f", "\u3000", "\u0085", "\u200b", "\ud800" /* a lone surrogate */, "\udc00");
    return net.jqwik.api.Arbitraries.oneOf(
        pieces.list().ofMaxSize(12).map(l -> String.join("", l)),
        FieldValues.texts(), FieldValues.realistic());
  }

  /** Dates and near-dates: the year mask's input. */
  @Provide
  Arbitrary<String> dateLike() {
    Arbitrary<String> digits = net.jqwik.api.Arbitraries.strings().withChars("0123456789").ofMinLength(0).ofMaxLength(5);
    Arbitrary<String> seps = net.jqwik.api.Arbitraries.of("-", "", "/", "--", "\u2010", "\u0662");
    return net.jqwik.api.Arbitraries.oneOf(
        net.jqwik.api.Combinators.combine(digits, seps, digits, seps, digits).as((a, b, c, d, e) -> a + b + c + d + e),
        net.jqwik.api.Arbitraries.integers().between(0, 9999).flatMap(y -> net.jqwik.api.Arbitraries.integers()
            .between(0, 13).flatMap(m -> net.jqwik.api.Arbitraries.integers().between(0, 32).map(d ->
                String.format(java.util.Locale.ROOT, "%04d-%02d-%02d", y, m, d)))),
        FieldValues.texts());
  }

  @Property(tries = 2000)
  public void initials_areThoseOfTheRegexSplitOnWhiteSpaceAndSeparators(@ForAll("wordsAndBreaks") String value) {
    assertThat(masked(Mask.INITIAL, value)).isEqualTo(RegexMasks.initials(value));
  }

  @Property(tries = 2000)
  public void yearOnly_isThatOfTheRegexMatchOfAnIsoDate(@ForAll("dateLike") String value) {
    assertThat(masked(Mask.YEAR_ONLY, value)).isEqualTo(RegexMasks.year(value));
  }
}
