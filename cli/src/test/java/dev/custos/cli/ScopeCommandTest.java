package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
