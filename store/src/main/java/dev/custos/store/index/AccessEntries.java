package dev.custos.store.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.incident.Access;
import dev.custos.vault.Commitment;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a ledger entry says was shown, as {@link Access}es (docs/design/access-ledger.md): a
 * permitted {@code view}, {@code reveal} or {@code break-glass} of a customer is one access; a
 * permitted {@code search} is one per commitment in {@code customers}, with the stub's
 * {@code fields}. Denials, entries of other kinds and entries that are not JSON objects show nothing.
 */
public final class AccessEntries {
  /** The kind of the entries read. */
  public static final String KIND = "custos.access/v1";
  private static final JsonFactory FACTORY = new JsonFactory();

  private AccessEntries() {}

  /**
   * The accesses entry {@code ledgerIndex} records.
   *
   * @throws IllegalArgumentException when it is a {@value #KIND} entry whose members are missing or
   *     malformed; the message names the member
   */
  public static List<Access> parse(long ledgerIndex, byte[] entry) {
    Members e = Members.read(entry);
    if (e == null || !(e.values.get("kind") instanceof String kind) || !KIND.equals(kind)) {
      return List.of();
    }
    if (!"permit".equals(text(ledgerIndex, e, "decision"))) {
      return List.of();
    }
    Instant at;
    try {
      at = instant(text(ledgerIndex, e, "at"));
    } catch (DateTimeParseException ex) {
      throw malformed(ledgerIndex, "at");
    }
    StaffId staff;
    try {
      staff = new StaffId(text(ledgerIndex, e, "staff"));
    } catch (IllegalArgumentException ex) {
      throw malformed(ledgerIndex, "staff");
    }
    String session = text(ledgerIndex, e, "session");
    Action action = action(ledgerIndex, text(ledgerIndex, e, "action"));
    if (!(e.values.get("purpose") instanceof Map<?, ?> purpose) || !(purpose.get("type") instanceof String purposeType)) {
      throw malformed(ledgerIndex, "purpose");
    }
    Object pid = purpose.get("id");
    if (pid != null && !(pid instanceof String)) {
      throw malformed(ledgerIndex, "purpose.id");
    }
    Optional<String> purposeId = Optional.ofNullable((String) pid);
    Map<String, String> fields = fields(ledgerIndex, e.values.get("fields"));
    List<Commitment> customers = new ArrayList<>();
    if (action == Action.SEARCH) {
      if (!(e.values.get("customers") instanceof List<?> list)) {
        throw malformed(ledgerIndex, "customers");
      }
      for (Object c : list) {
        customers.add(commitment(ledgerIndex, c, "customers"));
      }
    } else {
      customers.add(commitment(ledgerIndex, e.values.get("customer"), "customer"));
    }
    List<Access> out = new ArrayList<>(customers.size());
    for (Commitment c : customers) {
      out.add(new Access(ledgerIndex, at, staff, session, action, c, purposeType, purposeId, fields));
    }
    return out;
  }

  /**
   * The members of an entry that {@link #parse} reads, in one streaming pass (the index reads every
   * entry of the ledger, so no tree): a string member as its {@code String}, an object of the two
   * levels read as a {@code Map}, an array as a {@code List}, anything else as {@link #OTHER}. A
   * member given twice keeps its last value, as a tree would.
   */
  private static final class Members {
    static final Object OTHER = new Object();
    final Map<String, Object> values = new HashMap<>();

