package dev.custos.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The data directory of one Custos process, locked for its lifetime so that two processes never
 * share an embedded cluster, a ledger or keys.
 */
final class DataDirectory implements AutoCloseable {
  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectory(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates the directory (owner-only) if needed and takes its lock.
   *
   * @throws StartupException when another process holds it or it cannot be created
   */
  static DataDirectory lock(Path dir) throws StartupException {
    try {
      createPrivate(dir);
    } catch (IOException e) {
      throw new StartupException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
    }
    Path lockFile = dir.resolve("custos.lock");
    FileChannel ch = null;
    try {
      ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close();
        throw new StartupException("another Custos process is using the data directory " + dir
            + " (it holds " + lockFile + ")", null);
      }
      return new DataDirectory(dir, ch, l);
    } catch (OverlappingFileLockException e) {
      closeQuietly(ch);
      throw new StartupException("this process already uses the data directory " + dir, e);
    } catch (IOException e) {
      closeQuietly(ch);
      throw new StartupException("cannot lock the data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  static void createPrivate(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      try {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
    }
  }

  Path path() {
    return dir;
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing more to release
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // the channel close below releases it too
    }
    closeQuietly(channel);
  }
}
