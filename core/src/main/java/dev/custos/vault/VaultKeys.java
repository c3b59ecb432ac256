package dev.custos.vault;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The vault's long-term keys: the key-encryption keys (the first is the primary, which wraps every
 * new or rewrapped data keyset; the others are older versions kept so that keysets they wrapped
 * still open until a KEK rotation has rewrapped them all) and the blind-index key (HMAC-SHA256).
 *
 * <p>A secret: {@link #toString()} names only the KEK ids. Immutable.
 */
public final class VaultKeys {
  private static final String HMAC = "HmacSHA256";

  private final List<KeyEncryptionKey> keks;
  private final Map<Integer, KeyEncryptionKey> byId;
  private final SecretKeySpec blindIndexKey;

  private VaultKeys(List<KeyEncryptionKey> keks, byte[] blindIndexKey) {
    Objects.requireNonNull(keks, "keks");
    Objects.requireNonNull(blindIndexKey, "blindIndexKey");
    if (keks.isEmpty()) {
      throw new IllegalArgumentException("the vault needs at least one key-encryption key (the first is the primary)");
    }
    if (blindIndexKey.length != 32) {
      throw new IllegalArgumentException("the blind-index key must be 32 bytes, was " + blindIndexKey.length);
    }
    Map<Integer, KeyEncryptionKey> m = new HashMap<>();
    for (KeyEncryptionKey k : keks) {
      Objects.requireNonNull(k, "key-encryption key");
      KekVersion.requireId(k.id());
      if (m.put(k.id(), k) != null) {
        throw new IllegalArgumentException("key-encryption key id " + k.id() + " is given twice");
      }
    }
    this.keks = List.copyOf(keks);
    this.byId = Map.copyOf(m);
    this.blindIndexKey = new SecretKeySpec(blindIndexKey.clone(), HMAC);
  }

  /**
   * Keys from raw bytes (key files).
   *
   * @param keks the primary KEK first, then older versions that must still unwrap; ids distinct
   * @param blindIndexKey 32 bytes; copied
   */
  public static VaultKeys of(List<KekVersion> keks, byte[] blindIndexKey) {
    Objects.requireNonNull(keks, "keks");
    List<KeyEncryptionKey> k = new ArrayList<>();
    for (KekVersion v : keks) {
      k.add(Objects.requireNonNull(v, "key-encryption key").toKek());
    }
    return new VaultKeys(k, blindIndexKey);
  }

  /** Keys whose KEKs are anything implementing the interface, such as a KMS AEAD ({@link KeyEncryptionKey#of}). */
  public static VaultKeys withKeks(List<KeyEncryptionKey> keks, byte[] blindIndexKey) {
    return new VaultKeys(keks, blindIndexKey);
  }

  /** The KEK that wraps new and rewrapped keysets. */
  KeyEncryptionKey primary() {
    return keks.get(0);
  }

  /** The KEK with {@code id}, if this vault still holds it. */
  Optional<KeyEncryptionKey> kek(int id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** The ids of every KEK held, primary first. */
  public List<Integer> kekIds() {
    return keks.stream().map(KeyEncryptionKey::id).toList();
  }

  /**
   * The blind index of a normalised value: HMAC-SHA256 under the blind-index key over
   * {@code lp("custos.blind-index/v1") || lp(kind) || lp(value)} (lp = 4-byte big-endian length, then the UTF-8 bytes).
   */
  byte[] blindIndex(SearchKey key, String normalised) {
    Mac mac = mac(blindIndexKey);
    mac.update(Encoding.lengthPrefixed("custos.blind-index/v1", key.wireName(), normalised));
    return mac.doFinal();
  }

  static Mac mac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  static SecretKeySpec hmacKey(byte[] key) {
    return new SecretKeySpec(key, HMAC);
  }

  @Override
  public String toString() {
    return "VaultKeys[keks=" + kekIds() + ", blind-index key ***]";
  }
}
