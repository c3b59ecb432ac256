package dev.custos.vault;

import java.io.ByteArrayOutputStream;
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
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    for (Object part : parts) {
      byte[] b = switch (part) {
        case String s -> s.getBytes(StandardCharsets.UTF_8);
        case byte[] bytes -> bytes;
        default -> throw new IllegalArgumentException("cannot encode a " + part.getClass().getSimpleName());
      };
      out.write(b.length >>> 24);
      out.write(b.length >>> 16);
      out.write(b.length >>> 8);
      out.write(b.length);
      out.writeBytes(b);
    }
    return out.toByteArray();
  }
}
