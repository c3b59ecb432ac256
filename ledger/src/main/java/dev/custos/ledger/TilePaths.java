package dev.custos.ledger;

/** C2SP tlog-tiles resource paths and tile geometry (tile height 8, so 256 hashes per full tile). */
final class TilePaths {

    static final int HEIGHT = 8;
    static final int WIDTH = 1 << HEIGHT;
    static final String CHECKPOINT = "checkpoint";

    private TilePaths() {}

    /** {@code tile/<L>/<N>} or {@code tile/<L>/<N>.p/<W>}; width 1..256, 256 meaning full. */
    static String tile(int level, long index, int width) {
        return "tile/" + level + "/" + encodeIndex(index) + partialSuffix(width);
    }

    /** {@code tile/entries/<N>} or {@code tile/entries/<N>.p/<W>}. */
    static String entries(long index, int width) {
        return "tile/entries/" + encodeIndex(index) + partialSuffix(width);
    }

    /** The spec's index encoding: 3-digit groups, all but the last prefixed with {@code x}: {@code x001/x234/067}. */
    static String encodeIndex(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative tile index " + n);
        }
        StringBuilder sb = new StringBuilder(String.format("%03d", n % 1000));
        n /= 1000;
        while (n > 0) {
            sb.insert(0, String.format("x%03d/", n % 1000));
            n /= 1000;
        }
        return sb.toString();
    }

    private static String partialSuffix(int width) {
        if (width < 1 || width > WIDTH) {
            throw new IllegalArgumentException("tile width must be 1.." + WIDTH + ", got " + width);
        }
        return width == WIDTH ? "" : ".p/" + width;
    }

    /** Number of hashes at tile level {@code level} in a tree of {@code treeSize} leaves. */
    static long hashesAtLevel(int level, long treeSize) {
        return level * HEIGHT >= 64 ? 0 : treeSize >>> (level * HEIGHT);
    }

    /**
     * Width of tile {@code index} at {@code level} in a tree of {@code treeSize} leaves: 256 if full,
     * 1..255 if partial.
     *
     * @throws IllegalArgumentException if the tile is beyond the tree
     */
    static int width(int level, long index, long treeSize) {
        long remaining = hashesAtLevel(level, treeSize) - index * WIDTH;
        if (index < 0 || remaining <= 0) {
            throw new IllegalArgumentException("tile " + level + "/" + index + " is beyond a tree of size " + treeSize);
        }
        return (int) Math.min(WIDTH, remaining);
    }
}
