package dev.custos.vault;

import java.util.Locale;
import java.util.Objects;

/**
 * A kind of exact-match lookup the vault answers through a blind index: each is fed from one field
 * of the record and compares values after {@link #normalise normalising} them, so that
 * {@code " Ada@Example.COM"} finds the customer whose e-mail is {@code ada@example.com}.
 *
 * <p>The vault keeps, per customer and kind, a keyed HMAC of each normalised value, never the
 * value itself; see {@code docs/design/vault.md}.
 */
public enum SearchKey {
  /** The e-mail address: trimmed and lower-cased. */
  EMAIL("email", "email"),
  /** The phone number: digits only, a leading {@code +} kept ({@code +44 (20) 7946-0018} → {@code +442079460018}). */
  PHONE("phone", "phone"),
  /** The government id: upper-case letters and digits only ({@code ab 123-456 c} → {@code AB123456C}). */
  GOVERNMENT_ID("government-id", "government_id");

  private final String wireName;
  private final Field field;

  SearchKey(String wireName, String field) {
    this.wireName = wireName;
    this.field = new Field(field);
  }

  /** The name used in the API, the database and in the blind index's domain separation. */
  public String wireName() {
    return wireName;
  }

  /** The field whose values this key indexes. */
  public Field field() {
    return field;
  }

  /**
   * The canonical form of {@code value} for this kind; empty when nothing of it remains (an e-mail
   * of spaces, a phone number without a digit), which the vault neither indexes nor looks up.
   */
  public String normalise(String value) {
    Objects.requireNonNull(value, "value");
    return switch (this) {
      case EMAIL -> value.strip().toLowerCase(Locale.ROOT);
      case PHONE -> {
        String s = value.strip();
        StringBuilder out = new StringBuilder();
        s.codePoints().map(cp -> Character.digit(cp, 10)).filter(d -> d >= 0).forEach(out::append);
        yield out.isEmpty() ? "" : (s.startsWith("+") ? "+" : "") + out;
      }
      case GOVERNMENT_ID -> {
        StringBuilder out = new StringBuilder();
        value.toUpperCase(Locale.ROOT).codePoints().filter(Character::isLetterOrDigit).forEach(out::appendCodePoint);
        yield out.toString();
      }
    };
  }

  /** Parses a wire name; the message names the accepted values. */
  public static SearchKey parse(String text) {
    String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    for (SearchKey k : values()) {
      if (k.wireName.equals(wanted)) {
        return k;
      }
    }
    throw new IllegalArgumentException("search key must be one of email, phone, government-id");
  }
}
