package dev.custos.store.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The index's commit point: what of the files is valid. Replaced atomically after the files it
 * names are durable; anything on disk it does not name (bytes past a committed length, a segment
 * not yet listed, an old tail log) is the remains of an interrupted write and is cut off or deleted.
 *
 * @param covered the ledger size covered
 * @param tailGeneration names the tail log ({@code tail-<generation>.log})
 * @param tailCount records committed in the tail log
 * @param segments sequence numbers of the sealed segments, in ledger order
 * @param nextSegment the sequence number of the next segment
 * @param dictCounts entries committed per string dictionary (staff, session, purpose, fields)
 * @param dictLengths bytes committed per string dictionary
 * @param customers commitments committed
 * @param sealed the same counts as of the last seal, when the tail was empty: where a damaged tail
 *     falls back to
 */
record IndexState(long covered, long tailGeneration, int tailCount, List<Integer> segments, int nextSegment,
    int[] dictCounts, long[] dictLengths, int customers, Sealed sealed) {
  static final int DICTIONARIES = 4;
  private static final int MAGIC = 0x43584149;

  /** The state as of the last seal. */
  record Sealed(long covered, int[] dictCounts, long[] dictLengths, int customers) {}

  IndexState {
    segments = List.copyOf(segments);
  }

  static IndexState empty() {
    return new IndexState(0, 0, 0, List.of(), 0, new int[DICTIONARIES], new long[DICTIONARIES], 0,
        new Sealed(0, new int[DICTIONARIES], new long[DICTIONARIES], 0));
  }

  /** This state with the tail dropped: back to the last seal, with a fresh tail log. */
  IndexState sealedOnly() {
    return new IndexState(sealed.covered, tailGeneration + 1, 0, segments, nextSegment, sealed.dictCounts.clone(),
        sealed.dictLengths.clone(), sealed.customers, sealed);
  }

  static Optional<IndexState> read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (bytes.length < 12) {
      throw new CorruptIndexException("the index state is truncated");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if ((int) crc.getValue() != b.getInt(bytes.length - 4) || b.getInt() != MAGIC || b.getInt() != 1) {
      throw new CorruptIndexException("the index state is damaged");
    }
    try {
      long covered = b.getLong();
      long gen = b.getLong();
      int tailCount = b.getInt();
      int n = b.getInt();
      List<Integer> segments = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        segments.add(b.getInt());
      }
      int next = b.getInt();
      int[] counts = new int[DICTIONARIES];
      long[] lengths = new long[DICTIONARIES];
      for (int i = 0; i < DICTIONARIES; i++) {
        counts[i] = b.getInt();
        lengths[i] = b.getLong();
      }
      int customers = b.getInt();
      long sealedCovered = b.getLong();
      int[] sealedCounts = new int[DICTIONARIES];
      long[] sealedLengths = new long[DICTIONARIES];
      for (int i = 0; i < DICTIONARIES; i++) {
        sealedCounts[i] = b.getInt();
        sealedLengths[i] = b.getLong();
      }
      int sealedCustomers = b.getInt();
      return Optional.of(new IndexState(covered, gen, tailCount, segments, next, counts, lengths, customers,
          new Sealed(sealedCovered, sealedCounts, sealedLengths, sealedCustomers)));
    } catch (java.nio.BufferUnderflowException e) {
      throw new CorruptIndexException("the index state is truncated");
    }
  }

  void write(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(256 + segments.size() * 4);
    b.putInt(MAGIC).putInt(1).putLong(covered).putLong(tailGeneration).putInt(tailCount).putInt(segments.size());
    segments.forEach(b::putInt);
    b.putInt(nextSegment);
    for (int i = 0; i < DICTIONARIES; i++) {
      b.putInt(dictCounts[i]).putLong(dictLengths[i]);
    }
    b.putInt(customers).putLong(sealed.covered);
    for (int i = 0; i < DICTIONARIES; i++) {
      b.putInt(sealed.dictCounts[i]).putLong(sealed.dictLengths[i]);
    }
    b.putInt(sealed.customers);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    b.flip();
    Files2.replace(file, b);
  }
}
