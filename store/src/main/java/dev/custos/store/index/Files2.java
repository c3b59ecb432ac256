package dev.custos.store.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** The few durable-file moves the index makes: write-then-rename and directory fsync. */
final class Files2 {
  private Files2() {}

  /** Replaces {@code target} with {@code bytes} atomically and durably (temp file, fsync, rename, fsync directory). */
  static void replace(Path target, ByteBuffer bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      writeFully(ch, bytes);
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(target.getParent());
  }

  static void writeFully(FileChannel ch, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      ch.write(bytes);
    }
  }

  static void readFully(FileChannel ch, ByteBuffer into, long position) throws IOException {
    long p = position;
    while (into.hasRemaining()) {
      int n = ch.read(into, p);
      if (n < 0) {
        throw new IOException("unexpected end of file at " + p);
      }
      p += n;
    }
  }

  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open a directory for fsync; the rename is then as durable as they make it.
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }
}
