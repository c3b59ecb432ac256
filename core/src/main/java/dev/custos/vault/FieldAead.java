package dev.custos.vault;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.AesGcmKey;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One customer's data keyset as an {@link Aead} whose decryption keeps its JCE {@link Cipher}
 * between calls. Tink's AES-GCM takes its {@code Cipher} from a {@code ThreadLocal}; requests run
 * on virtual threads, one per request, so every masked read made a new {@code Cipher} (a provider
 * lookup) and expanded the AES key again. Here each enabled AES-GCM key of the keyset keeps one
 * spare {@code Cipher}, initialised with the same key every time (the JDK then reuses its key
 * schedule); concurrent decryptions of the same customer make extra ones.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Decryption accepts exactly what Tink's AES-GCM accepts for the keyset: the 5-byte output
 *       prefix names the key, then a 12-byte nonce, the ciphertext and a 16-byte tag checked over the
 *       associated data. Any ciphertext this class cannot open (no matching key, a bad tag, another
 *       key type) goes to Tink's own primitive, which decides; so a tampered record fails exactly as
 *       before, and only later.</li>
 *   <li>Encryption is Tink's (its nonces, its primary key, its prefix).</li>
 *   <li>The raw key bytes are read with {@link InsecureSecretKeyAccess} (greppable) into the
 *       {@link SecretKeySpec} the JCE needs, as Tink does itself; they live as long as the unwrapped
 *       keyset (one operation, or the vault's short read cache) and are never printed.</li>
 * </ul>
 */
final class FieldAead implements Aead {
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int NONCE = 12;
  private static final int TAG = 16;

  /** One enabled AES-GCM key with its output prefix and its spare cipher. */
  private static final class Key {
    final byte[] prefix;
    final SecretKeySpec spec;
    final AtomicReference<Cipher> spare = new AtomicReference<>();

    Key(byte[] prefix, SecretKeySpec spec) {
      this.prefix = prefix;
      this.spec = spec;
    }

    boolean prefixes(byte[] ciphertext) {
      if (ciphertext.length < prefix.length + NONCE + TAG) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if (ciphertext[i] != prefix[i]) {
          return false;
        }
      }
      return true;
    }
  }

  private final Aead tink;
  private final List<Key> keys;

  private FieldAead(Aead tink, List<Key> keys) {
    this.tink = tink;
    this.keys = keys;
  }

  /** The keyset's AEAD: {@code tink} (its primitive) for encryption and for what the fast path cannot open. */
  static FieldAead of(KeysetHandle keyset, Aead tink) {
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < keyset.size(); i++) {
      KeysetHandle.Entry e = keyset.getAt(i);
      if (e.getStatus() == KeyStatus.ENABLED && e.getKey() instanceof AesGcmKey k
          && k.getParameters().getIvSizeBytes() == NONCE && k.getParameters().getTagSizeBytes() == TAG) {
        keys.add(new Key(k.getOutputPrefix().toByteArray(),
            new SecretKeySpec(k.getKeyBytes().toByteArray(InsecureSecretKeyAccess.get()), "AES")));
      }
    }
    return new FieldAead(tink, List.copyOf(keys));
  }

  @Override
  public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
    return tink.encrypt(plaintext, associatedData);
  }

  @Override
  public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
    for (Key k : keys) {
      if (!k.prefixes(ciphertext)) {
        continue;
      }
      Cipher c = k.spare.getAndSet(null);
      if (c == null) {
        c = Cipher.getInstance(TRANSFORMATION);
      }
      try {
        int at = k.prefix.length;
        c.init(Cipher.DECRYPT_MODE, k.spec, new GCMParameterSpec(TAG * 8, ciphertext, at, NONCE));
        if (associatedData != null && associatedData.length > 0) {
          c.updateAAD(associatedData);
        }
        byte[] plain = c.doFinal(ciphertext, at + NONCE, ciphertext.length - at - NONCE);
        k.spare.set(c);
        return plain;
      } catch (AEADBadTagException e) {
        k.spare.set(c);
        // Another key may share the prefix (raw keys, or an id collision): Tink decides below.
      }
    }
    return tink.decrypt(ciphertext, associatedData);
  }

  @Override
  public String toString() {
    return "FieldAead[" + keys.size() + " keys, ***]";
  }
}
