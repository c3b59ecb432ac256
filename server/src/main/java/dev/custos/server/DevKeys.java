package dev.custos.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development key material of the embedded default: created on first start, owner-only
 * (0600), and announced loudly at every start because anyone who can read the data directory
 * holds these keys. Production configures keys from a KMS or key files instead.
 *
 * <p>Keys always come from {@link SecureRandom}, never from the injected test randomness.
 */
final class DevKeys {
  private static final Logger log = LoggerFactory.getLogger(DevKeys.class);

  /** The key files and what each protects. */
  enum Kind {
    VAULT_KEK("vault-kek.key", "wraps each customer's data key"),
    BLIND_INDEX("blind-index.key", "keys the HMAC blind indexes for exact-match search"),
    STAFF_SECRETS("staff-secrets.key", "encrypts staff TOTP secrets at rest"),
    TICKET_WEBHOOK("ticket-webhook.key", "signs the ticket system's webhooks (its base64 line is the shared secret)"),
    DECOY("decoy.key", "seeds the decoy customers and seals their list"),
    STAFF_PSEUDONYM("staff-pseudonym.key", "keys the staff pseudonyms customers see in their access log");

    final String file;
    final String purpose;

    Kind(String file, String purpose) {
      this.file = file;
      this.purpose = purpose;
    }
  }

  private DevKeys() {}

  /**
   * Ensures every development key exists under {@code dir} with mode 0600.
   *
   * @return the files created now (empty when all existed)
   * @throws StartupException when a key file is unreadable, malformed or readable by others
   */
  static List<Path> ensure(Path dir, SecureRandom random) throws StartupException {
    List<Path> created = new ArrayList<>();
    try {
      DataDirectory.createPrivate(dir);
      for (Kind k : Kind.values()) {
        Path file = dir.resolve(k.file);
        if (Files.exists(file)) {
          check(file);
        } else {
          byte[] key = new byte[32];
          random.nextBytes(key);
          writePrivate(file, ("# Custos DEVELOPMENT key: " + k.purpose + ". Not for production.\n"
              + Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII));
          java.util.Arrays.fill(key, (byte) 0);
          created.add(file);
        }
      }
    } catch (IOException e) {
      throw new StartupException("cannot prepare key material in " + dir + ": " + e.getMessage(), e);
    }
    log.warn("*** DEVELOPMENT KEYS *** {} Custos is using development key material in {} ({}). Anyone who can read "
            + "that directory can decrypt customer data. Never use development keys in production: see docs/operations.md.",
        created.isEmpty() ? "" : "Created now.", dir,
        String.join(", ", java.util.Arrays.stream(Kind.values()).map(k -> k.file).toList()));
    return created;
  }

  /** Refuses a key file that group or others may read. */
  static void checkOwnerOnly(Path file) throws StartupException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
        throw new StartupException("key file " + file + " has mode " + PosixFilePermissions.toString(perms)
            + "; it must be readable by its owner only (chmod 600)", null);
      }
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    } catch (IOException e) {
      throw new StartupException("cannot read the permissions of key file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The 32 key bytes of {@code kind} under {@code dir} (after {@link #ensure}); the caller wipes them.
   *
   * @throws StartupException when the file is unreadable, malformed or readable by others
   */
  static byte[] read(Path dir, Kind kind) throws StartupException {
    Path file = dir.resolve(kind.file);
    try {
      check(file);
      String line = Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
          .filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow();
      return Base64.getDecoder().decode(line.strip());
    } catch (IOException e) {
      throw new StartupException("cannot read key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void check(Path file) throws StartupException, IOException {
    checkOwnerOnly(file);
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    boolean ok = lines.size() == 1;
    if (ok) {
      try {
        ok = Base64.getDecoder().decode(lines.get(0).strip()).length == 32;
      } catch (IllegalArgumentException e) {
        ok = false;
      }
    }
    if (!ok) {
      throw new StartupException("key file " + file + " is malformed: expected one base64 line of 32 bytes", null);
    }
  }

  /** Writes {@code bytes} to {@code file} atomically with mode 0600: temp file, fsync, rename, directory fsync. */
  static void writePrivate(Path file, byte[] bytes) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file);
    }
    try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // some platforms cannot open a directory for fsync
    }
  }
}
