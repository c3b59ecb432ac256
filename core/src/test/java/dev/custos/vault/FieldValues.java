package dev.custos.vault;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** jqwik generators of field values of every shape, a few levels deep. */
final class FieldValues {
  private FieldValues() {}

  /** Well-formed text (no unpaired surrogates), without the mask bullet, up to 40 characters. */
  static Arbitrary<String> texts() {
    return Arbitraries.strings().all().ofMaxLength(40)
        .filter(s -> s.indexOf('\u2022') < 0 && wellFormed(s));
  }

  static Arbitrary<FieldValue> any() {
    return value(3);
  }

  private static Arbitrary<FieldValue> value(int depth) {
    Arbitrary<FieldValue> text = Arbitraries.oneOf(texts(), realistic()).map(FieldValue.Text::new);
    if (depth == 0) {
      return text;
    }
    Arbitrary<FieldValue> items = value(depth - 1).list().ofMaxSize(4).map(FieldValue.Items::new);
    Arbitrary<FieldValue> entries = Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), value(depth - 1))
        .ofMaxSize(4).map(FieldValue.Entries::of);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, text), net.jqwik.api.Tuple.of(2, items), net.jqwik.api.Tuple.of(2, entries));
  }

  /** Texts shaped like what masks parse: dates, amounts, e-mails, names. */
  static Arbitrary<String> realistic() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(1900, 2100).flatMap(y -> Arbitraries.integers().between(1, 12)
            .flatMap(m -> Arbitraries.integers().between(1, 28).map(d -> String.format("%04d-%02d-%02d", y, m, d)))),
        Arbitraries.bigDecimals().between(new java.math.BigDecimal("-1e20"), new java.math.BigDecimal("1e20"))
            .ofScale(8).map(java.math.BigDecimal::toPlainString),
        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12)
            .flatMap(l -> Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).map(d -> l + "@" + d + ".com")),
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).list().ofMinSize(1).ofMaxSize(4)
            .map(words -> String.join(" ", words)));
  }

  static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  static List<String> leaves(FieldValue v) {
    return switch (v) {
      case FieldValue.Text t -> List.of(t.value());
      case FieldValue.Items items -> items.values().stream().flatMap(x -> leaves(x).stream()).toList();
      case FieldValue.Entries e -> e.values().values().stream().flatMap(x -> leaves(x).stream()).toList();
    };
  }
}
