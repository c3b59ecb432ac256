package dev.custos.ledger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a C2SP tlog-tiles log (checkpoint, hash tiles, entry bundles) from any byte source: a
 * directory, an HTTP client, a test fake. It computes node hashes, roots and proofs from tiles.
 *
 * <p>A partial tile is read at the width the tree size requires; if it is gone (logs may delete
 * partial tiles once the full tile exists) the full tile is read and its prefix used. Tiles are
 * immutable by path, so they are cached. Instances are thread-safe.
 */
public final class TileReader {

    /** A source of the log's resources by tlog-tiles path (for example {@code tile/0/x001/234}). */
    @FunctionalInterface
    public interface Source {
        /**
         * Returns the bytes at {@code path}, or empty if there is no such resource.
         *
         * @throws IOException if the resource could not be read for another reason
         */
        Optional<byte[]> read(String path) throws IOException;
    }

    private static final int CACHE_TILES = 512;

    /**
     * Heap for expanded tiles (a full one is 511 hashes, 16,352 bytes, so about 4,100 tiles): a
     * proof needs the sibling subtrees inside each tile on its path, and expanding a level-0 tile
     * costs 255 node hashes (about 130 µs without SHA extensions), while a cached one costs a copy.
     * 64 MiB holds every level-0 tile of a log of a million entries, so proofs of random leaves of
     * such a log are as cheap as proofs of recent ones; larger logs keep their recent tiles cached.
     */
    static final long EXPANDED_CACHE_BYTES = 64L << 20;

