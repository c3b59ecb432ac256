package dev.custos.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FieldAeadTest {
  private static final byte[] AD = "custos.vault.field/v1|c-1|email".getBytes(StandardCharsets.UTF_8);

  private static Aead tink(KeysetHandle keyset) throws GeneralSecurityException {
    return keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
  }

  @Test
  void decrypt_opensWhatTinkSealed_andTinkOpensWhatItSeals() throws Exception {
    KeysetHandle keyset = DataKeys.generate();
    Aead aead = DataKeys.aead(keyset);
    byte[] plain = "ada@example.com".getBytes(StandardCharsets.UTF_8);

    assertThat(aead.decrypt(tink(keyset).encrypt(plain, AD), AD)).isEqualTo(plain);
    assertThat(tink(keyset).decrypt(aead.encrypt(plain, AD), AD)).isEqualTo(plain);
  }

  @Test
  void decrypt_reusingItsCipher_opensManyFieldsInARow() throws Exception {
    KeysetHandle keyset = DataKeys.generate();
    Aead aead = DataKeys.aead(keyset);
    for (int i = 0; i < 50; i++) {
      byte[] plain = ("value " + i).getBytes(StandardCharsets.UTF_8);
      assertThat(aead.decrypt(tink(keyset).encrypt(plain, AD), AD)).isEqualTo(plain);
    }
  }

  @Test
  void decrypt_afterARotation_opensCiphertextsUnderTheOldAndTheNewKey() throws Exception {
    KeysetHandle old = DataKeys.generate();
    byte[] underOld = tink(old).encrypt("old".getBytes(StandardCharsets.UTF_8), AD);
    KeysetHandle rotated = DataKeys.withNewPrimary(old);
    byte[] underNew = tink(rotated).encrypt("new".getBytes(StandardCharsets.UTF_8), AD);

    Aead aead = DataKeys.aead(rotated);

    assertThat(new String(aead.decrypt(underOld, AD), StandardCharsets.UTF_8)).isEqualTo("old");
    assertThat(new String(aead.decrypt(underNew, AD), StandardCharsets.UTF_8)).isEqualTo("new");
  }

  @Test
  void decrypt_withAnotherAssociatedData_fails() throws Exception {
    KeysetHandle keyset = DataKeys.generate();
    Aead aead = DataKeys.aead(keyset);
    byte[] ct = aead.encrypt("x".getBytes(StandardCharsets.UTF_8), AD);

    assertThatThrownBy(() -> aead.decrypt(ct, "custos.vault.field/v1|c-2|email".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void decrypt_ofAFlippedBit_failsEverywhere_andTheNextDecryptStillWorks() throws Exception {
    KeysetHandle keyset = DataKeys.generate();
    Aead aead = DataKeys.aead(keyset);
    byte[] plain = "ada@example.com".getBytes(StandardCharsets.UTF_8);
    byte[] ct = aead.encrypt(plain, AD);
    for (int i = 0; i < ct.length; i++) {
      byte[] bad = ct.clone();
      bad[i] ^= 0x01;
      assertThatThrownBy(() -> aead.decrypt(bad, AD)).as("bit flipped in byte %d", i)
          .isInstanceOf(GeneralSecurityException.class);
    }
    assertThat(aead.decrypt(ct, AD)).isEqualTo(plain);
  }

  @Test
  void decrypt_ofATruncatedCiphertext_fails() throws Exception {
    Aead aead = DataKeys.aead(DataKeys.generate());
    byte[] ct = aead.encrypt(new byte[0], AD);

    assertThatThrownBy(() -> aead.decrypt(java.util.Arrays.copyOf(ct, ct.length - 1), AD))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> aead.decrypt(new byte[0], AD)).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void decrypt_ofAnotherKeysetsCiphertext_fails() throws Exception {
    Aead mine = DataKeys.aead(DataKeys.generate());
    byte[] theirs = DataKeys.aead(DataKeys.generate()).encrypt("x".getBytes(StandardCharsets.UTF_8), AD);

    assertThatThrownBy(() -> mine.decrypt(theirs, AD)).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void decrypt_onManyVirtualThreadsAtOnce_opensEveryValue() throws Exception {
    KeysetHandle keyset = DataKeys.generate();
    Aead aead = DataKeys.aead(keyset);
    List<byte[]> cts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      cts.add(aead.encrypt(("v" + i).getBytes(StandardCharsets.UTF_8), AD));
    }
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> opened = new ArrayList<>();
      for (byte[] ct : cts) {
        opened.add(pool.submit(() -> new String(aead.decrypt(ct, AD), StandardCharsets.UTF_8)));
      }
      for (int i = 0; i < opened.size(); i++) {
        assertThat(opened.get(i).get()).isEqualTo("v" + i);
      }
    }
  }

  @Test
  void toString_showsNoKeyMaterial() {
    assertThat(DataKeys.aead(DataKeys.generate()).toString()).isEqualTo("FieldAead[1 keys, ***]");
  }
}
