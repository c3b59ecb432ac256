package dev.custos.store.index;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The purposes of the open partition's accesses (a ticket or case id per access): too many distinct
 * values to hold a dictionary of them in memory (a ticket per customer and month is tens of
 * millions), so each tail record carries the offset of its purpose in this append-only file, one per
 * tail generation. Consecutive accesses of one member of staff under one purpose share an entry. A
 * seal copies the purposes into the segment, staff by staff beside their records, and the heap is
 * deleted with its tail. Each entry is {@code length (4) || value || CRC32C (4)}; reads go to the
 * file, through a small cache.
 */
final class PurposeHeap implements AutoCloseable {
  private static final int CACHE = 65_536;

  private final FileChannel file;
  private final Path path;
  private long length;
  private final ByteBuffer pending = ByteBuffer.allocate(1 << 20);
  private long pendingStart;
  private final Map<Long, String[]> cache = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, String[]> eldest) {
      return size() > CACHE;
    }
  };

  private PurposeHeap(FileChannel file, Path path, long length) {
    this.file = file;
    this.path = path;
    this.length = length;
    this.pendingStart = length;
  }

  /** Opens the heap holding its first {@code length} committed bytes; anything after them is cut off. */
  static PurposeHeap open(Path path, long length) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      if (ch.size() < length) {
        throw new CorruptIndexException(path.getFileName() + " is shorter than the index committed");
      }
      ch.truncate(length);
      ch.position(length);
      return new PurposeHeap(ch, path, length);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Appends {@code value} (written at the next {@link #flush}); its offset. */
  long append(byte[] value) throws IOException {
    if (pending.remaining() < value.length + 8) {
      writePending();
      if (value.length + 8 > pending.capacity()) {
        throw new IllegalArgumentException("a purpose of " + value.length + " bytes is too long to index");
      }
    }
    long offset = length;
    CRC32C crc = new CRC32C();
    crc.update(value);
    pending.putInt(value.length).put(value).putInt((int) crc.getValue());
    length += value.length + 8;
    return offset;
  }

  long length() {
    return length;
  }

  /** Writes and forces what was appended. */
  void flush() throws IOException {
    writePending();
    file.force(false);
  }

  private void writePending() throws IOException {
    pending.flip();
    Files2.writeFully(file, pending);
    pending.clear();
    pendingStart = length;
  }

  /** Every committed byte of the heap (a seal copies the tail's purposes into its segment). */
  ByteBuffer readAll() throws IOException {
    writePending();
    ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(length));
    Files2.readFully(file, all, 0);
    return all.flip();
  }

  /** Decodes an entry's value: type and id (null when it has none). */
  static String[] decode(byte[] value, int from, int length) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value, from, length))) {
      String type = in.readUTF();
      return new String[] {type, in.readBoolean() ? in.readUTF() : null};
    } catch (IOException e) {
      throw new IllegalStateException("a purpose in the access index is damaged; delete the index to rebuild it", e);
    }
  }

  /** The purpose at {@code offset}: type and id (null when it has none). */
  synchronized String[] read(long offset) {
    String[] cached = cache.get(offset);
    if (cached != null) {
      return cached;
    }
    if (offset < 0 || offset >= pendingStart) {
      throw new IllegalStateException(path.getFileName() + " holds no committed purpose at " + offset);
    }
    try {
      ByteBuffer head = ByteBuffer.allocate(4);
      Files2.readFully(file, head, offset);
      int n = head.getInt(0);
      if (n < 0 || offset + 8 + n > pendingStart) {
        throw new IllegalStateException(path.getFileName() + " is damaged at " + offset + "; delete the index to rebuild it");
      }
      ByteBuffer body = ByteBuffer.allocate(n + 4);
      Files2.readFully(file, body, offset + 4);
      CRC32C crc = new CRC32C();
      crc.update(body.array(), 0, n);
      if ((int) crc.getValue() != body.getInt(n)) {
        throw new IllegalStateException(path.getFileName() + " is damaged at " + offset + "; delete the index to rebuild it");
      }
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body.array(), 0, n))) {
        String type = in.readUTF();
        String[] purpose = {type, in.readBoolean() ? in.readUTF() : null};
        cache.put(offset, purpose);
        return purpose;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path.getFileName() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
