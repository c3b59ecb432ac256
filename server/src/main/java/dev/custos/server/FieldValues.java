package dev.custos.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Customer field values between JSON and the vault: strings, numbers (kept as their exact decimal
 * text), booleans (as {@code true}/{@code false}), arrays and objects. {@code null} and nesting deeper
 * than {@value #MAX_DEPTH} are refused. Errors name the JSON path and never quote the value. The one
 * conversion used by {@code PUT /v1/customers/{id}} and by {@code custos import}.
 */
public final class FieldValues {
  static final int MAX_DEPTH = 4;
  // Jackson strips trailing zeros of tree decimals by default; an amount keeps the digits it was sent with.
  private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .without(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

  private FieldValues() {}

  /**
   * The reader of documents holding field values: numbers as exact decimals (so {@code 0.10} stays
   * {@code 0.10}), duplicate members and trailing tokens refused.
   */
  public static ObjectReader reader() {
    return READER;
  }

  /**
   * Reads a JSON object of fields.
   *
   * @param path the JSON path of {@code fields} in the document, for error messages
   * @throws IllegalArgumentException naming the path of the offending member
   */
  public static Map<Field, FieldValue> read(JsonNode fields, String path) {
    if (fields == null || !fields.isObject()) {
      throw new IllegalArgumentException(path + ": expected an object of fields");
    }
    Map<Field, FieldValue> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = fields.properties().iterator();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      Field field;
      try {
        field = Field.parse(e.getKey());
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException(path + ": " + bad.getMessage());
      }
      out.put(field, value(e.getValue(), path + "." + field.name(), 1));
    }
    return out;
  }

  static FieldValue value(JsonNode node, String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(path + ": nested deeper than " + MAX_DEPTH + " levels");
    }
    try {
      if (node.isTextual()) {
        return new FieldValue.Text(node.textValue());
      }
      if (node.isNumber()) {
        return new FieldValue.Text(node.decimalValue().toPlainString());
      }
      if (node.isBoolean()) {
        return new FieldValue.Text(Boolean.toString(node.booleanValue()));
      }
      if (node.isArray()) {
        List<FieldValue> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
          items.add(value(node.get(i), path + "[" + i + "]", depth + 1));
        }
        return new FieldValue.Items(items);
      }
      if (node.isObject()) {
        TreeMap<String, FieldValue> parts = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          parts.put(e.getKey(), value(e.getValue(), path + "." + e.getKey(), depth + 1));
        }
        return new FieldValue.Entries(parts);
      }
    } catch (IllegalArgumentException bad) {
      if (bad.getMessage() != null && bad.getMessage().startsWith(path)) {
        throw bad;
      }
      throw new IllegalArgumentException(path + ": " + bad.getMessage());
    }
    throw new IllegalArgumentException(path + ": expected a string, number, boolean, array or object"
        + (node.isNull() ? " (null is not a value)" : ""));
  }

  /** The JSON form of {@code value}. */
  static JsonNode json(FieldValue value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (value) {
      case FieldValue.Text t -> f.textNode(t.value());
      case FieldValue.Items items -> {
        ArrayNode a = f.arrayNode();
        items.values().forEach(v -> a.add(json(v)));
        yield a;
      }
      case FieldValue.Entries entries -> {
        ObjectNode o = f.objectNode();
        entries.values().forEach((k, v) -> o.set(k, json(v)));
        yield o;
      }
    };
  }

  /** Writes {@code value} to {@code g}, as {@link #json(FieldValue)} would give it, without a tree. */
  static void write(JsonGenerator g, FieldValue value) throws IOException {
    switch (value) {
      case FieldValue.Text t -> g.writeString(t.value());
      case FieldValue.Items items -> {
        g.writeStartArray();
        for (FieldValue v : items.values()) {
          write(g, v);
        }
        g.writeEndArray();
      }
      case FieldValue.Entries entries -> {
        g.writeStartObject();
        for (Map.Entry<String, FieldValue> e : entries.values().entrySet()) {
          g.writeFieldName(e.getKey());
          write(g, e.getValue());
        }
        g.writeEndObject();
      }
    }
  }

  /** Writes a JSON object of fields in the given order to {@code g}, as {@link #json(Map)} would give it. */
  static void write(JsonGenerator g, Map<Field, FieldValue> values) throws IOException {
    g.writeStartObject();
    for (Map.Entry<Field, FieldValue> e : values.entrySet()) {
      g.writeFieldName(e.getKey().name());
      write(g, e.getValue());
    }
    g.writeEndObject();
  }

  /** A JSON object of fields in the given order. */
  static ObjectNode json(Map<Field, FieldValue> values) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    values.forEach((k, v) -> o.set(k.name(), json(v)));
    return o;
  }
}
