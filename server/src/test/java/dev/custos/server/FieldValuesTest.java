package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldValuesTest {
  private static JsonNode tree(String json) throws Exception {
    return Json.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json);
  }

  @Test
  void read_mapsStringsNumbersListsAndObjects_keepingDecimalsExact() throws Exception {
    Map<Field, FieldValue> fields = FieldValues.read(tree("""
        {"email":"ada@example.com","balances":{"BTC":0.1234567890123456789,"USD":1200},
         "withdrawal_addresses":["bc1qxy","bc1qzz"],"vip":true}"""), "fields");

    assertThat(fields.get(new Field("email"))).isEqualTo(new FieldValue.Text("ada@example.com"));
    assertThat(((FieldValue.Entries) fields.get(new Field("balances"))).values().get("BTC"))
        .isEqualTo(new FieldValue.Text("0.1234567890123456789"));
    assertThat(fields.get(new Field("withdrawal_addresses")))
        .isEqualTo(new FieldValue.Items(List.of(new FieldValue.Text("bc1qxy"), new FieldValue.Text("bc1qzz"))));
    assertThat(fields.get(new Field("vip"))).isEqualTo(new FieldValue.Text("true"));
  }

  @Test
  void read_keepsTheDigitsAnAmountWasSentWith() throws Exception {
    Map<Field, FieldValue> fields = FieldValues.read(FieldValues.reader().readTree("{\"balance\":0.50}"), "fields");
    assertThat(fields.get(new Field("balance"))).isEqualTo(new FieldValue.Text("0.50"));
  }

  @Test
  void read_refusesNullNamingThePathButNotTheValue() throws Exception {
    assertThatThrownBy(() -> FieldValues.read(tree("{\"address\":{\"city\":null}}"), "fields"))
        .hasMessageStartingWith("fields.address.city:").hasMessageContaining("null");
  }

  @Test
  void read_refusesAnInvalidFieldNameAndDeepNesting() throws Exception {
    assertThatThrownBy(() -> FieldValues.read(tree("{\"E-mail\":\"x\"}"), "fields")).hasMessageStartingWith("fields:")
        .hasMessageContaining("field name");
    assertThatThrownBy(() -> FieldValues.read(tree("{\"a\":[[[[\"deep\"]]]]}"), "fields"))
        .hasMessageContaining("nested deeper");
    assertThatThrownBy(() -> FieldValues.read(tree("[]"), "fields")).hasMessageContaining("expected an object");
  }

  @Test
  void json_roundTripsEveryShape() throws Exception {
    JsonNode in = tree("{\"address\":{\"city\":\"Paris\",\"country\":\"FR\"},\"logins\":[{\"ip\":\"10.0.0.1\"}],\"n\":\"x\"}");
    assertThat(FieldValues.json(FieldValues.read(in, "fields"))).isEqualTo(in);
  }

  @Test
  void write_streamsTheSameBytesAsTheTree_escapesAndNonAsciiIncluded() throws Exception {
    JsonNode in = tree("{\"name\":\"A\u2022\u2022\u2022 O\\\"Brien\\n\",\"address\":{\"city\":\"Z\u00fcrich\",\"country\":\"CH\"},"
        + "\"logins\":[{\"ip\":\"10.0.0.1\"},[\"a\",\"\\u0001\"]],\"empty\":[],\"none\":{}}");
    Map<Field, FieldValue> values = FieldValues.read(in, "fields");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (com.fasterxml.jackson.core.JsonGenerator g = Json.MAPPER.createGenerator(out)) {
      FieldValues.write(g, values);
    }
    assertThat(out.toByteArray()).isEqualTo(Json.MAPPER.writeValueAsBytes(FieldValues.json(values)));
    assertThat(Json.MAPPER.readTree(out.toByteArray())).isEqualTo(in);
  }
}