    /** The root object's members, or null when the entry is not one JSON object. */
    static Members read(byte[] entry) {
      try (JsonParser p = FACTORY.createParser(entry)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          return null;
        }
        Members m = new Members();
        JsonToken next;
        while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken t = p.nextToken();
          Object value = switch (name) {
            case "purpose" -> t == JsonToken.START_OBJECT ? object(p) : skip(p);
            case "fields" -> t == JsonToken.START_OBJECT ? fields(p, entry) : skip(p);
            case "customers" -> t == JsonToken.START_ARRAY ? array(p) : skip(p);
            default -> t == JsonToken.VALUE_STRING ? p.getText() : skip(p);
          };
          m.values.put(name, value);
        }
        return next == JsonToken.END_OBJECT ? m : null;
      } catch (IOException ex) {
        return null;
      }
    }

    /** The text of the last {@code fields} object read and its members (immutable); see {@link #fields}. */
    private record Seen(byte[] text, Map<String, Object> members) {}

    private static volatile Seen lastFields;

    /**
     * The {@code fields} object the parser is at. Entries of the same role carry the same object, byte for
     * byte, so when this one's text starts with the whole text of the last one read (a complete object,
     * which therefore ends where that one ended) its members are the same and are not read again.
     */
    private static Map<String, Object> fields(JsonParser p, byte[] entry) throws IOException {
      long start = p.currentTokenLocation().getByteOffset();
      Seen last = lastFields;
      if (last != null && start >= 0 && start + last.text.length <= entry.length
          && Arrays.equals(entry, (int) start, (int) start + last.text.length, last.text, 0, last.text.length)) {
        p.skipChildren();
        return last.members;
      }
      Map<String, Object> members = Map.copyOf(object(p));
      long end = p.currentLocation().getByteOffset();
      if (start >= 0 && end > start && end <= entry.length && entry[(int) start] == '{' && entry[(int) end - 1] == '}') {
        lastFields = new Seen(Arrays.copyOfRange(entry, (int) start, (int) end), members);
      }
      return members;
    }

    private static Map<String, Object> object(JsonParser p) throws IOException {
      Map<String, Object> members = new LinkedHashMap<>();
      JsonToken next;
      while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        members.put(name, p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : skip(p));
      }
      if (next != JsonToken.END_OBJECT) {
        throw new IOException("unterminated object");
      }
      return members;
    }

    private static List<Object> array(JsonParser p) throws IOException {
      List<Object> items = new ArrayList<>();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t == null) {
          throw new IOException("unterminated array");
        }
        items.add(t == JsonToken.VALUE_STRING ? p.getText() : skip(p));
      }
      return items;
    }

    private static Object skip(JsonParser p) throws IOException {
      p.skipChildren();
      return OTHER;
    }
  }

  /**
   * {@link Instant#parse} of {@code text}, reading the form the broker writes ({@link Instant#toString}
   * of years 0000-9999: {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}) without the formatter, which cost the
   * index more than the rest of an entry's fields; anything else goes to {@link Instant#parse}.
   */
  static Instant instant(String text) {
    int n = text.length();
    if (n < 20 || n == 21 || n > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z' || n > 20 && text.charAt(19) != '.') {
      return Instant.parse(text);
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int fraction = n > 20 ? digits(text, 20, n - 1) : 0;
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59 || fraction < 0) {
      return Instant.parse(text);
    }
    java.time.LocalDate date;
    try {
      date = java.time.LocalDate.of(year, month, day);
    } catch (java.time.DateTimeException ex) {
      return Instant.parse(text); // 31 April and the like: the formatter's own error
    }
    for (int i = n - 1 - 20; i < 9 && n > 20; i++) {
      fraction *= 10;
    }
    return Instant.ofEpochSecond(date.toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second, fraction);
  }

  /** The decimal number of {@code text[from, to)}, or -1 unless every character is an ASCII digit. */
  private static int digits(String text, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static String text(long index, Members e, String member) {
    if (!(e.values.get(member) instanceof String s)) {
      throw malformed(index, member);
    }
    return s;
  }

  private static Action action(long index, String wire) {
    for (Action a : Action.values()) {
      if (a.wireName().equals(wire)) {
        return a;
      }
    }
    throw malformed(index, "action");
  }

  private static Map<String, String> fields(long index, Object node) {
    if (!(node instanceof Map<?, ?> members)) {
      throw malformed(index, "fields");
    }
    for (Map.Entry<?, ?> f : members.entrySet()) {
      if (!(f.getValue() instanceof String)) {
        throw malformed(index, "fields." + f.getKey());
      }
    }
    @SuppressWarnings("unchecked") // every key is a member name, every value was checked to be a String
    Map<String, String> fields = Map.copyOf((Map<String, String>) members);
    return fields; // immutable: Access keeps it as it is instead of copying it again
  }

  private static Commitment commitment(long index, Object node, String member) {
    if (!(node instanceof String hex)) {
      throw malformed(index, member);
    }
    try {
      return Commitment.parse(hex);
    } catch (IllegalArgumentException ex) {
      throw malformed(index, member);
    }
  }

  private static IllegalArgumentException malformed(long index, String member) {
    return new IllegalArgumentException("ledger entry " + index + ": member " + member + " of a " + KIND
        + " entry is missing or malformed");
  }
}
