package dev.custos.vault;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How a field is shown when it is not revealed. Masks are applied to the decrypted value inside
 * the server, after the access is in the ledger; the masked result is all that leaves.
 *
 * <h2>Guarantees of {@link #apply}</h2>
 * <ul>
 *   <li>Total: every {@link FieldValue} of every shape gives a result, never an exception.</li>
 *   <li>Deterministic: the same value gives the same result, with no clock, locale or randomness.</li>
 *   <li>Fail closed: a value a structured mask cannot parse (a date mask on text that is not a date)
 *       becomes the text {@value #REDACTED_TEXT}, never the raw value.</li>
 *   <li>Idempotent: masking a masked value again gives it back unchanged, so a value masked twice
 *       (by a cache, by two layers) shows no more and no less.</li>
 *   <li>Element-wise: a mask other than {@link #CITY_AND_COUNTRY} applies to each item of a list
 *       and to each part of named parts (balances {@code {"BTC":"0.52"}} keep their currency names).</li>
 * </ul>
 */
public enum Mask {
  /** Shown as is. */
  NONE("none"),
  /**
   * Only the last letters or digits, after four bullets and a space: {@code •••• 4321}. At most
   * four are shown and never more than half of the value's letters and digits (bullets already in
   * the value count as hidden characters), so {@code 1234} shows {@code •••• 34} and {@code 7}
   * shows {@code ••••}.
   */
  LAST_4("last-4"),
  /**
   * First character of the local part and the whole domain: {@code j•••@example.com}. Text that is
   * not one local part, one {@code @} and one domain, without spaces, is redacted.
   */
  PARTIAL_EMAIL("partial-email"),
  /**
   * The initials of the first and the last word, upper-case, each followed by a dot:
   * {@code John Ronald Doe} gives {@code J. D.}. The middle words are left out so that a long name
   * is not recognisable by the number of its words. A word's initial is its first letter; text
   * without a letter is redacted.
   */
  INITIAL("initial"),
  /**
   * Of an address given as named parts, only the parts {@code city} and {@code country}; anything
   * else (an address as one line of text, parts that are not text) is redacted.
   */
  CITY_AND_COUNTRY("city-and-country"),
  /** Of an ISO date {@code YYYY-MM-DD} (or {@code YYYY-MM}, or a year {@code YYYY}), only the year. */
  YEAR_ONLY("year-only"),
  /**
   * Of a decimal amount ({@code 1200.10}, {@code -3}, {@code 0.52}), its decade: {@code 1,000–10,000},
   * {@code 0.1–1}; zero is {@code 0}, amounts under 0.0001 are {@code 0–0.0001}, amounts from
   * 10^18 are {@code 1,000,000,000,000,000,000 or more}, negative amounts are {@code -(…)}.
   */
  RANGE_BUCKET("range-bucket"),
  /** Present but withheld: the field appears with the text {@code [redacted]}. */
  REDACTED("redacted"),
  /** Absent from the view altogether. */
  NOT_SHOWN("not-shown");

  /** The text that stands for a withheld value. */
  public static final String REDACTED_TEXT = "[redacted]";

  private static final FieldValue REDACTED_VALUE = new FieldValue.Text(REDACTED_TEXT);
  private static final String BULLETS = "\u2022\u2022\u2022\u2022";
  private static final char BULLET = '\u2022';
  private static final String EN_DASH = "\u2013";
  private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,64}(?:\\.\\d{1,64})?");
  private static final BigDecimal SMALLEST = new BigDecimal("0.0001");
  private static final BigDecimal LARGEST = BigDecimal.TEN.pow(18);
  private static final String SMALL_BUCKET = "0" + EN_DASH + "0.0001";
  private static final String LARGE_BUCKET = "1,000,000,000,000,000,000 or more";

  private final String wireName;

  Mask(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in configuration, the API and the ledger. */
  public String wireName() {
    return wireName;
  }

  /**
   * The value as this mask shows it; empty for {@link #NOT_SHOWN}. See the class comment for the
   * guarantees and each constant for its rule.
   */
  public Optional<FieldValue> apply(FieldValue value) {
    java.util.Objects.requireNonNull(value, "value");
    return switch (this) {
      case NONE -> Optional.of(value);
      case NOT_SHOWN -> Optional.empty();
      case REDACTED -> Optional.of(REDACTED_VALUE);
      case CITY_AND_COUNTRY -> Optional.of(cityAndCountry(value));
      default -> Optional.of(elementWise(value));
    };
  }

  private FieldValue elementWise(FieldValue value) {
    return switch (value) {
      case FieldValue.Text t -> t.value().equals(REDACTED_TEXT) ? REDACTED_VALUE : new FieldValue.Text(text(t.value()));
      case FieldValue.Items items -> new FieldValue.Items(items.values().stream().map(this::elementWise).toList());
      case FieldValue.Entries entries -> {
        TreeMap<String, FieldValue> out = new TreeMap<>();
        entries.values().forEach((name, v) -> out.put(name, elementWise(v)));
        yield new FieldValue.Entries(out);
      }
    };
  }

  private static FieldValue cityAndCountry(FieldValue value) {
    return switch (value) {
      case FieldValue.Text t -> REDACTED_VALUE;
      case FieldValue.Items items -> new FieldValue.Items(items.values().stream().map(Mask::cityAndCountry).toList());
      case FieldValue.Entries entries -> {
        TreeMap<String, FieldValue> out = new TreeMap<>();
        for (String part : List.of("city", "country")) {
          FieldValue v = entries.values().get(part);
          if (v != null) {
            out.put(part, v instanceof FieldValue.Text ? v : REDACTED_VALUE);
          }
        }
        yield out.isEmpty() ? REDACTED_VALUE : new FieldValue.Entries(out);
      }
    };
  }

  /** The masked form of one text, for the masks that work on text. */
  private String text(String value) {
    return switch (this) {
      case LAST_4 -> last4(value);
      case PARTIAL_EMAIL -> partialEmail(value);
      case INITIAL -> initials(value);
      case YEAR_ONLY -> year(value);
      case RANGE_BUCKET -> bucket(value);
      default -> throw new AssertionError(this);
    };
  }

  private static String last4(String value) {
    int alphanumerics = 0;
    int bullets = 0;
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      if (Character.isLetterOrDigit(cp)) {
        alphanumerics++;
      } else if (cp == BULLET) {
        bullets++;
      }
      i += Character.charCount(cp);
    }
    int shown = Math.min(Math.min(4, (alphanumerics + bullets) / 2), alphanumerics);
    if (shown == 0) {
      return BULLETS;
    }
    StringBuilder tail = new StringBuilder();
    for (int i = value.length(); i > 0 && shown > 0; ) {
      int cp = value.codePointBefore(i);
      i -= Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)) {
        tail.insert(0, Character.toChars(cp));
        shown--;
      }
    }
    return BULLETS + " " + tail;
  }

  private static String partialEmail(String value) {
    int at = value.indexOf('@');
    if (at <= 0 || at != value.lastIndexOf('@') || at == value.length() - 1 || hasWhitespace(value)) {
      return REDACTED_TEXT;
    }
    int first = value.codePointAt(0);
    return new String(Character.toChars(first)) + "\u2022\u2022\u2022" + value.substring(at);
  }

  private static boolean hasWhitespace(String value) {
    return value.codePoints().anyMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp));
  }

  /**
   * The first letter of the first and of the last word, upper-cased, each with a full stop. Words are
   * separated by runs of ASCII white space and Unicode separators (what the regex {@code [\s\p{Z}]+}
   * splits on); a word without a letter gives none. A loop, not a split: it runs for every masked name
   * of every view.
   */
  private static String initials(String value) {
    int firstInitial = -1;
    int lastInitial = -1;
    int count = 0;
    boolean wordHasInitial = false;
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      i += Character.charCount(cp);
      if (isWordBreak(cp)) {
        wordHasInitial = false;
      } else if (!wordHasInitial && Character.isLetter(cp)) {
        wordHasInitial = true;
        lastInitial = Character.toUpperCase(cp);
        if (count++ == 0) {
          firstInitial = lastInitial;
        }
      }
    }
    if (count == 0) {
      return REDACTED_TEXT;
    }
    StringBuilder out = new StringBuilder(8).appendCodePoint(firstInitial).append('.');
    return count == 1 ? out.toString() : out.append(' ').appendCodePoint(lastInitial).append('.').toString();
  }

  /** ASCII white space ({@code \s} without Unicode classes) or a Unicode separator ({@code \p{Z}}). */
  private static boolean isWordBreak(int cp) {
    if (cp <= ' ') {
      return cp == ' ' || (cp >= '\t' && cp <= '\r');
    }
    int type = Character.getType(cp);
    return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  /** The year of {@code YYYY}, {@code YYYY-MM} or {@code YYYY-MM-DD} (ASCII digits) when that is a real date. */
  private static String year(String value) {
    int n = value.length();
    boolean form = (n == 4 || n == 7 || n == 10) && asciiDigits(value, 0, 4)
        && (n < 7 || value.charAt(4) == '-' && asciiDigits(value, 5, 7))
        && (n < 10 || value.charAt(7) == '-' && asciiDigits(value, 8, 10));
    if (!form) {
      return REDACTED_TEXT;
    }
    try {
      int y = Integer.parseInt(value, 0, 4, 10);
      if (n == 10) {
        LocalDate.of(y, Integer.parseInt(value, 5, 7, 10), Integer.parseInt(value, 8, 10, 10));
      } else if (n == 7) {
        YearMonth.of(y, Integer.parseInt(value, 5, 7, 10));
      }
      return value.substring(0, 4);
    } catch (DateTimeException e) {
      return REDACTED_TEXT;
    }
  }

  private static boolean asciiDigits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static String bucket(String value) {
    if (DECIMAL.matcher(value).matches()) {
      return bucket(new BigDecimal(value));
    }
    return isBucket(value) ? value : REDACTED_TEXT;
  }

  /** The decade label of an amount. */
  private static String bucket(BigDecimal amount) {
    if (amount.signum() == 0) {
      return "0";
    }
    if (amount.signum() < 0) {
      return "-(" + bucket(amount.negate()) + ")";
    }
    if (amount.compareTo(SMALLEST) < 0) {
      return SMALL_BUCKET;
    }
    if (amount.compareTo(LARGEST) >= 0) {
      return LARGE_BUCKET;
    }
    // The decade exponent: the position of the first significant digit.
    int exponent = amount.precision() - amount.scale() - 1;
    return decade(exponent) + EN_DASH + decade(exponent + 1);
  }

  /** The exponents a bucket's bounds can have: from SMALLEST (10^-4) to LARGEST (10^18). */
  private static final int MIN_EXPONENT = -4;
  private static final String[] DECADES = decades(MIN_EXPONENT, 18);

  private static String[] decades(int from, int to) {
    String[] labels = new String[to - from + 1];
    for (int e = from; e <= to; e++) {
      labels[e - from] = e < 0 ? BigDecimal.ONE.movePointLeft(-e).toPlainString()
          : String.format(Locale.ROOT, "%,d", BigInteger.TEN.pow(e));
    }
    return labels;
  }

  /** {@code 10^exponent} as a label: "0.001", "1", "1,000"; masks run on every view, so these are made once. */
  private static String decade(int exponent) {
    return DECADES[exponent - MIN_EXPONENT];
  }

  /** Whether {@code text} is a label {@link #bucket(BigDecimal)} makes, so that masking stays idempotent. */
  private static boolean isBucket(String text) {
    String inner = text;
    if (text.startsWith("-(") && text.endsWith(")")) {
      inner = text.substring(2, text.length() - 1);
    }
    if (inner.equals(SMALL_BUCKET) || inner.equals(LARGE_BUCKET)) {
      return true;
    }
    int dash = inner.indexOf(EN_DASH);
    if (dash <= 0) {
      return false;
    }
    String lower = inner.substring(0, dash).replace(",", "");
    if (!DECIMAL.matcher(lower).matches() || lower.startsWith("-")) {
      return false;
    }
    BigDecimal amount = new BigDecimal(lower);
    return amount.signum() > 0 && bucket(text.startsWith("-(") ? amount.negate() : amount).equals(text);
  }

  /** Parses a wire name; the message names the accepted values. */
  public static Mask parse(String text) {
    String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    for (Mask m : values()) {
      if (m.wireName.equals(wanted)) {
        return m;
      }
    }
    throw new IllegalArgumentException("mask must be one of "
        + Arrays.stream(values()).map(Mask::wireName).collect(Collectors.joining(", ")));
  }
}
