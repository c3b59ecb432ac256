package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custos.server.ConfigLoader;
import dev.custos.server.Custos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScopeCommandTest {
  @TempDir
  Path temp;

  @Test
  void scope_ofAFreshInstallation_isEmpty_exits0_andBuildsTheIndex() throws Exception {
    String data = temp.resolve("d").toString();
    var r = MainTest.run("scope", "--data", data, "--staff", "mallory,eve", "--from", "2026-11-01", "--to",
        "2026-11-22T00:00:00Z");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("staff")).hasSize(2);
    assertThat(json.get("customers").asInt()).isZero();
    assertThat(json.get("from").asText()).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(Files.exists(Path.of(data, "index", "state"))).isTrue();
    var csv = MainTest.run("scope", "--data", data, "--staff", "mallory", "--from", "2026-11-01", "--to",
        "2026-11-02", "--format", "csv");
    assertThat(csv.code()).as(csv.err()).isZero();
    assertThat(csv.out().strip()).isEqualTo("customer,commitment,fields_masked,fields_revealed,first,last,staff,accesses");
  }

  @Test
  void scope_withoutStaff_exits2() {
    var r = MainTest.run("scope", "--data", temp.toString(), "--from", "2026-11-01", "--to", "2026-11-02");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  void scope_withABadDate_exits2_namingTheOption() {
    var r = MainTest.run("scope", "--data", temp.toString(), "--staff", "eve", "--from", "last tuesday", "--to",
        "2026-11-02");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--from").doesNotContain("Exception");
    assertThat(r.err().strip().lines()).hasSize(1);
  }

  @Test
  void scope_withAWindowEndingBeforeItStarts_exits2() {
    var r = MainTest.run("scope", "--data", temp.toString(), "--staff", "eve", "--from", "2026-11-02", "--to",
        "2026-11-01");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--to");
  }

  @Test
  void scope_withABadStaffIdOrFormat_exits2() {
    assertThat(MainTest.run("scope", "--data", temp.toString(), "--staff", "eve,,bob", "--from", "2026-11-01", "--to",
        "2026-11-02").code()).isEqualTo(2);
    var f = MainTest.run("scope", "--data", temp.toString(), "--staff", "eve", "--from", "2026-11-01", "--to",
        "2026-11-02", "--format", "xml");
    assertThat(f.code()).isEqualTo(2);
    assertThat(f.err()).contains("--format");
  }

  /** A permitted view by {@code staff} of the customer with commitment {@code n} at {@code at}, as the broker writes it. */
  private static byte[] view(String staff, int n, String at, String fields) {
    return ("{\"action\":\"view\",\"at\":\"" + at + "\",\"customer\":\"" + String.format("%064x", n)
        + "\",\"decision\":\"permit\",\"fields\":" + fields + ",\"kind\":\"custos.access/v1\",\"obligations\":[],"
        + "\"purpose\":{\"id\":\"T-" + n + "\",\"type\":\"ticket\"},\"roles\":[\"support-agent\"],\"rules\":[],"
        + "\"session\":\"s-" + staff + "\",\"staff\":\"" + staff + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void url_asksARunningServer_andPrintsWhatTheOfflineScopePrints() throws Exception {
    String data = temp.resolve("data").toString();
    var created = MainTest.run("token", "create", "--data", data, "--name", "security-tooling", "--scope",
        "incidents:scope");
    assertThat(created.code()).as(created.err()).isZero();
    Path tokenFile = temp.resolve("token");
    Files.writeString(tokenFile, created.out().strip(), StandardCharsets.UTF_8);
    var other = MainTest.run("token", "create", "--data", data, "--name", "attributor", "--scope", "incidents:attribute");
    Path otherFile = temp.resolve("other-token");
    Files.writeString(otherFile, other.out().strip(), StandardCharsets.UTF_8);
    String[] window = {"--staff", "mallory,eve", "--from", "2026-11-01", "--to", "2026-11-03"};
    MainTest.Run json;
    MainTest.Run csv;
    try (Custos custos = Custos.start(ConfigLoader.load(Map.of("data", data, "http.port", "0"), Map.of(), null, temp),
        InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE)) {
      custos.ledger().appendAll(List.of(
          view("mallory", 1, "2026-11-01T09:00:00Z", "{\"email\":\"partial-email\",\"name\":\"initial\"}"),
          view("mallory", 2, "2026-11-01T09:05:00Z", "{\"phone\":\"none\"}"),
          view("eve", 1, "2026-11-02T10:00:00Z", "{\"email\":\"none\"}"),
          view("bob", 3, "2026-11-02T11:00:00Z", "{\"email\":\"partial-email\"}"),
          view("eve", 4, "2026-11-05T11:00:00Z", "{\"email\":\"partial-email\"}")));
      custos.ledger().publish();
      String url = custos.baseUri().toString();
      json = MainTest.run(concat(new String[] {"scope", "--url", url, "--token-file", tokenFile.toString()}, window));
      assertThat(json.code()).as(json.err()).isZero();
      csv = MainTest.run(concat(new String[] {"scope", "--url", url + "/", "--token-file", tokenFile.toString(),
          "--format", "csv"}, window));
      assertThat(csv.code()).as(csv.err()).isZero();

      var refused = MainTest.run(concat(new String[] {"scope", "--url", url, "--token-file", otherFile.toString()},
          window));
      assertThat(refused.code()).isEqualTo(2);
      assertThat(refused.err().strip()).startsWith("custos: the server answered 403").doesNotContain("\n");
      Path forged = temp.resolve("forged");
      Files.writeString(forged, "cst_not-a-real-token", StandardCharsets.UTF_8);
      var unknown = MainTest.run(concat(new String[] {"scope", "--url", url, "--token-file", forged.toString()}, window));
      assertThat(unknown.code()).isEqualTo(2);
      assertThat(unknown.err().strip()).startsWith("custos: the server answered 401").doesNotContain("\n");

      custos.ledger().publish();
      long size = custos.ledger().latestCheckpoint().checkpoint().size();
      List<String> reads = new java.util.ArrayList<>();
      for (long i = 0; i < size; i++) {
        String e = new String(custos.ledger().entry(i), StandardCharsets.UTF_8);
        if (e.contains("\"event\":\"scope.read\"")) {
          reads.add(e);
        }
      }
      assertThat(reads).hasSize(2).allSatisfy(e -> assertThat(e).contains("\"by\":\"service-token:"));
    }
    JsonNode remote = new ObjectMapper().readTree(json.out());
    assertThat(remote.get("customers").asInt()).isEqualTo(2);
    assertThat(remote.get("accesses").asInt()).isEqualTo(3);
    assertThat(json.err()).contains("2 customers, 3 accesses");

    var offline = MainTest.run(concat(new String[] {"scope", "--data", data}, window));
    assertThat(offline.code()).as(offline.err()).isZero();
    JsonNode local = new ObjectMapper().readTree(offline.out());
    for (String member : List.of("staff", "from", "to", "accesses", "customers", "byCategory", "byField", "exposures")) {
      assertThat(remote.get(member)).as(member).isEqualTo(local.get(member));
    }
    var offlineCsv = MainTest.run(concat(new String[] {"scope", "--data", data, "--format", "csv"}, window));
    assertThat(csv.out()).isEqualTo(offlineCsv.out()).contains(String.format("%064x", 2));
    assertThat(csv.err().lines().findFirst()).isEqualTo(offlineCsv.err().lines().findFirst());
  }

  @Test
  void url_thatIsNotAServerOrNotAUrl_exits2_withOneLine() throws Exception {
    Path tokenFile = temp.resolve("token");
    Files.writeString(tokenFile, "cst_x", StandardCharsets.UTF_8);
    String[] window = {"--staff", "eve", "--from", "2026-11-01", "--to", "2026-11-02"};
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var closed = MainTest.run(concat(new String[] {"scope", "--url", "http://127.0.0.1:" + port, "--token-file",
        tokenFile.toString()}, window));
    assertThat(closed.code()).isEqualTo(2);
    assertThat(closed.err().strip()).startsWith("custos: cannot reach http://127.0.0.1:" + port).doesNotContain("\n");
    var notUrl = MainTest.run(concat(new String[] {"scope", "--url", "ftp://x", "--token-file", tokenFile.toString()},
        window));
    assertThat(notUrl.code()).isEqualTo(2);
    assertThat(notUrl.err()).contains("--url");
    var noToken = MainTest.run(concat(new String[] {"scope", "--url", "http://127.0.0.1:" + port, "--token-file",
        temp.resolve("missing").toString()}, window));
    assertThat(noToken.code()).isEqualTo(2);
    assertThat(noToken.err()).contains("--token-file");
    var tokenWithoutUrl = MainTest.run(concat(new String[] {"scope", "--data", temp.toString(), "--token-file",
        tokenFile.toString()}, window));
    assertThat(tokenWithoutUrl.code()).isEqualTo(2);
    assertThat(tokenWithoutUrl.err()).contains("--token-file is for --url");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
