package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.server.ConfigLoader;
import dev.custos.server.Custos;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custos token}: issue, use against a real server, list, revoke; every change in the ledger. */
class TokenCommandTest {
  @TempDir
  Path temp;

  @Test
  void createdToken_appendsThroughHttp_untilRevoked() throws Exception {
    String data = temp.resolve("data").toString();
    var created = MainTest.run("token", "create", "--data", data, "--name", "payments-admin", "--scope", "ledger:append",
        "--expires-in", "90d");
    assertThat(created.code()).as(created.err()).isZero();
    String text = created.out().strip();
    assertThat(text).matches("cst_[a-z2-7]{16}_[A-Za-z0-9_-]{43}");
    assertThat(created.err()).contains("recorded in the ledger at index 0").contains("only time");
    String id = text.substring(4, 20);

    var listed = MainTest.run("token", "list", "--data", data);
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.out()).contains(id).contains("payments-admin").contains("active").doesNotContain(text.substring(21));

    try (Custos custos = Custos.start(ConfigLoader.load(Map.of("data", data, "http.port", "0"), Map.of(), null, temp),
        InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE)) {
      assertThat(postEntry(custos.baseUri(), text)).isEqualTo(201);
      var whileServing = MainTest.run("token", "revoke", "--data", data, id);
      assertThat(whileServing.code()).as("a running server holds the data directory").isEqualTo(1);
      // in-process here, so the lock is refused as "this process already uses"; a separate process gets "another"
      assertThat(whileServing.err()).containsPattern("(this|another Custos) process .*uses? the data directory")
          .doesNotContain("Exception");
    }

    var revoked = MainTest.run("token", "revoke", "--data", data, id);
    assertThat(revoked.code()).as(revoked.err()).isZero();
    assertThat(revoked.out()).contains("revoked " + id);

    try (Custos custos = Custos.start(ConfigLoader.load(Map.of("data", data, "http.port", "0"), Map.of(), null, temp),
        InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE)) {
      assertThat(postEntry(custos.baseUri(), text)).isEqualTo(401);
      // issue (0), the entry appended over HTTP (1), revoke (2)
      assertThat(custos.ledger().latestCheckpoint().checkpoint().size()).isEqualTo(3);
      assertThat(new String(custos.ledger().entry(2), java.nio.charset.StandardCharsets.UTF_8))
          .contains("\"action\":\"service-token.revoked\"").contains(id).contains("os-user:");
    }
  }

  @Test
  void create_withUnknownScope_exits2_namingTheScopes() {
    var r = MainTest.run("token", "create", "--data", temp.resolve("d").toString(), "--name", "x", "--scope", "admin");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--scope").contains("ledger:append");
  }

  @Test
  void create_withBadLifetime_exits2() {
    var r = MainTest.run("token", "create", "--data", temp.resolve("d").toString(), "--name", "x", "--scope",
        "ledger:append", "--expires-in", "soon");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--expires-in");
  }

  @Test
  void create_withAHundredYearLifetime_exits2() {
    var r = MainTest.run("token", "create", "--data", temp.resolve("d").toString(), "--name", "x", "--scope",
        "ledger:append", "--expires-in", "P36500D");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("at most 3650d");
  }

  @Test
  void create_withBadName_exits2() {
    var r = MainTest.run("token", "create", "--data", temp.resolve("d").toString(), "--name", "two words", "--scope",
        "ledger:append");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--name");
  }

  @Test
  void revoke_ofUnknownToken_exits2() {
    var r = MainTest.run("token", "revoke", "--data", temp.resolve("d").toString(), "aaaaaaaaaaaaaaaa");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no active service token");
  }

  private static int postEntry(URI base, String token) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(base.resolve("/v1/ledger/entries"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"who\":\"ops-3\",\"did\":\"viewed-payout-queue\"}")).build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
