package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.custos.identity.Scope;
import dev.custos.server.Administration;
import dev.custos.server.ConfigLoader;
import dev.custos.server.Custos;
import dev.custos.server.CustosConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code custos import}: into a data directory (embedded PostgreSQL) and into a running server;
 * counts, idempotence, bad lines by number and member, resume after a stop.
 */
class ImportCommandTest {
  @TempDir
  Path temp;

  @Test
  void import_ofGoodFile_createsEveryCustomer_inOneLedgerEntryPerBatch() throws Exception {
    Path file = generated(7);
    var r = run(null, "import", "--data", data(), "--batch-size", "3", file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("7 created, 0 updated, 0 unchanged, 0 failed lines; 3 ledger entries");
    assertThat(ImportCheckpoint.pathFor(file)).as("removed at the end of the file").doesNotExist();
    List<String> entries = ingestEntries();
    assertThat(entries).hasSize(3).allSatisfy(e -> assertThat(e).contains("\"source\":\"import\"")
        .contains("\"by\":\"cli:os-user:").doesNotContain("cust-").doesNotContain("example.com"));
    // Two batches are written at a time, so their entries may reach the ledger in either order.
    assertThat(entries).filteredOn(e -> e.contains("\"created\":3")).hasSize(2);
    assertThat(entries).filteredOn(e -> e.contains("\"created\":1")).hasSize(1);
  }

  @Test
  void import_ofTheSameFileAgain_changesNothing_andWritesNoLedgerEntry() throws Exception {
    Path file = generated(7);
    assertThat(run(null, "import", "--data", data(), "--batch-size", "3", file.toString()).code()).isZero();
    assertThat(ingestEntries()).hasSize(3);
    var again = run(null, "import", "--data", data(), "--batch-size", "3", file.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("0 created, 0 updated, 7 unchanged, 0 failed lines; 0 ledger entries");
    assertThat(ingestEntries()).as("no entry for batches in which nothing changed").hasSize(3);
  }

  @Test
  void import_ofAChangedRecord_updatesOnlyThatCustomer() throws Exception {
    Path file = generated(3);
    assertThat(run(null, "import", "--data", data(), file.toString()).code()).isZero();
    Files.writeString(file, "{\"id\":\"cust-2\",\"fields\":{\"account_tier\":\"vip-changed\"}}\n"
        + "{\"id\":\"cust-3\",\"fields\":{\"balances\":{\"BTC\":0.5}}}\n"
        + "{\"id\":\"cust-3\",\"fields\":{\"balances\":{\"BTC\":0.75}}}\n", StandardCharsets.UTF_8);
    var r = run(null, "import", "--data", data(), file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    // the repeated customer goes into a batch of its own so that lines apply in order
    assertThat(r.out()).contains("0 created, 3 updated, 0 unchanged, 0 failed lines; 2 ledger entries");
  }

  @Test
  void import_withBadLines_reportsEachByNumberAndMember_andStoresTheRest() throws Exception {
    Path file = temp.resolve("mixed.jsonl");
    List<String> lines = List.of(
        good(1),                                                                     // 1
        "{\"id\":\"cust-2\",\"fields\":{\"email\":\"secret-local-part@example.com\"",  // 2 malformed
        "{\"id\":\"not an id\",\"fields\":{\"email\":\"x@example.com\"}}",            // 3 bad id
        "{\"id\":\"cust-4\",\"fields\":{\"shoe_size\":\"44\"}}",                      // 4 unknown field
        "{\"id\":\"cust-5\",\"fields\":{\"email\":null}}",                            // 5 null value
        good(6),                                                                     // 6
        "",                                                                          // 7 blank
        "{\"id\":\"cust-8\",\"fields\":{\"name\":\"bad \\ud800 text\"}}",            // 8 refused by the vault
        "{\"id\":\"cust-9\",\"fields\":{\"email\":\"a@example.com\"},\"role\":\"admin\"}", // 9 unknown member
        "[1,2]",                                                                     // 10 not an object
        "{\"id\":\"cust-11\",\"fields\":{}}",                                         // 11 no field
        good(12));                                                                   // 12
    Files.write(file, lines, StandardCharsets.UTF_8);
    var r = run(null, "import", "--data", data(), file.toString());
    assertThat(r.code()).as("a failed line fails the import").isEqualTo(1);
    assertThat(r.out()).contains("3 created, 0 updated, 0 unchanged, 8 failed lines");
    assertThat(r.err())
        .contains("line 2: malformed JSON")
        .contains("line 3: id: customer id must be")
        .contains("line 4: fields.shoe_size: not a field")
        .contains("line 5: fields.email: ")
        .containsPattern("line 8: .*field name: .*Unicode")
        .contains("line 9: 'role': unknown member")
        .contains("line 10: expected a JSON object")
        .contains("line 11: fields: give at least one field")
        .doesNotContain("line 1:").doesNotContain("line 6:").doesNotContain("line 7:").doesNotContain("line 12:")
        .doesNotContain("secret-local-part").doesNotContain("Exception");
    var again = run(null, "import", "--data", data(), file.toString());
    assertThat(again.out()).as("the good lines landed").contains("0 created, 0 updated, 3 unchanged, 8 failed lines");
  }

  @Test
  void import_stoppedAfterTwoBatches_resumesAfterTheLastCommittedLine() throws Exception {
    Path file = generated(10);
    var stopped = run(c -> c.stopAfterBatches = 2, "import", "--data", data(), "--batch-size", "3", file.toString());
    assertThat(stopped.code()).isEqualTo(1);
    assertThat(stopped.err()).contains("stopped after line 6").contains("run the same command again");
    assertThat(stopped.out()).contains("partly imported").contains("6 created");
    assertThat(ImportCheckpoint.pathFor(file)).exists();

    var resumed = run(null, "import", "--data", data(), "--batch-size", "3", file.toString());
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(resumed.err()).contains("resuming after line 6");
    // lines 1-6 were not read again: none of them comes back unchanged
    assertThat(resumed.out()).contains("10 created, 0 updated, 0 unchanged, 0 failed lines; 4 ledger entries")
        .contains("resumed after line 6");
    assertThat(ImportCheckpoint.pathFor(file)).doesNotExist();
    assertThat(ingestEntries()).hasSize(4);

    var again = run(null, "import", "--data", data(), file.toString());
    assertThat(again.out()).contains("0 created, 0 updated, 10 unchanged");
  }

  @Test
  void import_ofAFileChangedSinceItsCheckpoint_startsAgainFromTheFirstLine() throws Exception {
    Path file = generated(6);
    assertThat(run(c -> c.stopAfterBatches = 1, "import", "--data", data(), "--batch-size", "2", file.toString()).code())
        .isEqualTo(1);
    Files.writeString(file, good(7) + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    var r = run(null, "import", "--data", data(), "--batch-size", "2", file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("is for another version of");
    assertThat(r.out()).contains("5 created, 0 updated, 2 unchanged");
  }

  @Test
  void import_withRestart_ignoresTheCheckpoint() {
    Path file = generated(4);
    assertThat(run(c -> c.stopAfterBatches = 1, "import", "--data", data(), "--batch-size", "2", file.toString()).code())
        .isEqualTo(1);
    var r = run(null, "import", "--data", data(), "--restart", file.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("resuming");
    assertThat(r.out()).contains("2 created, 0 updated, 2 unchanged");
  }

  @Test
  void import_ofMissingFile_exits2() {
    var r = run(null, "import", "--data", data(), temp.resolve("nope.jsonl").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("nope.jsonl is not a file");
  }

  @Test
  void import_withUrlAndData_exits2() {
    var r = run(null, "import", "--url", "http://127.0.0.1:1", "--data", data(), generated(1).toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--url").contains("excludes --data");
  }

  @Test
  void import_withUrlButNoToken_exits2_namingBothWays() {
    var r = run(c -> c.environment = Map.of(), "import", "--url", "http://127.0.0.1:1", generated(1).toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--token-file").contains("CUSTOS_TOKEN");
  }

  @Test
  void import_withBatchSizeAboveTheLimit_exits2() {
    var r = run(null, "import", "--data", data(), "--batch-size", "501", generated(1).toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--batch-size must be 1 to 500");
  }

  @Test
  void import_overHttp_storesRecords_reportsRefusedLines_andIsIdempotent() throws Exception {
    String token = issue(Set.of(Scope.CUSTOMERS_WRITE));
    Path tokenFile = temp.resolve("token");
    Files.writeString(tokenFile, token + "\n");
    Path file = generated(9);
    Files.writeString(file, "{\"id\":\"cust-10\",\"fields\":{\"shoe_size\":\"44\"}}\n"
        + "{\"id\":\"cust-11\",\"fields\":{\"name\":\"bad \\ud800 text\"}}\n",
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    try (Custos custos = start()) {
      String url = custos.baseUri().toString();
      var r = run(c -> c.environment = Map.of(), "import", "--url", url, "--token-file", tokenFile.toString(),
          "--batch-size", "4", "--concurrency", "3", file.toString());
      assertThat(r.code()).as("two lines failed").isEqualTo(1);
      assertThat(r.out()).contains("9 created, 0 updated, 0 unchanged, 2 failed lines; 9 ledger entries");
      assertThat(r.err()).contains("line 10: ").contains("shoe_size").containsPattern("line 11: .*Unicode")
          .doesNotContain(token);
      assertThat(ImportCheckpoint.pathFor(file)).doesNotExist();

      var again = run(c -> c.environment = Map.of("CUSTOS_TOKEN", token), "import", "--url", url, file.toString());
      assertThat(again.out()).contains("0 created, 0 updated, 9 unchanged, 2 failed lines");
    }
  }

  @Test
  void import_overHttp_withATokenWithoutCustomersWrite_stops_namingTheScope() throws Exception {
    String token = issue(Set.of(Scope.LEDGER_APPEND));
    Path file = generated(3);
    try (Custos custos = start()) {
      var r = run(c -> c.environment = Map.of("CUSTOS_TOKEN", token), "import", "--url", custos.baseUri().toString(),
          file.toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("403").contains("customers:write").contains("stopped after line 0")
          .doesNotContain(token);
      assertThat(r.out()).contains("0 created");
    }
  }

  @Test
  void import_overHttp_retriesA503_untilTheServerTakesTheRecord() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
    HttpServer fake = fakeServer(exchange -> {
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      return calls.incrementAndGet() <= 2 ? 503 : 200;
    });
    try {
      var r = run(c -> c.environment = Map.of("CUSTOS_TOKEN", "cst_fake"), "import", "--url",
          "http://127.0.0.1:" + fake.getAddress().getPort(), generated(1).toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("1 created");
      assertThat(calls).hasValue(3);
      assertThat(authorizations).containsOnly("Bearer cst_fake");
    } finally {
      fake.stop(0);
    }
  }

  @Test
  void import_overHttp_whenTheServerKeepsAnswering503_stops_withoutMovingTheCheckpoint() throws Exception {
    HttpServer fake = fakeServer(exchange -> 503);
    Path file = generated(2);
    try {
      var r = run(c -> c.environment = Map.of("CUSTOS_TOKEN", "cst_fake"), "import", "--url",
          "http://127.0.0.1:" + fake.getAddress().getPort(), file.toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("stopped after line 0").contains("503").contains(OnlineImport.ATTEMPTS + " tries");
      assertThat(ImportCheckpoint.pathFor(file)).doesNotExist();
    } finally {
      fake.stop(0);
    }
  }

  // ---- helpers

  /** A stand-in for a server: answers PUT /v1/customers/{id} with the status {@code answer} picks. */
  private static HttpServer fakeServer(java.util.function.ToIntFunction<HttpExchange> answer) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/customers/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      int status = answer.applyAsInt(exchange);
      byte[] body = (status == 200
          ? "{\"customer\":\"x\",\"outcome\":\"created\",\"changed\":[],\"ledgerIndex\":1}"
          : "{\"type\":\"urn:custos:problem:ledger-unavailable\",\"status\":" + status
              + ",\"detail\":\"the ledger did not record it; retry\"}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  private String data() {
    return temp.resolve("data").toString();
  }

  private Path generated(int count) {
    Path file = temp.resolve("customers-" + count + ".jsonl");
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      CustomerGenerator.write(w, 1, count, 7);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file;
  }

  private static String good(long n) {
    StringWriter w = new StringWriter();
    try {
      CustomerGenerator.write(w, n, 1, 7);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return w.toString().strip();
  }

  private CustosConfig config() throws Exception {
    return ConfigLoader.load(Map.of("data", data(), "http.port", "0"), Map.of(), null, temp);
  }

  private Custos start() throws Exception {
    return Custos.start(config(), InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE);
  }

  private String issue(Set<Scope> scopes) throws Exception {
    try (Administration admin = Administration.open(config(), InstantSource.system(), RandomGenerator.getDefault())) {
      return admin.issueToken("backend", scopes, Optional.empty(), "test").token().revealText();
    }
  }

  /** The custos.ingest/v1 entries of the data directory's ledger, in order. */
  private List<String> ingestEntries() throws Exception {
    List<String> out = new ArrayList<>();
    try (Custos custos = start()) {
      long size = custos.ledger().latestCheckpoint().checkpoint().size();
      for (long i = 0; i < size; i++) {
        String e = new String(custos.ledger().entry(i), StandardCharsets.UTF_8);
        if (e.contains("\"kind\":\"custos.ingest/v1\"")) {
          out.add(e);
        }
      }
    }
    return out;
  }

  /** Runs the command line with an import command prepared by {@code prepare} (null: as users get it). */
  private static MainTest.Run run(Consumer<ImportCommand> prepare, String... args) {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine cl = Main.commandLine(new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> cls) throws Exception {
        K made = defaults.create(cls);
        if (made instanceof ImportCommand c) {
          c.firstBackoff = Duration.ofMillis(10);
          if (prepare != null) {
            prepare.accept(c);
          }
        }
        return made;
      }
    });
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new MainTest.Run(code, out.toString(), err.toString());
  }
}
