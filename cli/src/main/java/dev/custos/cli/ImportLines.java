package dev.custos.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The lines of an import file, each with its number and the byte offset just past it, so that an
 * import can checkpoint and later resume exactly after a line. Lines end with {@code \n}; a
 * {@code \r} before it is dropped; the last line may lack its {@code \n}. A line longer than
 * {@value #MAX_LINE} bytes is not kept: it comes back as {@link TooLong} and reading goes on after it.
 */
final class ImportLines implements AutoCloseable {
  /** The longest line kept: 1 MiB, far above any real customer record (a vault field holds at most 64 KiB). */
  static final int MAX_LINE = 1 << 20;

  /** One line of the file. */
  sealed interface Line permits Text, TooLong {
    /** The 1-based line number. */
    long number();

    /** The byte offset just past the line and its terminator. */
    long end();
  }

  /** A line's bytes, without its terminator. */
  record Text(long number, long end, byte[] bytes) implements Line {
    boolean blank() {
      for (byte b : bytes) {
        if (b != ' ' && b != '\t' && b != '\r') {
          return false;
        }
      }
      return true;
    }
  }

  /** A line longer than {@link #MAX_LINE}; its bytes were skipped. */
  record TooLong(long number, long end) implements Line {}

  private final InputStream in;
  private final byte[] chunk = new byte[1 << 16];
  private int chunkPos;
  private int chunkLen;
  private byte[] line = new byte[4096];
  private long offset;
  private long number;

  private ImportLines(InputStream in, long offset, long number) {
    this.in = in;
    this.offset = offset;
    this.number = number;
  }

  /**
   * Opens {@code file} to read from byte {@code offset}, which MUST be the start of line
   * {@code linesBefore + 1} (0 and 0 for the whole file).
   */
  static ImportLines open(Path file, long offset, long linesBefore) throws IOException {
    InputStream in = Files.newInputStream(file);
    try {
      in.skipNBytes(offset);
    } catch (IOException e) {
      in.close();
      throw e;
    }
    return new ImportLines(in, offset, linesBefore);
  }

  /** The next line, or {@code null} at the end of the file. */
  Line next() throws IOException {
    int length = 0;
    boolean tooLong = false;
    boolean any = false;
    while (true) {
      if (chunkPos == chunkLen) {
        chunkLen = in.read(chunk);
        chunkPos = 0;
        if (chunkLen <= 0) {
          chunkLen = 0;
          if (!any) {
            return null;
          }
          return finish(length, tooLong);
        }
      }
      any = true;
      int start = chunkPos;
      int newline = -1;
      for (int i = start; i < chunkLen; i++) {
        if (chunk[i] == '\n') {
          newline = i;
          break;
        }
      }
      int stop = newline < 0 ? chunkLen : newline;
      int n = stop - start;
      offset += n + (newline < 0 ? 0 : 1);
      chunkPos = newline < 0 ? chunkLen : newline + 1;
      if (!tooLong) {
        if (length + n > MAX_LINE) {
          tooLong = true;
        } else {
          if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(line.length * 2, length + n)));
          }
          System.arraycopy(chunk, start, line, length, n);
          length += n;
        }
      }
      if (newline >= 0) {
        return finish(length, tooLong);
      }
    }
  }

  private Line finish(int length, boolean tooLong) {
    number++;
    if (tooLong) {
      return new TooLong(number, offset);
    }
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    int from = 0;
    if (number == 1 && length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
      from = 3; // a UTF-8 byte order mark, as some spreadsheet exports write
    }
    return new Text(number, offset, Arrays.copyOfRange(line, from, length));
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
