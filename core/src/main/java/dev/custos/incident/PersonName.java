package dev.custos.incident;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A person's name reduced to a comparable key, so that a leaked "LOVELACE, Ada" and the vault's
 * "Ada Lovelace" compare equal while two different people rarely do. Only exact equality of keys is
 * ever used (no fuzzy score that could blame the wrong person).
 *
 * <p>The key is: Unicode NFKC; accents and other combining marks removed (NFD, then every
 * {@code \p{M}}); a few letters that carry no combining mark spelled in Latin ({@code ß ss},
 * {@code ø o}, {@code ł l}, {@code æ ae}, {@code œ oe}, {@code đ d}, {@code þ th}, {@code ı i});
 * case folded code point by code point (upper then lower case, without locale); apostrophes
 * dropped ({@code O'Brien} is {@code obrien}); every other character that is not a letter or a
 * digit a separator; the tokens sorted and joined by one space. The key is idempotent.
 */
public final class PersonName {
  private static final Map<Integer, String> SPELLED = Map.ofEntries(Map.entry((int) 'ß', "ss"), Map.entry((int) 'ẞ', "ss"),
      Map.entry((int) 'ø', "o"), Map.entry((int) 'Ø', "o"), Map.entry((int) 'ł', "l"), Map.entry((int) 'Ł', "l"),
      Map.entry((int) 'æ', "ae"), Map.entry((int) 'Æ', "ae"), Map.entry((int) 'œ', "oe"), Map.entry((int) 'Œ', "oe"),
      Map.entry((int) 'đ', "d"), Map.entry((int) 'Đ', "d"), Map.entry((int) 'þ', "th"), Map.entry((int) 'Þ', "th"),
      Map.entry((int) 'ı', "i"), Map.entry((int) 'ς', "σ"));

  private PersonName() {}

  /** The comparable key of {@code name}; empty when it has no letter or digit. */
  public static Optional<String> key(String name) {
    String k = pass(name);
    // A fold can yield a character that NFKC or NFD rewrites again (rare, outside Latin names):
    // repeat until stable so that the key is idempotent.
    for (int i = 0; i < 4; i++) {
      String again = pass(k);
      if (again.equals(k)) {
        break;
      }
      k = again;
    }
    return k.isEmpty() ? Optional.empty() : Optional.of(k);
  }

  private static String pass(String name) {
    String s = Normalizer.normalize(name, Normalizer.Form.NFKC);
    s = Normalizer.normalize(s, Normalizer.Form.NFD);
    StringBuilder folded = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      int type = Character.getType(cp);
      if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
          || type == Character.ENCLOSING_MARK) {
        return; // accents and diacritics
      }
      if (cp == '\'' || cp == '\u2019' || cp == '\u2018' || cp == '\u02BC' || cp == '`' || cp == '\u00B4') {
        return; // O'Brien, O’Brien
      }
      String spelled = SPELLED.get(cp);
      if (spelled != null) {
        folded.append(spelled);
      } else if (Character.isLetterOrDigit(cp)) {
        int f = Character.toLowerCase(Character.toUpperCase(cp));
        String sf = SPELLED.get(f);
        if (sf != null) {
          folded.append(sf);
        } else {
          folded.appendCodePoint(f);
        }
      } else {
        folded.append(' ');
      }
    });
    s = Normalizer.normalize(folded, Normalizer.Form.NFC);
    List<String> tokens = new ArrayList<>();
    for (String t : s.split(" ")) {
      if (!t.isEmpty()) {
        tokens.add(t);
      }
    }
    tokens.sort(null);
    return String.join(" ", tokens);
  }
}
