package dev.custos.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
  @TempDir
  Path dir;

  private Path keyFile(String mode, String content) throws IOException {
    Path f = dir.resolve("vault-kek.key");
    Files.writeString(f, content, StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  @Test
  public void ownerOnlyFile_isRead() throws IOException {
    byte[] key = VaultFixtures.random(32);

    byte[] read = KeyFile.read(keyFile("rw-------", "# Custos DEVELOPMENT key\n" + Base64.getEncoder().encodeToString(key) + "\n"));

    assertThat(read).isEqualTo(key);
  }

  @Test
  public void fileReadableByOthers_mode0644_isRefused_withoutShowingTheKey() throws IOException {
    String b64 = Base64.getEncoder().encodeToString(VaultFixtures.random(32));
    Path f = keyFile("rw-r--r--", b64 + "\n");

    assertThatThrownBy(() -> KeyFile.read(f)).isInstanceOf(IOException.class)
        .hasMessageContaining("rw-r--r--").hasMessageContaining("chmod 600").hasMessageNotContaining(b64);
  }

  @Test
  public void fileReadableByGroup_isRefused() throws IOException {
    Path f = keyFile("rw-r-----", Base64.getEncoder().encodeToString(VaultFixtures.random(32)));

    assertThatThrownBy(() -> KeyFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining("owner only");
  }

  @Test
  public void keyOfTheWrongLength_isRefused() throws IOException {
    Path f = keyFile("rw-------", Base64.getEncoder().encodeToString(VaultFixtures.random(16)));

    assertThatThrownBy(() -> KeyFile.read(f)).isInstanceOf(IOException.class).hasMessageContaining("malformed");
  }

  @Test
  public void twoKeyLinesOrNotBase64_isRefused() throws IOException {
    String k = Base64.getEncoder().encodeToString(VaultFixtures.random(32));
    assertThatThrownBy(() -> KeyFile.read(keyFile("rw-------", k + "\n" + k + "\n"))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> KeyFile.read(keyFile("rw-------", "not base64 at all!\n"))).isInstanceOf(IOException.class);
  }
}
