package dev.custos.store.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.incident.Access;
import dev.custos.vault.Commitment;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
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
  private static final ObjectMapper JSON = new ObjectMapper();

  private AccessEntries() {}

  /**
   * The accesses entry {@code ledgerIndex} records.
   *
   * @throws IllegalArgumentException when it is a {@value #KIND} entry whose members are missing or
   *     malformed; the message names the member
   */
  public static List<Access> parse(long ledgerIndex, byte[] entry) {
    JsonNode e;
    try {
      e = JSON.readTree(entry);
    } catch (JsonProcessingException ex) {
      return List.of();
    } catch (IOException ex) {
      return List.of();
    }
    if (e == null || !e.isObject() || !KIND.equals(e.path("kind").asText(null)) || !e.path("kind").isTextual()) {
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
    JsonNode purpose = e.get("purpose");
    if (purpose == null || !purpose.isObject() || !purpose.path("type").isTextual()) {
      throw malformed(ledgerIndex, "purpose");
    }
    String purposeType = purpose.get("type").asText();
    JsonNode pid = purpose.get("id");
    if (pid != null && !pid.isTextual()) {
      throw malformed(ledgerIndex, "purpose.id");
    }
    Optional<String> purposeId = pid == null ? Optional.empty() : Optional.of(pid.asText());
    Map<String, String> fields = fields(ledgerIndex, e.get("fields"));
    List<Commitment> customers = new ArrayList<>();
    if (action == Action.SEARCH) {
      JsonNode list = e.get("customers");
      if (list == null || !list.isArray()) {
        throw malformed(ledgerIndex, "customers");
      }
      for (JsonNode c : list) {
        customers.add(commitment(ledgerIndex, c, "customers"));
      }
    } else {
      customers.add(commitment(ledgerIndex, e.get("customer"), "customer"));
    }
    List<Access> out = new ArrayList<>(customers.size());
    for (Commitment c : customers) {
      out.add(new Access(ledgerIndex, at, staff, session, action, c, purposeType, purposeId, fields));
    }
    return out;
  }

  private static String text(long index, JsonNode e, String member) {
    JsonNode n = e.get(member);
    if (n == null || !n.isTextual()) {
      throw malformed(index, member);
    }
    return n.asText();
  }

  private static Action action(long index, String wire) {
    for (Action a : Action.values()) {
      if (a.wireName().equals(wire)) {
        return a;
      }
    }
    throw malformed(index, "action");
  }

  private static Map<String, String> fields(long index, JsonNode node) {
    if (node == null || !node.isObject()) {
      throw malformed(index, "fields");
    }
    Map<String, String> fields = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!f.getValue().isTextual()) {
        throw malformed(index, "fields." + f.getKey());
      }
      fields.put(f.getKey(), f.getValue().asText());
    }
    return fields;
  }

  private static Commitment commitment(long index, JsonNode node, String member) {
    if (node == null || !node.isTextual()) {
      throw malformed(index, member);
    }
    try {
      return Commitment.parse(node.asText());
    } catch (IllegalArgumentException ex) {
      throw malformed(index, member);
    }
  }

  private static IllegalArgumentException malformed(long index, String member) {
    return new IllegalArgumentException("ledger entry " + index + ": member " + member + " of a " + KIND
        + " entry is missing or malformed");
  }
}
