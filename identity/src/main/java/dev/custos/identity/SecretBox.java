package dev.custos.identity;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts small secrets that Custos must keep but not expose at rest (staff TOTP secrets): AES-256-GCM
 * with a random 96-bit nonce, and associated data that binds each ciphertext to its owner and use,
 * so a ciphertext copied to another row does not decrypt.
 *
 * <p>Format: {@code 0x01 || nonce (12) || ciphertext and tag (n + 16)}.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>A tampered ciphertext, a wrong key or other associated data fails with
 *       {@link GeneralSecurityException}; never a wrong plaintext.</li>
 *   <li>The key is copied in and never leaves; {@link #toString()} is redacted.</li>
 *   <li>Random nonces under one key are safe for far more than 2^32 messages of this kind.</li>
 * </ul>
 */
public final class SecretBox {
  private static final byte VERSION = 1;
  private static final int NONCE = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random;

  /** @param key 32 bytes */
  public SecretBox(byte[] key, SecureRandom random) {
    Objects.requireNonNull(key, "key");
    if (key.length != 32) {
      throw new IllegalArgumentException("a secret box key is 32 bytes, was " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.random = Objects.requireNonNull(random, "random");
  }

  public byte[] seal(byte[] plaintext, byte[] associatedData) {
    byte[] nonce = new byte[NONCE];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(associatedData);
      byte[] ct = c.doFinal(plaintext);
      byte[] out = new byte[1 + NONCE + ct.length];
      out[0] = VERSION;
      System.arraycopy(nonce, 0, out, 1, NONCE);
      System.arraycopy(ct, 0, out, 1 + NONCE, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  public byte[] open(byte[] sealed, byte[] associatedData) throws GeneralSecurityException {
    if (sealed == null || sealed.length < 1 + NONCE + TAG_BITS / 8 || sealed[0] != VERSION) {
      throw new GeneralSecurityException("not a sealed secret of a known version");
    }
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + NONCE)));
    c.updateAAD(associatedData);
    return c.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
  }

  @Override
  public String toString() {
    return "SecretBox[AES-256-GCM, ***]";
  }
}
