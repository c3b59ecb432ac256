package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static List<List<String>> allCommandPaths(CommandLine cl, List<String> prefix) {
    List<List<String>> paths = new ArrayList<>();
    paths.add(prefix);
    cl.getSubcommands().forEach((name, sub) -> {
      if (!name.equals("help")) {
        List<String> p = new ArrayList<>(prefix);
        p.add(name);
        paths.addAll(allCommandPaths(sub, p));
      }
    });
    return paths;
  }

  @Test
  void help_onEveryCommand_exits0_withUsage() {
    List<List<String>> paths = allCommandPaths(Main.commandLine(), List.of());
    assertThat(paths).contains(List.of("serve"), List.of("demo"), List.of("config", "print"));
    for (List<String> p : paths) {
      List<String> args = new ArrayList<>(p);
      args.add("--help");
      Run r = run(args.toArray(String[]::new));
      assertThat(r.code()).as("custos %s --help", String.join(" ", p)).isZero();
      assertThat(r.out()).as("custos %s --help", String.join(" ", p)).contains("Usage: custos");
    }
  }

  @Test
  void version_printsTheVersion() {
    Run r = run("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("custos ");
  }

  @Test
  void serve_withPortNotANumber_exits2_withOneLineNamingPort() {
    Run r = run("serve", "--port", "notaport");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().count()).isEqualTo(1);
    assertThat(r.err()).contains("http.port").contains("--port").doesNotContain("Exception");
  }

  @Test
  void unknownOption_exits2_withOneLine() {
    Run r = run("serve", "--no-such-flag");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().count()).isEqualTo(1);
    assertThat(r.err()).contains("--no-such-flag").contains("custos serve --help");
  }

  @Test
  void unknownCommand_exits2() {
    assertThat(run("frobnicate").code()).isEqualTo(2);
  }

  @Test
  void configPrint_showsEffectiveConfiguration_withSources() {
    Run r = run("config", "print", "--port", "9123", "--data", "/tmp/x");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("http.port: \"9123\"    # flag --port").contains("data: \"/tmp/x\"");
  }

  @Test
  void configPrint_withUnknownFileKey_exits2() throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("custos", ".yaml");
    java.nio.file.Files.writeString(f, "htp:\n  port: 1\n");
    Run r = run("config", "print", "--config", f.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("htp.port");
    java.nio.file.Files.delete(f);
  }

  @Test
  void configPrint_withABadQuota_exits2_withOneLineNamingTheKey() throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("custos", ".yaml");
    java.nio.file.Files.writeString(f, "quota:\n  reveals-per-hour: plenty\n");
    Run r = run("config", "print", "--config", f.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("quota.reveals-per-hour").contains("'plenty'").hasLineCount(1);
    java.nio.file.Files.delete(f);
  }

  @Test
  void configPrint_showsTheAccessSettings() {
    Run r = run("config", "print", "--data", "/tmp/x");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("quota.reveals-per-hour: \"20\"    # default")
        .contains("access.mfa-window: \"5m\"").contains("access.break-glass-roles: \"");
  }

  @Test
  void staffShift_malformedOrBoth_exits2_namingTheShift() {
    Run bad = run("staff", "shift", "alice", "weekdays 9 to 5", "--data", "/tmp/custos-no-such-dir");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("SHIFT: shift must be '<days> <HH:mm>-<HH:mm> <zone>'").hasLineCount(1);
    Run both = run("staff", "shift", "alice", "mon 09:00-17:00 UTC", "--none", "--data", "/tmp/custos-no-such-dir");
    assertThat(both.code()).isEqualTo(2);
  }
}
