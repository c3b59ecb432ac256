package dev.custos.vault;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The plaintext encoding of a {@link FieldValue} before encryption: canonical (equal values encode
 * equally, which the change digests rely on) and strict to decode.
 *
 * <pre>
 * value   = 0x01 text | 0x02 items | 0x03 entries
 * text    = u32 length, UTF-8 bytes
 * items   = u16 count, value*
 * entries = u16 count, (u16 length, UTF-8 name, value)*   in name order
 * encoded = 0x01 (format version), value
 * </pre>
 */
final class FieldCodec {
  /** Deepest nesting accepted (a list of addresses is depth 3). */
  static final int MAX_DEPTH = 8;
  /** Largest encoding accepted, in bytes. */
  static final int MAX_BYTES = 64 * 1024;

  private static final byte VERSION = 1;
  private static final byte TEXT = 1;
  private static final byte ITEMS = 2;
  private static final byte ENTRIES = 3;

  private FieldCodec() {}

  /**
   * The encoding of {@code value}.
   *
   * @throws IllegalArgumentException when the value is nested too deeply, too large, or holds text
   *     that is not valid Unicode (an unpaired surrogate); the message says which, never the value
   */
  static byte[] encode(FieldValue value) {
    Writer w = new Writer();
    w.out.put(VERSION);
    w.value(value, 1);
    return w.bytes();
  }

  /**
   * Decodes what {@link #encode} made.
   *
   * @throws IllegalArgumentException on anything else
   */
  static FieldValue decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      if (in.get() != VERSION) {
        throw new IllegalArgumentException("unknown field encoding version");
      }
      FieldValue v = value(in, 1);
      if (in.hasRemaining()) {
        throw new IllegalArgumentException("trailing bytes after the field value");
      }
      return v;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("truncated field value", e);
    }
  }

  private static final class Writer {
    ByteBuffer out = ByteBuffer.allocate(256);

    void value(FieldValue value, int depth) {
      if (depth > MAX_DEPTH) {
        throw new IllegalArgumentException("the value is nested deeper than " + MAX_DEPTH + " levels");
      }
      switch (value) {
        case FieldValue.Text t -> {
          room(1);
          out.put(TEXT);
          text(t.value(), 4);
        }
        case FieldValue.Items items -> {
          room(3);
          out.put(ITEMS).putShort((short) items.values().size());
          for (FieldValue v : items.values()) {
            value(v, depth + 1);
          }
        }
        case FieldValue.Entries entries -> {
          room(3);
          out.put(ENTRIES).putShort((short) entries.values().size());
          for (var e : entries.values().entrySet()) {
            text(e.getKey(), 2);
            value(e.getValue(), depth + 1);
          }
        }
      }
    }

    void text(String s, int lengthBytes) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          throw new IllegalArgumentException("the value holds text that is not valid Unicode (an unpaired surrogate)");
        }
      }
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      room(lengthBytes + b.length);
      if (lengthBytes == 4) {
        out.putInt(b.length);
      } else {
        out.putShort((short) b.length);
      }
      out.put(b);
    }

    void room(int n) {
      if (out.remaining() >= n) {
        return;
      }
      int needed = out.position() + n;
      if (needed > MAX_BYTES) {
        throw new IllegalArgumentException("the value is larger than " + MAX_BYTES + " bytes encoded");
      }
      ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_BYTES, Math.max(needed, out.capacity() * 2)));
      out.flip();
      bigger.put(out);
      out = bigger;
    }

    byte[] bytes() {
      return java.util.Arrays.copyOf(out.array(), out.position());
    }
  }

  private static FieldValue value(ByteBuffer in, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("field value nested too deeply");
    }
    byte tag = in.get();
    return switch (tag) {
      case TEXT -> new FieldValue.Text(text(in, in.getInt()));
      case ITEMS -> {
        int n = Short.toUnsignedInt(in.getShort());
        List<FieldValue> items = new ArrayList<>(Math.min(n, FieldValue.MAX_PARTS));
        for (int i = 0; i < n; i++) {
          items.add(value(in, depth + 1));
        }
        yield new FieldValue.Items(items);
      }
      case ENTRIES -> {
        int n = Short.toUnsignedInt(in.getShort());
        TreeMap<String, FieldValue> entries = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < n; i++) {
          String name = text(in, Short.toUnsignedInt(in.getShort()));
          if (previous != null && previous.compareTo(name) >= 0) {
            throw new IllegalArgumentException("field value parts out of order");
          }
          previous = name;
          entries.put(name, value(in, depth + 1));
        }
        yield new FieldValue.Entries(entries);
      }
      default -> throw new IllegalArgumentException("unknown field value tag " + tag);
    };
  }

  private static String text(ByteBuffer in, int length) {
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("field value text length out of range");
    }
    if (in.hasArray() && ascii(in.array(), in.arrayOffset() + in.position(), length)) {
      // Most values are ASCII: no decoder and no intermediate buffer for them.
      String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.ISO_8859_1);
      in.position(in.position() + length);
      return s;
    }
    ByteBuffer slice = in.slice(in.position(), length);
    in.position(in.position() + length);
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return d.decode(slice).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("field value text is not UTF-8", e);
    }
  }

  private static boolean ascii(byte[] bytes, int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }
}
