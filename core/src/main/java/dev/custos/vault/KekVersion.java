package dev.custos.vault;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * One version of the key-encryption key as raw bytes from a key file: its id and 32 bytes of
 * AES-256-GCM key. A secret, so not a record: the bytes are copied in, never handed out, and
 * {@link #toString()} shows only the id.
 */
public final class KekVersion {
  private final int id;
  private final byte[] key;

  /**
   * @param id positive; stored beside every keyset this KEK wraps
   * @param key32 the 32 key bytes; copied, so the caller may wipe its array afterwards
   */
  public KekVersion(int id, byte[] key32) {
    requireId(id);
    Objects.requireNonNull(key32, "key32");
    if (key32.length != 32) {
      throw new IllegalArgumentException("key-encryption key " + id + " must be 32 bytes, was " + key32.length);
    }
    this.id = id;
    this.key = key32.clone();
  }

  public int id() {
    return id;
  }

  static void requireId(int id) {
    if (id <= 0) {
      throw new IllegalArgumentException("a key-encryption key id must be positive, was " + id);
    }
  }

  /** This version as a KEK (AES-256-GCM through Tink). */
  KeyEncryptionKey toKek() {
    try {
      return KeyEncryptionKey.of(id, TinkKeys.aesGcm(key));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-256-GCM is unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "KekVersion[id=" + id + ", ***]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KekVersion k && k.id == id && java.security.MessageDigest.isEqual(k.key, key);
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(id);
  }
}
