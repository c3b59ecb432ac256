package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.vault.KekVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultKekFilesTest {
  @TempDir
  Path keys;

  private Path key(String name, String header) throws Exception {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    Path f = keys.resolve(name);
    DevKeys.writePrivate(f, (header + Base64.getEncoder().encodeToString(k) + "\n").getBytes(StandardCharsets.US_ASCII));
    return f;
  }

  @Test
  void aDevelopmentKeyWithoutIdLine_isKek1() throws Exception {
    key("vault-kek.key", "# Custos DEVELOPMENT key\n");
    assertThat(VaultKekFiles.load(keys, List.of())).extracting(KekVersion::id).containsExactly(1);
  }

  @Test
  void rotate_makesANewPrimaryWithTheNextId_keepsTheOldOne_ownerOnly() throws Exception {
    key("vault-kek.key", "# Custos DEVELOPMENT key\n");
    List<KekVersion> before = VaultKekFiles.load(keys, List.of());

    assertThat(VaultKekFiles.rotate(keys, new SecureRandom())).isEqualTo(2);
    assertThat(VaultKekFiles.rotate(keys, new SecureRandom())).isEqualTo(3);

    List<KekVersion> after = VaultKekFiles.load(keys, List.of());
    assertThat(after).extracting(KekVersion::id).containsExactly(3, 2, 1);
    assertThat(after.get(2)).as("the first key, kept").isEqualTo(before.get(0));
    for (String f : List.of("vault-kek.key", "vault-kek.1.key", "vault-kek.2.key")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(f)))).as(f).isEqualTo("rw-------");
    }
    assertThat(Files.readString(keys.resolve("vault-kek.key"))).contains("# kek-id: 3");
  }

  @Test
  void aPreviousKekNamedFromTheSetting_isRead() throws Exception {
    key("vault-kek.key", "# kek-id: 5\n");
    Path elsewhere = Files.createDirectory(keys.resolve("old"));
    Path old = elsewhere.resolve("retired.key");
    byte[] k = new byte[32];
    DevKeys.writePrivate(old, ("# kek-id: 4\n" + Base64.getEncoder().encodeToString(k) + "\n").getBytes(StandardCharsets.US_ASCII));
    assertThat(VaultKekFiles.load(keys, List.of(old))).extracting(KekVersion::id).containsExactly(5, 4);
  }

  @Test
  void aFileNamedForOneIdHoldingAnother_isRefused() throws Exception {
    key("vault-kek.key", "# kek-id: 2\n");
    key("vault-kek.1.key", "# kek-id: 7\n");
    assertThatThrownBy(() -> VaultKekFiles.load(keys, List.of())).isInstanceOf(StartupException.class)
        .hasMessageContaining("vault-kek.1.key").hasMessageContaining("says 7");
  }

  @Test
  void twoKeysWithTheSameId_areRefused() throws Exception {
    key("vault-kek.key", "# kek-id: 2\n");
    key("vault-kek.2.key", "# kek-id: 2\n");
    assertThatThrownBy(() -> VaultKekFiles.load(keys, List.of())).isInstanceOf(StartupException.class)
        .hasMessageContaining("another key");
  }

  @Test
  void aKekFileOthersMayRead_isRefused() throws Exception {
    key("vault-kek.key", "# kek-id: 2\n");
    Path old = key("vault-kek.1.key", "# kek-id: 1\n");
    Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> VaultKekFiles.load(keys, List.of())).isInstanceOf(StartupException.class)
        .hasMessageContaining("vault-kek.1.key").hasMessageContaining("chmod 600");
  }
}
