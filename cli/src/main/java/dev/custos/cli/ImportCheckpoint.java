package dev.custos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an import of a file stands: the line and byte offset after which every line is committed
 * (written to the vault and recorded in the ledger, or reported as failed), the counts so far, and
 * what it applies to: the file (its size and the SHA-256 of its first {@value #HEAD} bytes) and the
 * target (a data directory or a server URL). Kept beside the file as {@code FILE.custos-import},
 * replaced atomically after each batch and removed when the import reaches the end of the file.
 *
 * <p>Losing the checkpoint costs only time: an import is idempotent, and lines already written come
 * back unchanged.
 */
record ImportCheckpoint(FileIdentity file, String target, long offset, long line, ImportCounts counts) {
  static final String FORMAT = "custos-import/v1";
  static final String SUFFIX = ".custos-import";
  /** How much of the file's beginning identifies it (with its size). */
  static final int HEAD = 1 << 20;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  ImportCheckpoint {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(counts, "counts");
    if (offset < 0 || line < 0 || offset > file.size()) {
      throw new IllegalArgumentException("checkpoint offset " + offset + " and line " + line
          + " must be non-negative, the offset at most the file size " + file.size());
    }
  }

  /** A file as a checkpoint knows it: a different size or beginning is a different file. */
  record FileIdentity(long size, String head) {
    FileIdentity {
      Objects.requireNonNull(head, "head");
    }

    static FileIdentity of(Path file) throws IOException {
      MessageDigest sha256;
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-256", e);
      }
      try (InputStream in = Files.newInputStream(file)) {
        sha256.update(in.readNBytes(HEAD));
      }
      return new FileIdentity(Files.size(file), HexFormat.of().formatHex(sha256.digest()));
    }
  }

  /** Where the checkpoint of {@code file} is kept. */
  static Path pathFor(Path file) {
    return file.resolveSibling(file.getFileName() + SUFFIX);
  }

  /** The checkpoint found at {@code path}, or a reason it cannot be used. */
  sealed interface Found permits None, Unreadable, Usable {}

  record None() implements Found {}

  record Unreadable(String why) implements Found {}

  record Usable(ImportCheckpoint checkpoint) implements Found {}

  static Found read(Path path) {
    if (!Files.exists(path)) {
      return new None();
    }
    try {
      JsonNode n = MAPPER.readTree(Files.readAllBytes(path));
      if (n == null || !FORMAT.equals(n.path("format").asText())) {
        return new Unreadable("not a " + FORMAT + " checkpoint");
      }
      return new Usable(new ImportCheckpoint(new FileIdentity(number(n, "size"), text(n, "head")), text(n, "target"),
          number(n, "offset"), number(n, "line"), new ImportCounts(number(n, "created"), number(n, "updated"),
          number(n, "unchanged"), number(n, "failed"), number(n, "ledgerEntries"))));
    } catch (IOException | IllegalArgumentException e) {
      return new Unreadable(e.getMessage() == null ? e.getClass().getSimpleName() : Main.oneLine(e.getMessage()));
    }
  }

  /** Replaces the checkpoint at {@code path} atomically (a crash leaves the old one or the new one). */
  void write(Path path) throws IOException {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("format", FORMAT);
    n.put("size", file.size());
    n.put("head", file.head());
    n.put("target", target);
    n.put("offset", offset);
    n.put("line", line);
    n.put("created", counts.created());
    n.put("updated", counts.updated());
    n.put("unchanged", counts.unchanged());
    n.put("failed", counts.failed());
    n.put("ledgerEntries", counts.ledgerEntries());
    Path temp = path.resolveSibling(path.getFileName() + ".tmp");
    Files.write(temp, MAPPER.writeValueAsBytes(n));
    try {
      Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static long number(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong() || v.longValue() < 0) {
      throw new IllegalArgumentException(name + ": expected a non-negative integer");
    }
    return v.longValue();
  }

  private static String text(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(name + ": expected a string");
    }
    return v.textValue();
  }
}
