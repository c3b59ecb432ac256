package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  private static final byte[] AD = "custos.totp/v1|agent-17|active".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PLAINTEXT = "twenty bytes of key.".getBytes(StandardCharsets.US_ASCII);

  private final SecureRandom random = new SecureRandom();
  private final byte[] key = randomBytes(32);
  private final SecretBox box = new SecretBox(key, random);

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @Test
  void sealThenOpen_returnsThePlaintext() throws Exception {
    assertThat(box.open(box.seal(PLAINTEXT, AD), AD)).isEqualTo(PLAINTEXT);
  }

  @Test
  void emptyPlaintext_roundTrips() throws Exception {
    assertThat(box.open(box.seal(new byte[0], AD), AD)).isEmpty();
  }

  @Test
  void sealed_hasTheDocumentedFormat() {
    byte[] sealed = box.seal(PLAINTEXT, AD);

    assertThat(sealed).hasSize(1 + 12 + PLAINTEXT.length + 16);
    assertThat(sealed[0]).isEqualTo((byte) 1);
  }

  @Test
  void anotherBoxWithTheSameKey_opensIt() throws Exception {
    SecretBox other = new SecretBox(key, new SecureRandom());

    assertThat(other.open(box.seal(PLAINTEXT, AD), AD)).isEqualTo(PLAINTEXT);
  }

  @Test
  void everyBitOfEveryByteTampered_failsToOpen() {
    byte[] sealed = box.seal(PLAINTEXT, AD);
    for (int i = 0; i < sealed.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] tampered = sealed.clone();
        tampered[i] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> box.open(tampered, AD))
            .as("byte %d, bit %d", i, bit)
            .isInstanceOf(GeneralSecurityException.class);
      }
    }
  }

  @Test
  void truncatedOrExtended_failsToOpen() {
    byte[] sealed = box.seal(PLAINTEXT, AD);
    for (int length = 0; length < sealed.length; length++) {
      byte[] cut = Arrays.copyOf(sealed, length);
      assertThatThrownBy(() -> box.open(cut, AD)).as("first %d bytes", length)
          .isInstanceOf(GeneralSecurityException.class);
    }
    byte[] longer = Arrays.copyOf(sealed, sealed.length + 1);
    assertThatThrownBy(() -> box.open(longer, AD)).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void null_failsToOpen() {
    assertThatThrownBy(() -> box.open(null, AD)).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void otherAssociatedData_failsToOpen() {
    byte[] sealed = box.seal(PLAINTEXT, AD);
    byte[] pending = "custos.totp/v1|agent-17|pending".getBytes(StandardCharsets.US_ASCII);
    byte[] otherAccount = "custos.totp/v1|agent-18|active".getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> box.open(sealed, pending)).isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> box.open(sealed, otherAccount)).isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> box.open(sealed, new byte[0])).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void otherKey_failsToOpen() {
    byte[] sealed = box.seal(PLAINTEXT, AD);
    SecretBox other = new SecretBox(randomBytes(32), random);

    assertThatThrownBy(() -> other.open(sealed, AD)).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void sealingTheSameSecretTwice_usesAFreshNonceEachTime() {
    byte[] first = box.seal(PLAINTEXT, AD);
    byte[] second = box.seal(PLAINTEXT, AD);

    assertThat(Arrays.copyOfRange(first, 1, 13)).isNotEqualTo(Arrays.copyOfRange(second, 1, 13));
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void keyArrayChangedAfterwards_doesNotChangeTheBox() throws Exception {
    byte[] mutable = randomBytes(32);
    SecretBox b = new SecretBox(mutable, random);
    byte[] sealed = b.seal(PLAINTEXT, AD);

    Arrays.fill(mutable, (byte) 0);

    assertThat(b.open(sealed, AD)).isEqualTo(PLAINTEXT);
  }

  @Test
  void keyOfAnotherLength_isRefused() {
    assertThatThrownBy(() -> new SecretBox(randomBytes(16), random))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> new SecretBox(randomBytes(33), random))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toString_showsNoKey() {
    assertThat(box.toString()).isEqualTo("SecretBox[AES-256-GCM, ***]");
  }
}
