package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custos attribute}: resolves a sample against the data directory, records it, refuses bad input in one line. */
class AttributeCommandTest {
  @TempDir
  Path temp;

  @Test
  void sample_isResolvedThroughTheBlindIndexAndTheAttributionRecorded() throws Exception {
    String data = temp.resolve("data").toString();
    Path records = temp.resolve("customers.jsonl");
    Files.writeString(records, "{\"id\":\"cust-1\",\"fields\":{\"email\":\"ada@example.com\",\"name\":\"Ada Lovelace\"}}\n",
        StandardCharsets.UTF_8);
    var imported = MainTest.run("import", "--data", data, records.toString());
    assertThat(imported.code()).as(imported.err()).isZero();
    Path sample = temp.resolve("leak.csv");
    Files.writeString(sample, "E-mail,balances\nADA@example.com,1200\nnobody@example.com,3\n", StandardCharsets.UTF_8);

    var r = MainTest.run("attribute", "--data", data, "--sample", sample.toString(), "--incident", "inc-7", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"incident\" : \"inc-7\"").contains("\"matched\" : 1")
        .contains("\"line\" : 3").contains("no customer matches");

    var text = MainTest.run("attribute", "--data", data, "--sample", sample.toString());
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).contains("2 records, 1 matched").contains("line 3 unresolved");
  }

  @Test
  void badSampleLine_exitsTwoWithOneLineNamingIt() throws Exception {
    Path sample = temp.resolve("leak.jsonl");
    Files.writeString(sample, "{\"email\":\"a@b.c\"}\n{\"email\": [1]}\n", StandardCharsets.UTF_8);
    var r = MainTest.run("attribute", "--data", temp.resolve("data").toString(), "--sample", sample.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("custos: sample line 2:").doesNotContain("\n").doesNotContain("Exception");
  }

  @Test
  void badOptions_exitTwoWithOneLine() throws Exception {
    Path sample = temp.resolve("leak.csv");
    Files.writeString(sample, "customer_id\ncust-1\n", StandardCharsets.UTF_8);
    var missing = MainTest.run("attribute", "--sample", temp.resolve("nope.csv").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("is not a file");
    var format = MainTest.run("attribute", "--sample", sample.toString(), "--format", "xml");
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err().strip()).isEqualTo("custos: --format must be text or json, not 'xml'");
    var from = MainTest.run("attribute", "--sample", sample.toString(), "--from", "monday");
    assertThat(from.code()).isEqualTo(2);
    assertThat(from.err()).contains("--from must be an ISO-8601 instant");
  }
}
