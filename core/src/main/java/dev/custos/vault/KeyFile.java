package dev.custos.vault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Reads a 32-byte key file as the server writes them: lines starting with {@code #} are comments,
 * and one line holds the key in base64. A file that group or others may read is refused (the key
 * would be one {@code cat} away from every account on the machine).
 */
public final class KeyFile {
  private KeyFile() {}

  /**
   * The key bytes of {@code file}; the caller wipes them after use.
   *
   * @throws IOException when the file cannot be read, is readable by group or others, or does not
   *     hold exactly one base64 line of 32 bytes; the message names the file, never its content
   */
  public static byte[] read(Path file) throws IOException {
    requireOwnerOnly(file);
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    byte[] key = null;
    if (lines.size() == 1) {
      try {
        key = Base64.getDecoder().decode(lines.get(0).strip());
      } catch (IllegalArgumentException e) {
        key = null;
      }
    }
    if (key == null || key.length != 32) {
      throw new IOException("key file " + file + " is malformed: expected one base64 line of 32 bytes");
    }
    return key;
  }

  private static void requireOwnerOnly(Path file) throws IOException {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return; // not a POSIX file system: nothing to check
    }
    if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
      throw new IOException("key file " + file + " has mode " + PosixFilePermissions.toString(perms)
          + "; it must be readable by its owner only (chmod 600)");
    }
  }
}
