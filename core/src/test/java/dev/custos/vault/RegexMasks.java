package dev.custos.vault;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The initials and year-only masks as they were until session 12, a regex split and a regex match:
 * the reference the loops in {@link Mask} are held equal to ({@code MaskTest}) and the baseline they are
 * measured against ({@code MaskBench} in {@code bench}).
 */
public final class RegexMasks {
  private static final Pattern WORD_BREAKS = Pattern.compile("[\\s\\p{Z}]+");
  private static final Pattern DATE = Pattern.compile("(\\d{4})(?:-(\\d{2})(?:-(\\d{2}))?)?");

  private RegexMasks() {}

  /** {@link Mask#INITIAL} of a text, by the regex split. */
  public static String initials(String value) {
    List<String> initials = new ArrayList<>();
    for (String word : WORD_BREAKS.split(value)) {
      word.codePoints().filter(Character::isLetter).findFirst()
          .ifPresent(cp -> initials.add(new String(Character.toChars(Character.toUpperCase(cp))) + "."));
    }
    if (initials.isEmpty()) {
      return Mask.REDACTED_TEXT;
    }
    return initials.size() == 1 ? initials.get(0) : initials.get(0) + " " + initials.get(initials.size() - 1);
  }

  /** {@link Mask#YEAR_ONLY} of a text, by the regex match. */
  public static String year(String value) {
    Matcher m = DATE.matcher(value);
    if (!m.matches()) {
      return Mask.REDACTED_TEXT;
    }
    try {
      int y = Integer.parseInt(m.group(1));
      if (m.group(3) != null) {
        LocalDate.of(y, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
      } else if (m.group(2) != null) {
        YearMonth.of(y, Integer.parseInt(m.group(2)));
      }
      return m.group(1);
    } catch (DateTimeException e) {
      return Mask.REDACTED_TEXT;
    }
  }
}
