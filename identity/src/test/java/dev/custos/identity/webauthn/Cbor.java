package dev.custos.identity.webauthn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Just enough CBOR (RFC 8949) to write what an authenticator writes: unsigned and negative integers,
 * byte and text strings, maps and arrays, each head in its shortest form (CTAP2 canonical encoding).
 * Callers write map entries in canonical order themselves.
 */
final class Cbor {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  Cbor integer(long value) {
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }

  Cbor bytes(byte[] value) {
    head(2, value.length);
    out.writeBytes(value);
    return this;
  }

  Cbor text(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    head(3, utf8.length);
    out.writeBytes(utf8);
    return this;
  }

  Cbor array(int items) {
    return head(4, items);
  }

  /** Starts a map of {@code entries} key/value pairs; write each key, then its value. */
  Cbor map(int entries) {
    return head(5, entries);
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  private Cbor head(int major, long argument) {
    int type = major << 5;
    if (argument < 24) {
      out.write(type | (int) argument);
    } else if (argument < 0x100) {
      out.write(type | 24);
      out.write((int) argument);
    } else if (argument < 0x1_0000) {
      out.write(type | 25);
      writeBig(argument, 2);
    } else if (argument < 0x1_0000_0000L) {
      out.write(type | 26);
      writeBig(argument, 4);
    } else {
      out.write(type | 27);
      writeBig(argument, 8);
    }
    return this;
  }

  private void writeBig(long value, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
  }
}
