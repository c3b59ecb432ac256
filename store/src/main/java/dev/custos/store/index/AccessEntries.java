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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
      at = Instant.parse(text(ledgerIndex, e, "at"));
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
            case "purpose", "fields" -> t == JsonToken.START_OBJECT ? object(p) : skip(p);
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
    Map<String, String> fields = new TreeMap<>();
    for (Map.Entry<?, ?> f : members.entrySet()) {
      if (!(f.getValue() instanceof String mask)) {
        throw malformed(index, "fields." + f.getKey());
      }
      fields.put((String) f.getKey(), mask);
    }
    return fields;
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
