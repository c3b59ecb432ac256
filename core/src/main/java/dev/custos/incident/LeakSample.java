package dev.custos.incident;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What was published, as a file of records: JSON lines (one flat object per line) or CSV with a
 * header. Keys or columns {@code customer_id}, {@code email}, {@code phone}, {@code government_id}
 * and {@code name} identify the customer; every key with a non-empty value, those included (except
 * {@code customer_id}), is a field that leaked. A value with a mask character in it
 * ({@code *}, {@code •}, {@code …}, or {@code x} runs such as {@code xxxx-1234}) leaked masked; any
 * other value leaked in clear, which only a reveal of that field explains. Column names are
 * lower-cased with spaces and hyphens as underscores, and common spellings of the identifying keys
 * are understood ({@code E-mail}, {@code phone_number}, {@code customer}, {@code ssn}, ...).
 *
 * <p>Parsing never guesses: a line that is not a flat object, a row with more cells than the header,
 * a record that names no customer, each is an error with its line number.
 *
 * @param records the records, in file order
 */
public record LeakSample(List<Record> records) {
  /** The keys that identify a customer. */
  public static final Set<String> IDENTIFIERS = Set.of("customer_id", "email", "phone", "government_id", "name");
  /** A generous bound on a sample: larger leaks are attributed from a sample of them. */
  public static final int MAX_RECORDS = 1_000_000;
  private static final int MAX_VALUE = 4096;
  /** Column names leak files commonly use for the identifying keys. */
  private static final Map<String, String> ALIASES = Map.of("e_mail", "email", "mail", "email", "phone_number", "phone",
      "mobile", "phone", "customer", "customer_id", "customerid", "customer_id", "user_id", "customer_id",
      "full_name", "name", "ssn", "government_id", "national_id", "government_id");

  public LeakSample {
    records = List.copyOf(records);
  }

  /**
   * One published record.
   *
   * @param line its line in the file (1-based)
   * @param values key to value, non-empty values only, keys lower-cased and trimmed
   */
  public record Record(int line, Map<String, String> values) {
    public Record {
      if (line < 1) {
        throw new IllegalArgumentException("line must be positive");
      }
      values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** The value of an identifying key, if the record has it. */
    public java.util.Optional<String> identifier(String key) {
      return java.util.Optional.ofNullable(values.get(key));
    }

    /** The fields that leaked and how: every key but {@code customer_id}. */
    public Map<String, Exposure.Shown> leakedFields() {
      Map<String, Exposure.Shown> out = new TreeMap<>();
      values.forEach((k, v) -> {
        if (!k.equals("customer_id")) {
          out.put(k, masked(v) ? Exposure.Shown.MASKED : Exposure.Shown.REVEALED);
        }
      });
      return out;
    }
  }

  /** A line the parser refused, with its number. */
  public static final class ParseException extends IllegalArgumentException {
    private final int line;

    ParseException(int line, String message) {
      super("line " + line + ": " + message);
      this.line = line;
    }

    /** The 1-based line. */
    public int line() {
      return line;
    }
  }

  /** Whether a value was published under a mask rather than in clear. */
  static boolean masked(String value) {
    if (value.indexOf('*') >= 0 || value.indexOf('•') >= 0 || value.indexOf('…') >= 0) {
      return true;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    return lower.contains("xxx");
  }

  /**
   * Parses a sample: JSON lines when the first non-blank character is {@code {}, CSV with a header
   * otherwise. Blank lines are skipped.
   *
   * @throws ParseException naming the line of the first bad record
   */
  public static LeakSample parse(String text) {
    Objects.requireNonNull(text, "text");
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    List<String> lines = body.lines().toList();
    for (String l : lines) {
      if (!l.isBlank()) {
        return l.strip().startsWith("{") ? jsonLines(lines) : csv(lines);
      }
    }
    throw new ParseException(1, "the sample is empty");
  }

  private static LeakSample jsonLines(List<String> lines) {
    List<Record> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.isBlank()) {
        continue;
      }
      Map<String, String> values = new FlatJson(l, i + 1).object();
      out.add(record(i + 1, values));
      if (out.size() > MAX_RECORDS) {
        throw new ParseException(i + 1, "more than " + MAX_RECORDS + " records");
      }
    }
    return new LeakSample(out);
  }

