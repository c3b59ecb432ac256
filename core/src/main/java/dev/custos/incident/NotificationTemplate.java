package dev.custos.incident;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a customer notification in one language, editable by the exchange. A template file
 * is a header of {@code key: value} lines — {@code subject} (required), {@code revealed} (the sentence
 * introducing what was shown in clear) and one {@code category.<wire name>} label per data category
 * (the category's wire name when absent) —
 * then a line {@code ---}, then the body. Lines starting with {@code #} in the header are comments.
 * Subject and body may use the placeholders {@link #PLACEHOLDERS} as {@code {{name}}}; any other
 * {@code {{...}}} is refused when the template is read, so a typo fails at start, not in a customer's
 * mailbox.
 */
public final class NotificationTemplate {
  /** The placeholders a template may use. */
  public static final Set<String> PLACEHOLDERS = Set.of("exchange", "incident", "first", "last", "data", "revealed");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)\\}\\}");
  private static final int MAX_CHARS = 64 * 1024;

  private final String language;
  private final String subject;
  private final Map<DataCategory, String> labels;
  private final String revealedIntro;
  private final String body;

  private NotificationTemplate(String language, String subject, Map<DataCategory, String> labels,
      String revealedIntro, String body) {
    this.language = language;
    this.subject = subject;
    this.labels = labels;
    this.revealedIntro = revealedIntro;
    this.body = body;
  }

  /**
   * Reads a template.
   *
   * @param language the language it is in (a lower-case ISO 639-1 code)
   * @throws IllegalArgumentException naming the line and the problem when the text is not a valid template
   */
  public static NotificationTemplate parse(String language, String text) {
    Objects.requireNonNull(text, "text");
    if (language == null || !language.matches("[a-z]{2}")) {
      throw new IllegalArgumentException("a template's language is a two-letter lower-case code");
    }
    if (text.length() > MAX_CHARS) {
      throw new IllegalArgumentException("a template is at most " + MAX_CHARS + " characters");
    }
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    Map<String, String> header = new LinkedHashMap<>();
    int i = 0;
    boolean separated = false;
    for (; i < lines.length; i++) {
      String line = lines[i];
      if (line.strip().equals("---")) {
        separated = true;
        i++;
        break;
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("line " + (i + 1) + ": expected 'key: value' or '---'");
      }
      String key = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      if (header.put(key, value) != null) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + key + " given twice");
      }
    }
    if (!separated) {
      throw new IllegalArgumentException("no '---' line between the header and the body");
    }
    String subject = header.remove("subject");
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("the header has no subject");
    }
    Map<DataCategory, String> labels = new EnumMap<>(DataCategory.class);
    for (DataCategory c : DataCategory.values()) {
      String label = header.remove("category." + c.wireName());
      labels.put(c, label == null || label.isBlank() ? c.wireName() : label);
    }
    String revealed = header.remove("revealed");
    if (revealed == null || revealed.isBlank()) {
      revealed = "Shown in full rather than masked:";
    }
    if (!header.isEmpty()) {
      throw new IllegalArgumentException("unknown header key " + header.keySet().iterator().next()
          + "; known: subject, revealed, category.<" + String.join("|", java.util.Arrays.stream(DataCategory.values())
              .map(DataCategory::wireName).toList()) + ">");
    }
    StringBuilder body = new StringBuilder();
    for (; i < lines.length; i++) {
      body.append(lines[i]).append('\n');
    }
    String bodyText = body.toString().strip() + "\n";
    check(subject, "subject");
    check(bodyText, "body");
    return new NotificationTemplate(language, subject, labels, revealed, bodyText);
  }

  private static void check(String text, String where) {
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      if (!PLACEHOLDERS.contains(m.group(1))) {
        throw new IllegalArgumentException("unknown placeholder {{" + m.group(1) + "}} in the " + where
            + "; known: " + String.join(", ", new java.util.TreeSet<>(PLACEHOLDERS)));
      }
    }
  }

  public String language() {
    return language;
  }

  /** The label of a data category in this language. */
  public String label(DataCategory category) {
    return labels.get(category);
  }

  /** The sentence that introduces the categories shown in clear ({@code revealed} in the header). */
  public String revealedIntro() {
    return revealedIntro;
  }

  /** A rendered message: one subject line (no line breaks) and a body. */
  public record Message(String subject, String body) {}

  /**
   * Renders the template with {@code values} for its placeholders (a placeholder without a value
   * renders empty). Line breaks in the subject become spaces: it is one header line.
   */
  public Message render(Map<String, String> values) {
    String s = substitute(subject, values).replaceAll("[\\r\\n]+", " ").strip();
    return new Message(s, substitute(body, values));
  }

  private static String substitute(String text, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
    }
    m.appendTail(out);
    return out.toString();
  }
}
