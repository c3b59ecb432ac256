package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void offline_aNameIsMatchedOnlyAmongTheCustomersSeen_soAnImportedButNeverSeenCustomerIsNotNamed() throws Exception {
    String data = temp.resolve("data").toString();
    Path records = temp.resolve("customers.jsonl");
    Files.writeString(records, "{\"id\":\"cust-1\",\"fields\":{\"email\":\"ada@example.com\",\"name\":\"Ada Lovelace\"}}\n",
        StandardCharsets.UTF_8);
    assertThat(MainTest.run("import", "--data", data, records.toString()).code()).isZero();
    Path sample = temp.resolve("leak.csv");
    Files.writeString(sample, "email,name\nada@example.com,A. L***\n,\"Lovelace, Ada\"\n", StandardCharsets.UTF_8);

    var r = MainTest.run("attribute", "--data", data, "--sample", sample.toString(), "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"matched\" : 1", "\"matchedByName\" : 0", "\"line\" : 3",
        "the name matches none of the 0 customers seen in the window").doesNotContain("Lovelace");
  }

  @Test
  void url_asksARunningServerWithAServiceTokenOfScopeIncidentsAttribute() throws Exception {
    String data = temp.resolve("data").toString();
    Path records = temp.resolve("customers.jsonl");
    Files.writeString(records, "{\"id\":\"cust-1\",\"fields\":{\"email\":\"ada@example.com\"}}\n", StandardCharsets.UTF_8);
    assertThat(MainTest.run("import", "--data", data, records.toString()).code()).isZero();
    var created = MainTest.run("token", "create", "--data", data, "--name", "security-tooling", "--scope",
        "incidents:attribute");
    assertThat(created.code()).as(created.err()).isZero();
    Path tokenFile = temp.resolve("token");
    Files.writeString(tokenFile, created.out().strip(), StandardCharsets.UTF_8);
    var wrongScope = MainTest.run("token", "create", "--data", data, "--name", "ledger-writer", "--scope", "ledger:append");
    Path wrongFile = temp.resolve("wrong-token");
    Files.writeString(wrongFile, wrongScope.out().strip(), StandardCharsets.UTF_8);
    Path sample = temp.resolve("leak.csv");
    Files.writeString(sample, "email\nada@example.com\n", StandardCharsets.UTF_8);
    Path bad = temp.resolve("bad.csv");
    Files.writeString(bad, "email\nada@example.com,extra\n", StandardCharsets.UTF_8);
    try (dev.custos.server.Custos custos = dev.custos.server.Custos.start(dev.custos.server.ConfigLoader.load(
        java.util.Map.of("data", data, "http.port", "0"), java.util.Map.of(), null, temp), java.time.InstantSource.system(),
        java.util.random.RandomGenerator.getDefault(), dev.custos.server.Custos.Progress.NONE)) {
      String url = custos.baseUri().toString();
      var r = MainTest.run("attribute", "--url", url, "--token-file", tokenFile.toString(), "--sample", sample.toString(),
          "--incident", "inc-9", "--format", "json");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("\"incident\":\"inc-9\"").contains("\"matched\":1");
      var text = MainTest.run("attribute", "--url", url, "--token-file", tokenFile.toString(), "--sample", sample.toString());
      assertThat(text.code()).as(text.err()).isZero();
      assertThat(text.out()).contains("1 records, 1 matched");
      var refused = MainTest.run("attribute", "--url", url, "--token-file", wrongFile.toString(), "--sample", sample.toString());
      assertThat(refused.code()).isEqualTo(1);
      assertThat(refused.err()).startsWith("custos: the server answered 403");
      var badLine = MainTest.run("attribute", "--url", url, "--token-file", tokenFile.toString(), "--sample", bad.toString());
      assertThat(badLine.code()).isEqualTo(2);
      assertThat(badLine.err().strip()).startsWith("custos: the server answered 400: sample line 2:");
      custos.ledger().publish();
      long size = custos.ledger().latestCheckpoint().checkpoint().size();
      List<String> attributions = new java.util.ArrayList<>();
      for (long i = 0; i < size; i++) {
        String e = new String(custos.ledger().entry(i), StandardCharsets.UTF_8);
        if (e.contains("\"kind\":\"custos.incident/v1\"")) {
          attributions.add(e);
        }
      }
      assertThat(attributions).hasSize(2).allSatisfy(e -> assertThat(e).contains("\"by\":\"service-token:")
          .doesNotContain("ada@example.com"));
    }
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
