package dev.custos.identity;

import java.util.Arrays;

/**
 * RFC 4648 base32 (alphabet {@code A-Z2-7}), as used in otpauth URIs and for the ids of service
 * tokens. Encoding writes no padding; decoding accepts either case, optional trailing padding, and
 * nothing else: a length that no byte string encodes to, or non-zero bits after the last byte, is
 * refused so that every byte string has exactly one accepted spelling (modulo case and padding).
 */
final class Base32 {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final int[] VALUES = new int[128];

  static {
    Arrays.fill(VALUES, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      VALUES[ALPHABET.charAt(i)] = i;
      VALUES[Character.toLowerCase(ALPHABET.charAt(i))] = i;
    }
  }

  private Base32() {}

  /** Upper-case base32 of {@code bytes}, without padding. */
  static String encode(byte[] bytes) {
    StringBuilder sb = new StringBuilder((bytes.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        sb.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
    }
    return sb.toString();
  }

  /** The bytes that {@code text} encodes; {@code what} names the field in the problem. */
  static Parsed<byte[]> decode(CharSequence text, String what) {
    if (text == null) {
      return Parsed.invalid(what + " is missing");
    }
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == '=') {
      end--;
    }
    int tail = end % 8;
    if (tail == 1 || tail == 3 || tail == 6) {
      return Parsed.invalid(what + " has a length that no byte string encodes to");
    }
    int padding = text.length() - end;
    if (padding > 0 && (tail == 0 || padding != 8 - tail)) {
      return Parsed.invalid(what + " has the wrong amount of '=' padding");
    }
    byte[] out = new byte[end * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      int v = c < 128 ? VALUES[c] : -1;
      if (v < 0) {
        return Parsed.invalid(what + " may only contain the base32 letters A-Z and 2-7");
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >> (bits - 8));
        bits -= 8;
        buffer &= (1 << bits) - 1;
      }
    }
    if (buffer != 0) {
      return Parsed.invalid(what + " is not canonical base32 (bits left over after the last byte)");
    }
    return Parsed.valid(out);
  }
}
