package dev.custos.store.index;

import dev.custos.incident.Access;
import dev.custos.ledger.LedgerException;
import dev.custos.ledger.TileReader;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link FileAccessIndex} current with a ledger: reads the entries from the index's covered
 * size up to a size the ledger's tiles hold, turns them into accesses ({@link AccessEntries}) and
 * appends them, committing every {@value #BATCH} entries. Resuming after a crash starts at what the
 * index committed, so nothing is counted twice or skipped.
 *
 * <p>A {@code custos.access/v1} entry that cannot be read is logged at ERROR with its index and
 * counted ({@link #unreadable()}), and indexing goes on: one bad entry must not blind incident
 * response to every later one; the ledger verifier is where such an entry is investigated.
 */
public final class LedgerIndexer {
  private static final Logger log = LoggerFactory.getLogger(LedgerIndexer.class);
  /** Entries per commit. */
  public static final int BATCH = 16_384;
  private static final int BUNDLE = 256;

  private final FileAccessIndex index;
  private final TileReader reader;
  private long unreadable;

  public LedgerIndexer(FileAccessIndex index, TileReader reader) {
    this.index = index;
    this.reader = reader;
  }

  /**
   * Indexes every entry below {@code size}, a tree size the ledger's tiles hold (its latest
   * checkpoint's, say).
   *
   * @return the number of accesses added
   * @throws LedgerException when an entry bundle cannot be read; what was committed before stays
   */
  public synchronized long catchUp(long size) throws LedgerException {
    long added = 0;
    long next = index.coveredSize();
    while (next < size) {
      long end = Math.min(size, next + BATCH);
      List<Access> batch = new ArrayList<>();
      long i = next;
      while (i < end) {
        long bundle = i / BUNDLE;
        List<byte[]> entries = reader.entryBundle(bundle, size);
        for (int k = (int) (i % BUNDLE); k < entries.size() && i < end; k++, i++) {
          try {
            batch.addAll(AccessEntries.parse(i, entries.get(k)));
          } catch (IllegalArgumentException e) {
            unreadable++;
            log.error("access index: {}; the entry is not indexed", e.getMessage());
          }
        }
      }
      index.append(batch, end);
      added += batch.size();
      next = end;
    }
    return added;
  }

  /** How many access entries could not be read since this indexer was made. */
  public synchronized long unreadable() {
    return unreadable;
  }
}
