package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custos keys}: status, a new KEK with the old one kept, rewrap, new data keys; against a real data directory. */
class KeysCommandTest {
  @TempDir
  Path temp;

  private String data() {
    return temp.resolve("data").toString();
  }

  private Path generated(int count) throws Exception {
    Path file = temp.resolve("customers.jsonl");
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      CustomerGenerator.write(w, 1, count, 7);
    }
    return file;
  }

  @Test
  void rotateKek_thenRewrap_thenNewDataKeys_withStatusAtEachStep() throws Exception {
    Path file = generated(12);
    assertThat(MainTest.run("import", "--data", data(), file.toString()).code()).isZero();

    MainTest.Run status = MainTest.run("keys", "status", "--data", data());
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out()).contains("key-encryption keys: 1 (primary)").contains("customers: 12")
        .contains("under kek 1: 12\n");

    MainTest.Run rotated = MainTest.run("keys", "rotate-kek", "--data", data());
    assertThat(rotated.code()).as(rotated.err()).isZero();
    assertThat(rotated.out()).contains("new primary key-encryption key 2").contains("key 1 kept as vault-kek.1.key");
    Path keys = temp.resolve("data").resolve("keys");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("vault-kek.key"))))
        .isEqualTo("rw-------");
    assertThat(keys.resolve("vault-kek.1.key")).exists();

    MainTest.Run pending = MainTest.run("keys", "status", "--data", data());
    assertThat(pending.out()).contains("key-encryption keys: 2 (primary), older [1]").contains("under kek 1: 12 (to rewrap)");

    // The records under the old KEK still open: re-importing finds every one unchanged.
    MainTest.Run again = MainTest.run("import", "--data", data(), file.toString());
    assertThat(again.out()).as(again.err()).contains("0 created, 0 updated, 12 unchanged");

    MainTest.Run rewrap = MainTest.run("keys", "rewrap", "--data", data(), "--batch-size", "5");
    assertThat(rewrap.code()).as(rewrap.err()).isZero();
    assertThat(rewrap.out()).contains("12 keysets rewrapped");
    assertThat(rewrap.err()).contains("... 5 customers done").contains("... 12 customers done");
    assertThat(MainTest.run("keys", "status", "--data", data()).out()).contains("under kek 2: 12\n")
        .doesNotContain("under kek 1");

    MainTest.Run dataKeys = MainTest.run("keys", "rotate-data-keys", "--data", data());
    assertThat(dataKeys.code()).as(dataKeys.err()).isZero();
    assertThat(dataKeys.out()).contains("12 customers given a new data key").doesNotContain("; 0 fields");
    assertThat(MainTest.run("import", "--data", data(), file.toString()).out()).contains("12 unchanged");
  }

  @Test
  void rotateKek_withoutAKeyFile_fails_andABadBatchSizeIsAUsageError() {
    MainTest.Run none = MainTest.run("keys", "rotate-kek", "--data", data());
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).contains("vault-kek.key").hasLineCount(1);
    MainTest.Run bad = MainTest.run("keys", "rewrap", "--data", data(), "--batch-size", "0");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--batch-size");
  }
}