  private static LeakSample csv(List<String> lines) {
    List<Record> out = new ArrayList<>();
    List<String> header = null;
    int i = 0;
    while (i < lines.size()) {
      int start = i + 1;
      if (lines.get(i).isBlank()) {
        i++;
        continue;
      }
      // A quoted cell may span lines.
      StringBuilder row = new StringBuilder(lines.get(i++));
      while (openQuote(row)) {
        if (i >= lines.size()) {
          throw new ParseException(start, "a quoted cell is not closed");
        }
        row.append('\n').append(lines.get(i++));
      }
      List<String> cells = cells(row.toString(), start);
      if (header == null) {
        header = new ArrayList<>();
        for (String c : cells) {
          String key = key(c, start);
          if (header.contains(key)) {
            throw new ParseException(start, "column '" + key + "' appears twice");
          }
          header.add(key);
        }
        continue;
      }
      if (cells.size() > header.size()) {
        throw new ParseException(start, "the row has " + cells.size() + " cells, the header " + header.size());
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (int c = 0; c < cells.size(); c++) {
        values.put(header.get(c), cells.get(c));
      }
      out.add(record(start, values));
      if (out.size() > MAX_RECORDS) {
        throw new ParseException(start, "more than " + MAX_RECORDS + " records");
      }
    }
    if (header == null) {
      throw new ParseException(1, "the sample is empty");
    }
    return new LeakSample(out);
  }

  private static boolean openQuote(CharSequence row) {
    int quotes = 0;
    for (int i = 0; i < row.length(); i++) {
      if (row.charAt(i) == '"') {
        quotes++;
      }
    }
    return quotes % 2 == 1;
  }

  private static List<String> cells(String row, int line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    int i = 0;
    boolean quoted = false;
    boolean wasQuoted = false;
    while (i < row.length()) {
      char c = row.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < row.length() && row.charAt(i + 1) == '"') {
            cell.append('"');
            i += 2;
            continue;
          }
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == ',') {
        out.add(cell.toString().strip());
        cell.setLength(0);
        wasQuoted = false;
      } else if (c == '"') {
        if (wasQuoted || !cell.toString().isBlank()) {
          throw new ParseException(line, "a quote inside an unquoted cell (cell " + (out.size() + 1) + ")");
        }
        cell.setLength(0);
        quoted = true;
        wasQuoted = true;
      } else if (wasQuoted && !Character.isWhitespace(c)) {
        throw new ParseException(line, "text after a closing quote (cell " + (out.size() + 1) + ")");
      } else {
        cell.append(c);
      }
      i++;
    }
    out.add(cell.toString().strip());
    return out;
  }

  private static String key(String raw, int line) {
    String key = raw.strip().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    if (key.isEmpty()) {
      throw new ParseException(line, "a column or key has no name");
    }
    if (!key.matches("[a-z0-9_.]{1,64}")) {
      throw new ParseException(line, "'" + printable(raw) + "' is not a field name (letters, digits, _ and . only)");
    }
    return ALIASES.getOrDefault(key, key);
  }

  private static Record record(int line, Map<String, String> raw) {
    Map<String, String> values = new TreeMap<>();
    raw.forEach((k, v) -> {
      String key = key(k, line);
      String value = v == null ? "" : v.strip();
      if (value.length() > MAX_VALUE) {
        throw new ParseException(line, "the value of '" + key + "' is longer than " + MAX_VALUE + " characters");
      }
      if (!value.isEmpty()) {
        if (values.put(key, value) != null) {
          throw new ParseException(line, "key '" + key + "' appears twice");
        }
      }
    });
    if (values.keySet().stream().noneMatch(IDENTIFIERS::contains)) {
      throw new ParseException(line, "the record names no customer (one of customer_id, email, phone, government_id, name)");
    }
    return new Record(line, values);
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().limit(40).forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return out.toString();
  }

  /** A flat JSON object: string, number, boolean or null values; nothing nested. */
  private static final class FlatJson {
    private final String s;
    private final int line;
    private int i;

    FlatJson(String s, int line) {
      this.s = s;
      this.line = line;
    }

    Map<String, String> object() {
      Map<String, String> out = new LinkedHashMap<>();
      space();
      expect('{');
      space();
      if (peek() == '}') {
        i++;
      } else {
        while (true) {
          space();
          String key = string();
          space();
          expect(':');
          space();
          String value = value(key);
          if (out.containsKey(key)) {
            throw new ParseException(line, "key '" + printable(key) + "' appears twice");
          }
          out.put(key, value);
          space();
          char c = next();
          if (c == '}') {
            break;
          }
          if (c != ',') {
            throw error("',' or '}'");
          }
        }
      }
      space();
      if (i < s.length()) {
        throw new ParseException(line, "text after the object at column " + (i + 1));
      }
      return out;
    }

    private String value(String key) {
      char c = peek();
      if (c == '"') {
        return string();
      }
      if (c == '{' || c == '[') {
        throw new ParseException(line, "the value of '" + printable(key) + "' is nested; a record is a flat object");
      }
      int start = i;
      while (i < s.length() && ",} \t".indexOf(s.charAt(i)) < 0) {
        i++;
      }
      String word = s.substring(start, i);
      if (word.equals("null")) {
        return "";
      }
      if (word.equals("true") || word.equals("false") || word.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
        return word;
      }
      throw error("a value");
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw new ParseException(line, "a string is not closed");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          throw new ParseException(line, "a control character inside a string at column " + i);
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> out.append(e);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw new ParseException(line, "a \\u escape is cut short");
            }
            try {
              out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException ex) {
              throw new ParseException(line, "a \\u escape is not hexadecimal at column " + i);
            }
            i += 4;
          }
          default -> throw new ParseException(line, "an unknown escape '\\" + printable(String.valueOf(e))
              + "' at column " + i);
        }
      }
    }

    private void space() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private char peek() {
      if (i >= s.length()) {
        throw new ParseException(line, "the line ends inside the object");
      }
      return s.charAt(i);
    }

    private char next() {
      char c = peek();
      i++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) {
        i--;
        throw error("'" + c + "'");
      }
    }

    private ParseException error(String wanted) {
      return new ParseException(line, "expected " + wanted + " at column " + (i + 1));
    }
  }
}
