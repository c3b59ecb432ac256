package dev.custos.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custos.access.CustomerId;
import dev.custos.server.FieldValues;
import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One customer record of an import file, {@code {"id":"cust-1001","fields":{...}}}, as the vault
 * takes it; and the reading of a line into one. Field values are converted by the server's
 * {@link FieldValues}, the same code that serves {@code PUT /v1/customers/{id}}, so a line is
 * accepted by an offline import exactly when the HTTP API accepts it. Messages name the member
 * and never quote a value (a value is PII).
 *
 * @param line the 1-based line number
 * @param end the byte offset just past the line
 * @param fieldsJson the {@code fields} object as read, what an online import sends
 */
record ImportRecord(long line, long end, CustomerId id, Map<Field, FieldValue> fields, JsonNode fieldsJson)
    implements ParsedLine {

  /** The request body of {@code PUT /v1/customers/{id}} for this record. */
  ObjectNode body() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("fields", fieldsJson);
    return body;
  }

  /**
   * Reads a non-blank line.
   *
   * @param known whether the vault stores a field; a field it does not is refused here, by line,
   *     rather than failing a whole batch later
   */
  static ParsedLine parse(ImportLines.Text text, Predicate<Field> known) {
    long line = text.number();
    JsonNode node;
    try {
      node = FieldValues.reader().readTree(text.bytes());
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      return new ParsedLine.Rejected(line, "malformed JSON" + (at == null || at.getColumnNr() < 1 ? "" : " near column " + at.getColumnNr()));
    } catch (IOException e) {
      return new ParsedLine.Rejected(line, "malformed JSON");
    }
    if (node == null || !node.isObject()) {
      return new ParsedLine.Rejected(line, "expected a JSON object {\"id\":...,\"fields\":{...}}");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!name.equals("id") && !name.equals("fields")) {
        return new ParsedLine.Rejected(line, "'" + printable(name) + "': unknown member (a line holds id and fields)");
      }
    }
    JsonNode idNode = node.get("id");
    if (idNode == null || idNode.isNull()) {
      return new ParsedLine.Rejected(line, "id: is required");
    }
    if (!idNode.isTextual()) {
      return new ParsedLine.Rejected(line, "id: expected a string");
    }
    CustomerId id;
    try {
      id = CustomerId.parse(idNode.textValue());
    } catch (IllegalArgumentException e) {
      return new ParsedLine.Rejected(line, "id: " + e.getMessage());
    }
    JsonNode fieldsNode = node.get("fields");
    Map<Field, FieldValue> fields;
    try {
      fields = FieldValues.read(fieldsNode, "fields");
    } catch (IllegalArgumentException e) {
      return new ParsedLine.Rejected(line, e.getMessage());
    }
    if (fields.isEmpty()) {
      return new ParsedLine.Rejected(line, "fields: give at least one field");
    }
    for (Field f : fields.keySet()) {
      if (!known.test(f)) {
        return new ParsedLine.Rejected(line, "fields." + f.name() + ": not a field of the vault's catalogue");
      }
    }
    return new ImportRecord(line, text.end(), id, fields, fieldsNode);
  }

  /** A member name for a message: member names are not values, but keep them short and on one line. */
  private static String printable(String name) {
    String s = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
