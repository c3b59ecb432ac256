package dev.custos.vault;

import java.nio.charset.StandardCharsets;

/**
 * The one domain-separated encoding of the vault's hash inputs and associated data: each part as a
 * 4-byte big-endian length followed by its bytes (strings as UTF-8), so that no two different
 * lists of parts encode equally ({@code ("ab","c")} and {@code ("a","bc")} differ).
 */
final class Encoding {
  private Encoding() {}

  /** The parts, each length-prefixed; a part is a {@code String} (UTF-8) or a {@code byte[]}. */
  static byte[] lengthPrefixed(Object... parts) {
    byte[][] bytes = new byte[parts.length][];
    int size = 0;
    for (int i = 0; i < parts.length; i++) {
      bytes[i] = switch (parts[i]) {
        case String s -> s.getBytes(StandardCharsets.UTF_8);
        case byte[] b -> b;
        default -> throw new IllegalArgumentException("cannot encode a " + parts[i].getClass().getSimpleName());
      };
      size = Math.addExact(size, 4 + bytes[i].length);
    }
    byte[] out = new byte[size];
    int at = 0;
    for (byte[] b : bytes) {
      out[at] = (byte) (b.length >>> 24);
      out[at + 1] = (byte) (b.length >>> 16);
      out[at + 2] = (byte) (b.length >>> 8);
      out[at + 3] = (byte) b.length;
      System.arraycopy(b, 0, out, at + 4, b.length);
      at += 4 + b.length;
    }
    return out;
  }

}
