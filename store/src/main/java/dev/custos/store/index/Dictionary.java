package dev.custos.store.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * An append-only dictionary of byte strings on disk: each value gets the next number, the number the
 * records carry instead of the value. Each entry is {@code length (4) || bytes || CRC32C (4)}; what
 * the index state has not committed is cut off when it opens.
 */
final class Dictionary implements AutoCloseable {
  private final FileChannel file;
  private final Map<ByteBuffer, Integer> ids = new HashMap<>();
  private final List<byte[]> values = new ArrayList<>();
  private final List<ByteBuffer> pending = new ArrayList<>();
  private long bytes;

  private Dictionary(FileChannel file) {
    this.file = file;
  }

  /**
   * Opens the dictionary at {@code path} holding its first {@code count} entries ({@code length}
   * bytes); anything after them is cut off.
   *
   * @throws CorruptIndexException when the file holds fewer or damaged entries
   */
  static Dictionary open(Path path, int count, long length) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    Dictionary d = new Dictionary(ch);
    try {
      if (ch.size() < length) {
        throw new CorruptIndexException(path.getFileName() + " is shorter than the index committed");
      }
      ch.truncate(length);
      ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(length));
      Files2.readFully(ch, all, 0);
      all.flip();
      CRC32C crc = new CRC32C();
      for (int i = 0; i < count; i++) {
        if (all.remaining() < 8) {
          throw new CorruptIndexException(path.getFileName() + " ends inside entry " + i);
        }
        int n = all.getInt();
        if (n < 0 || n > all.remaining() - 4) {
          throw new CorruptIndexException(path.getFileName() + " has a bad length at entry " + i);
        }
        byte[] v = new byte[n];
        all.get(v);
        crc.reset();
        crc.update(v);
        if ((int) crc.getValue() != all.getInt()) {
          throw new CorruptIndexException(path.getFileName() + " has a bad checksum at entry " + i);
        }
        d.ids.put(ByteBuffer.wrap(v), i);
        d.values.add(v);
      }
      if (all.hasRemaining()) {
        throw new CorruptIndexException(path.getFileName() + " has bytes beyond its committed entries");
      }
      d.bytes = length;
      ch.position(length);
      return d;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** The number of {@code value}, given the next one if it is new (written at the next {@link #flush}). */
  int idOf(byte[] value) {
    Integer id = ids.get(ByteBuffer.wrap(value));
    if (id != null) {
      return id;
    }
    byte[] v = value.clone();
    int next = values.size();
    ids.put(ByteBuffer.wrap(v), next);
    values.add(v);
    ByteBuffer e = ByteBuffer.allocate(8 + v.length);
    CRC32C crc = new CRC32C();
    crc.update(v);
    e.putInt(v.length).put(v).putInt((int) crc.getValue()).flip();
    pending.add(e);
    return next;
  }

  /** The number of {@code value}, or -1 when it is not in the dictionary (nothing is added). */
  int find(byte[] value) {
    return ids.getOrDefault(ByteBuffer.wrap(value), -1);
  }

  byte[] value(int id) {
    return values.get(id);
  }

  int count() {
    return values.size();
  }

  long length() {
    return bytes;
  }

  /** Writes and forces the new entries. */
  void flush() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    ByteBuffer[] all = pending.toArray(ByteBuffer[]::new);
    long total = Arrays.stream(all).mapToLong(ByteBuffer::remaining).sum();
    long written = 0;
    while (written < total) {
      written += file.write(all);
    }
    file.force(false);
    bytes += total;
    pending.clear();
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
