package dev.custos.vault;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * A key-encryption key (KEK): wraps and unwraps the customers' data keysets. Each KEK has a
 * numeric id that is stored beside every keyset it wrapped, so that after a KEK rotation the vault
 * knows which KEK opens which keyset.
 *
 * <p>Two sources exist: a 32-byte key file ({@link KekVersion}, AES-256-GCM in this process), and,
 * later, a KMS: Tink's {@code KmsClient.getAead(keyUri)} returns an {@link Aead} whose key never
 * leaves the KMS, and {@link #of(int, Aead)} turns it into a KEK without other changes.
 *
 * <h2>Contract</h2>
 * Implementations MUST authenticate {@code associatedData} (the vault passes a domain-separated
 * customer id, so a wrapped keyset copied to another customer's row does not unwrap) and MUST
 * fail {@link #unwrap} with {@link GeneralSecurityException} on any tampering; they MUST NOT
 * reveal key material in {@code toString}.
 */
public interface KeyEncryptionKey {
  /** The id stored beside every keyset this KEK wrapped; positive. */
  int id();

  /** Encrypts {@code plaintext} bound to {@code associatedData}. */
  byte[] wrap(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException;

  /** Decrypts what {@link #wrap} made with the same associated data. */
  byte[] unwrap(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException;

  /** A KEK over any Tink AEAD, such as the one a {@code KmsClient} returns. */
  static KeyEncryptionKey of(int id, Aead aead) {
    KekVersion.requireId(id);
    Objects.requireNonNull(aead, "aead");
    return new KeyEncryptionKey() {
      @Override
      public int id() {
        return id;
      }

      @Override
      public byte[] wrap(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        return aead.encrypt(plaintext, associatedData);
      }

      @Override
      public byte[] unwrap(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        return aead.decrypt(ciphertext, associatedData);
      }

      @Override
      public String toString() {
        return "KeyEncryptionKey[id=" + id + ", ***]";
      }
    };
  }
}
