package dev.custos.identity;

import java.util.Objects;
import java.util.function.Function;

/**
 * The result of parsing untrusted text (a stored password hash, a base32 secret, an otpauth URI):
 * a value, or a problem that names the field and the rule. Parsers that return it never throw for
 * bad input.
 *
 * <p>A problem never quotes the input, because the input may be a secret.
 *
 * @param <T> what a successful parse yields
 */
public sealed interface Parsed<T> {
  /** The text was well-formed. */
  record Valid<T>(T value) implements Parsed<T> {
    public Valid {
      Objects.requireNonNull(value, "value");
    }
  }

  /** The text was not well-formed; {@code problem} says which part and which rule, without quoting it. */
  record Invalid<T>(String problem) implements Parsed<T> {
    public Invalid {
      Objects.requireNonNull(problem, "problem");
    }
  }

  /** A valid result holding {@code value}. */
  static <T> Parsed<T> valid(T value) {
    return new Valid<>(value);
  }

  /** An invalid result explained by {@code problem}. */
  static <T> Parsed<T> invalid(String problem) {
    return new Invalid<>(problem);
  }

  /** The value, or an {@link IllegalArgumentException} carrying the problem (for trusted input, where bad text is a bug). */
  default T orThrow() {
    return switch (this) {
      case Valid<T> v -> v.value();
      case Invalid<T> i -> throw new IllegalArgumentException(i.problem());
    };
  }

  /** This result with its value transformed by {@code f}; problems pass through unchanged. */
  default <R> Parsed<R> map(Function<? super T, ? extends R> f) {
    return switch (this) {
      case Valid<T> v -> new Valid<>(f.apply(v.value()));
      case Invalid<T> i -> new Invalid<>(i.problem());
    };
  }
}
