package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading one line into a record: the same conversion as the HTTP API, messages that name members and never values. */
class ImportRecordTest {
  private static final FieldCatalogue CATALOGUE = FieldCatalogue.exchangeDefault();

  @Test
  void aValidLine_becomesARecord_withNumbersAsDecimalText() {
    ParsedLine p = parse("{\"id\":\"cust-1\",\"fields\":{\"email\":\"a@example.com\",\"balances\":{\"BTC\":0.25,\"EUR\":12}}}");
    assertThat(p).isInstanceOf(ImportRecord.class);
    ImportRecord r = (ImportRecord) p;
    assertThat(r.id().value()).isEqualTo("cust-1");
    assertThat(r.fields().get(new Field("email"))).isEqualTo(new FieldValue.Text("a@example.com"));
    assertThat(((FieldValue.Entries) r.fields().get(new Field("balances"))).values().get("BTC"))
        .isEqualTo(new FieldValue.Text("0.25"));
    assertThat(r.body().toString()).startsWith("{\"fields\":{\"email\"");
  }

  @Test
  void malformedJson_isRefused_withoutQuotingTheLine() {
    assertThat(why("{\"id\":\"cust-1\",\"fields\":{\"email\":ada-secret@example.com}}"))
        .startsWith("malformed JSON near column").doesNotContain("ada-secret");
  }

  @Test
  void aDuplicateMember_isRefused() {
    assertThat(why("{\"id\":\"cust-1\",\"id\":\"cust-2\",\"fields\":{\"email\":\"a@example.com\"}}")).startsWith("malformed JSON");
  }

  @Test
  void anInvalidValue_isRefused_namingItsPath_withoutTheValue() {
    assertThat(why("{\"id\":\"cust-1\",\"fields\":{\"address\":{\"city\":null,\"street\":\"Secret Street\"}}}"))
        .startsWith("fields.address.city: ").doesNotContain("Secret");
  }

  @Test
  void aFieldOutsideTheCatalogue_isRefused_namingIt() {
    assertThat(why("{\"id\":\"cust-1\",\"fields\":{\"shoe_size\":44}}")).isEqualTo("fields.shoe_size: not a field of the vault's catalogue");
  }

  @Test
  void aMissingOrNonTextId_isRefused() {
    assertThat(why("{\"fields\":{\"email\":\"a@example.com\"}}")).isEqualTo("id: is required");
    assertThat(why("{\"id\":17,\"fields\":{\"email\":\"a@example.com\"}}")).isEqualTo("id: expected a string");
  }

  private static ParsedLine parse(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return ImportRecord.parse(new ImportLines.Text(3, bytes.length + 1, bytes), CATALOGUE::contains);
  }

  private static String why(String line) {
    ParsedLine p = parse(line);
    assertThat(p).isInstanceOf(ParsedLine.Rejected.class);
    assertThat(p.line()).isEqualTo(3);
    return ((ParsedLine.Rejected) p).why();
  }
}
