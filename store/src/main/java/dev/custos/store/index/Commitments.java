package dev.custos.store.index;

import dev.custos.vault.Commitment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The customer dictionary: every commitment the index has seen, numbered in order of first sight.
 * Millions of customers, so not a map of objects: the 32-byte commitments in one array and an
 * open-addressing table of numbers keyed by their first 8 bytes (commitments are hashes, so those
 * bytes are uniform). On disk each entry is {@code commitment (32) || CRC32C (4)}.
 */
final class Commitments implements AutoCloseable {
  static final int ENTRY = 36;

  private final FileChannel file;
  private byte[] hashes = new byte[32 * 1024];
  private int count;
  private int[] table = new int[1 << 12];
  private int flushed;

  private Commitments(FileChannel file) {
    this.file = file;
    Arrays.fill(table, -1);
  }

  /** Opens the file at {@code path} holding its first {@code count} entries; anything after is cut off. */
  static Commitments open(Path path, int count) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    Commitments c = new Commitments(ch);
    try {
      long length = (long) count * ENTRY;
      if (ch.size() < length) {
        throw new CorruptIndexException(path.getFileName() + " is shorter than the index committed");
      }
      ch.truncate(length);
      // Sized once for what is there: re-hashing millions of entries at each doubling is most of an open.
      c.hashes = new byte[(int) Math.min(Integer.MAX_VALUE - 64, Math.max(32 * 1024L, count * 32L + 32 * 1024L))];
      c.rehash(Math.max(1 << 12, Integer.highestOneBit(Math.max(1, count) * 2 - 1) << 1));
      CRC32C crc = new CRC32C();
      ByteBuffer chunk = ByteBuffer.allocate(ENTRY * 8192);
      byte[] h = new byte[32];
      long pos = 0;
      int read = 0;
      while (read < count) {
        chunk.clear();
        chunk.limit((int) Math.min(chunk.capacity(), length - pos));
        Files2.readFully(ch, chunk, pos);
        pos += chunk.limit();
        chunk.flip();
        while (chunk.hasRemaining()) {
          chunk.get(h);
          crc.reset();
          crc.update(h);
          if ((int) crc.getValue() != chunk.getInt()) {
            throw new CorruptIndexException(path.getFileName() + " has a bad checksum at entry " + read);
          }
          c.insert(h);
          read++;
        }
      }
      c.flushed = count;
      ch.position(length);
      return c;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** The number of {@code commitment}, given the next one if it is new (written at the next {@link #flush}). */
  int idOf(Commitment commitment) {
    byte[] h = commitment.toByteArray();
    int found = find(h);
    return found >= 0 ? found : insert(h);
  }

  /** The number of {@code commitment}, or -1 when the index has never seen it. */
  int find(Commitment commitment) {
    return find(commitment.toByteArray());
  }

  Commitment get(int id) {
    return Commitment.fromBytes(Arrays.copyOfRange(hashes, id * 32, id * 32 + 32));
  }

  int count() {
    return count;
  }

  void flush() throws IOException {
    if (flushed == count) {
      return;
    }
    ByteBuffer out = ByteBuffer.allocate((count - flushed) * ENTRY);
    CRC32C crc = new CRC32C();
    for (int i = flushed; i < count; i++) {
      crc.reset();
      crc.update(hashes, i * 32, 32);
      out.put(hashes, i * 32, 32).putInt((int) crc.getValue());
    }
    out.flip();
    Files2.writeFully(file, out);
    file.force(false);
    flushed = count;
  }

  private int find(byte[] h) {
    int mask = table.length - 1;
    for (int slot = slot(h, mask); ; slot = (slot + 1) & mask) {
      int id = table[slot];
      if (id < 0) {
        return -1;
      }
      if (Arrays.equals(hashes, id * 32, id * 32 + 32, h, 0, 32)) {
        return id;
      }
    }
  }

  private int insert(byte[] h) {
    if (count == Integer.MAX_VALUE / 32) {
      throw new IllegalStateException("the customer dictionary is full at " + count + " customers");
    }
    if ((count + 1) * 32 > hashes.length) {
      hashes = Arrays.copyOf(hashes, (int) Math.min((long) hashes.length * 2, Integer.MAX_VALUE - 64));
    }
    System.arraycopy(h, 0, hashes, count * 32, 32);
    int id = count++;
    if (count * 2L > table.length) {
      rehash(table.length * 2);
    } else {
      place(id);
    }
    return id;
  }

  private void rehash(int size) {
    table = new int[size];
    Arrays.fill(table, -1);
    for (int i = 0; i < count; i++) {
      place(i);
    }
  }

  private void place(int id) {
    int mask = table.length - 1;
    int slot = slotAt(id * 32, hashes, mask);
    while (table[slot] >= 0) {
      slot = (slot + 1) & mask;
    }
    table[slot] = id;
  }

  private static int slot(byte[] h, int mask) {
    return slotAt(0, h, mask);
  }

  private static int slotAt(int offset, byte[] bytes, int mask) {
    long k = 0;
    for (int i = 0; i < 8; i++) {
      k = (k << 8) | (bytes[offset + i] & 0xff);
    }
    // Mixed anyway: a commitment is a hash, but the table must not depend on callers passing only hashes.
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    return (int) k & mask;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