    private final Source source;
    private final long expandedCacheBytes;
    private final Map<String, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > CACHE_TILES;
        }
    };

    /** A tile at a width, the key of an expanded tile. */
    private record TileKey(int level, long index, int width) {}

    /** Expanded tiles, least recently used first, and the bytes they hold; guarded by {@code expanded}. */
    private final LinkedHashMap<TileKey, byte[][]> expanded = new LinkedHashMap<>(256, 0.75f, true);
    private long expandedBytes;

    private TileReader(Source source) {
        this(source, EXPANDED_CACHE_BYTES);
    }

    /** A reader whose expanded-tile cache holds at most {@code expandedCacheBytes} (for tests). */
    TileReader(Source source, long expandedCacheBytes) {
        this.source = source;
        this.expandedCacheBytes = expandedCacheBytes;
    }

    /** A reader over any source. */
    public static TileReader of(Source source) {
        return new TileReader(source);
    }

    /** A reader over a log directory on the local file system. */
    public static TileReader ofDirectory(Path dir) {
        return new TileReader(path -> {
            try {
                return Optional.of(Files.readAllBytes(dir.resolve(path)));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        });
    }

    /** Bytes held by expanded tiles now (for tests). */
    long expandedCacheBytesHeld() {
        synchronized (expanded) {
            return expandedBytes;
        }
    }

    /** The raw signed checkpoint, if the log has one. */
    public Optional<byte[]> checkpoint() throws LedgerException {
        return read(TilePaths.CHECKPOINT);
    }

    /**
     * The hashes of tile {@code index} at {@code level} as the tree of {@code treeSize} leaves has it.
     *
     * @throws LedgerException if the tile is missing or has the wrong length
     */
    public List<Hash> tile(int level, long index, long treeSize) throws LedgerException {
        int width = TilePaths.width(level, index, treeSize);
        byte[] data = tileBytes(level, index, width);
        List<Hash> hashes = new ArrayList<>(width);
        for (int i = 0; i < width; i++) {
            hashes.add(Hash.copyOf(data, i * Hash.SIZE));
        }
        return hashes;
    }

    /**
     * The entries of bundle {@code index} as the tree of {@code treeSize} leaves has it.
     *
     * @throws LedgerException if the bundle is missing or malformed
     */
    public List<byte[]> entryBundle(long index, long treeSize) throws LedgerException {
        int width = TilePaths.width(0, index, treeSize);
        Bundle b = readBundle(index, width);
        if (b == null) {
            throw new LedgerException("entry bundle " + TilePaths.entries(index, width) + " is missing");
        }
        if (b.entries().size() < width) {
            throw new LedgerException("entry bundle " + b.path() + " is malformed at entry "
                    + (index * TilePaths.WIDTH + b.entries().size()));
        }
        return b.entries();
    }

    /** The entry at {@code leafIndex} in the tree of {@code treeSize} leaves. */
    public byte[] entry(long leafIndex, long treeSize) throws LedgerException {
        checkLeaf(leafIndex, treeSize);
        return entryBundle(leafIndex / TilePaths.WIDTH, treeSize).get((int) (leafIndex % TilePaths.WIDTH)).clone();
    }

    /** The hash of the complete subtree at {@code level} and {@code index}, read from tiles of the tree of {@code treeSize}. */
    public Hash nodeHash(int level, long index, long treeSize) throws LedgerException {
        if (level < 0 || level > 63 || index < 0 || ((index + 1) << level) > treeSize || ((index + 1) << level) <= 0) {
            throw new IllegalArgumentException("node " + level + "/" + index + " is not in a tree of size " + treeSize);
        }
        int tileLevel = level / TilePaths.HEIGHT;
        int r = level % TilePaths.HEIGHT;
        long first = index << r;
        long tileIndex = first >>> TilePaths.HEIGHT;
        int width = TilePaths.width(tileLevel, tileIndex, treeSize);
        byte[][] levels = expandedTile(tileLevel, tileIndex, width);
        return Hash.copyOf(levels[r], ((int) (first & (TilePaths.WIDTH - 1)) >>> r) * Hash.SIZE);
    }

    /**
     * The tile's hashes and every complete node above them within the tile, as flat arrays:
     * {@code [r]} holds, 32 bytes each, the nodes of height {@code r} over tile hashes
     * {@code [i << r, (i + 1) << r)}. Cached up to the reader's budget (least recently used out first), since a tile at a
     * given width never changes.
     */
    private byte[][] expandedTile(int level, long index, int width) throws LedgerException {
        TileKey key = new TileKey(level, index, width);
        synchronized (expanded) {
            byte[][] hit = expanded.get(key);
            if (hit != null) {
                return hit;
            }
        }
        byte[][] levels = new byte[TilePaths.HEIGHT + 1][];
        levels[0] = tileBytes(level, index, width);
        long bytes = levels[0].length;
        for (int r = 1; r <= TilePaths.HEIGHT; r++) {
            byte[] below = levels[r - 1];
            int n = below.length / Hash.SIZE / 2;
            levels[r] = new byte[n * Hash.SIZE];
            for (int i = 0; i < n; i++) {
                Merkle.nodeHash(below, 2 * i * Hash.SIZE, levels[r], i * Hash.SIZE);
            }
            bytes += levels[r].length;
        }
        synchronized (expanded) {
            if (expanded.put(key, levels) == null) {
                expandedBytes += bytes;
            }
            var eldest = expanded.entrySet().iterator();
            while (expandedBytes > expandedCacheBytes && eldest.hasNext()) {
                for (byte[] row : eldest.next().getValue()) {
                    expandedBytes -= row.length;
                }
                eldest.remove();
            }
        }
        return levels;
    }

    /** The root hash of the first {@code size} leaves, from tiles of the tree of {@code treeSize >= size}. */
    public Hash rootHash(long size, long treeSize) throws LedgerException {
        checkSizes(size, treeSize);
        return Merkle.rootHash(nodes(treeSize), size);
    }

    /** An inclusion proof for {@code leafIndex} in the tree of {@code size} leaves, from tiles of the tree of {@code treeSize}. */
    public InclusionProof inclusionProof(long leafIndex, long size, long treeSize) throws LedgerException {
        checkSizes(size, treeSize);
        checkLeaf(leafIndex, size);
        return InclusionProof.create(nodes(treeSize), leafIndex, size);
    }

    /** A consistency proof from {@code oldSize} to {@code newSize}, from tiles of the tree of {@code treeSize}. */
    public ConsistencyProof consistencyProof(long oldSize, long newSize, long treeSize) throws LedgerException {
        checkSizes(newSize, treeSize);
        if (oldSize < 0 || oldSize > newSize) {
            throw new IllegalArgumentException("consistency proof needs 0 <= from <= to, got from=" + oldSize + ", to=" + newSize);
        }
        return ConsistencyProof.create(nodes(treeSize), oldSize, newSize);
    }

    Merkle.NodeSource nodes(long treeSize) {
        return (level, index) -> nodeHash(level, index, treeSize);
    }

    /** The raw bytes of a tile at exactly {@code width}, falling back from a missing partial tile to the full one. */
    byte[] tileBytes(int level, long index, int width) throws LedgerException {
        String path = TilePaths.tile(level, index, width);
        Optional<byte[]> data = cached(path);
        if (data.isEmpty() && width < TilePaths.WIDTH) {
            data = cached(TilePaths.tile(level, index, TilePaths.WIDTH)).map(full -> Arrays.copyOf(full, width * Hash.SIZE));
        }
        if (data.isEmpty()) {
            throw new LedgerException("tile " + path + " is missing");
        }
        byte[] bytes = data.get();
        if (bytes.length != width * Hash.SIZE) {
            throw new LedgerException("tile " + path + " has " + bytes.length + " bytes, expected " + width * Hash.SIZE);
        }
        return bytes;
    }

    /**
     * The raw bytes of a tile for a tree that needs {@code width} hashes of it, or {@code null} if
     * neither the partial nor the full tile exists. The length is not checked.
     */
    byte[] findTile(int level, long index, int width) throws LedgerException {
        Optional<byte[]> data = cached(TilePaths.tile(level, index, width));
        if (data.isEmpty() && width < TilePaths.WIDTH) {
            data = cached(TilePaths.tile(level, index, TilePaths.WIDTH)).map(full -> Arrays.copyOf(full, width * Hash.SIZE));
        }
        return data.orElse(null);
    }

    /** A parsed bundle: the entries that parsed (fewer than expected if malformed) and where it came from. */
    record Bundle(String path, List<byte[]> entries, boolean trailingBytes) {}

    /** Reads bundle {@code index} at {@code width}; {@code null} if missing. Stops at the first malformed entry. */
    Bundle readBundle(long index, int width) throws LedgerException {
        String path = TilePaths.entries(index, width);
        Optional<byte[]> data = read(path);
        boolean exact = true;
        if (data.isEmpty() && width < TilePaths.WIDTH) {
            path = TilePaths.entries(index, TilePaths.WIDTH);
            data = read(path);
            exact = false;
        }
        if (data.isEmpty()) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(data.get());
        List<byte[]> entries = new ArrayList<>(width);
        while (entries.size() < width && buf.remaining() >= 2) {
            int len = Short.toUnsignedInt(buf.getShort());
            if (len == 0 || len > buf.remaining()) {
                break;
            }
            byte[] e = new byte[len];
            buf.get(e);
            entries.add(e);
        }
        boolean trailing = exact && entries.size() == width && buf.hasRemaining();
        return new Bundle(path, entries, trailing);
    }

    private Optional<byte[]> cached(String path) throws LedgerException {
        synchronized (cache) {
            byte[] b = cache.get(path);
            if (b != null) {
                return Optional.of(b);
            }
        }
        Optional<byte[]> data = read(path);
        data.ifPresent(b -> {
            synchronized (cache) {
                cache.put(path, b);
            }
        });
        return data;
    }

    private Optional<byte[]> read(String path) throws LedgerException {
        try {
            return source.read(path);
        } catch (IOException e) {
            throw new LedgerException("cannot read " + path + ": " + e, e);
        }
    }

    private static void checkSizes(long size, long treeSize) {
        if (size < 0 || size > treeSize) {
            throw new IllegalArgumentException("size " + size + " is not within a tree of size " + treeSize);
        }
    }

    private static void checkLeaf(long leafIndex, long size) {
        if (leafIndex < 0 || leafIndex >= size) {
            throw new IllegalArgumentException("leaf " + leafIndex + " is not in a tree of size " + size);
        }
    }
}
