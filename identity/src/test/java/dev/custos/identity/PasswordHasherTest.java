package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  /** Far below any real policy, so that properties can run hundreds of hashes. */
  private static final Argon2Cost CHEAP = new Argon2Cost(64, 1, 1);
  private final PasswordHasher cheap = new PasswordHasher(CHEAP, 2, new SecureRandom(), false);

  private static Password pw(String text) {
    return Password.copyOf(text.toCharArray());
  }

  private static boolean verify(PasswordHasher hasher, String password, Optional<PasswordHash> stored) {
    try (Password p = pw(password)) {
      return hasher.verify(p, stored);
    }
  }

  @Test
  void referenceImplementationHashes_verify() {
    PasswordHasher hasher = new PasswordHasher(Argon2Cost.DEFAULT, 2, new SecureRandom());
    // Each made with the reference CLI, e.g. echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 -e
    assertThat(verify(hasher, "password", Optional.of(PasswordHash.parse(PasswordHashTest.REFERENCE).orThrow()))).isTrue();
    assertThat(verify(hasher, "correct horse battery staple", Optional.of(PasswordHash.parse(
        "$argon2id$v=19$m=1024,t=1,p=2$Y3VzdG9zLWthdC1zYWx0$/9BNx4m14xOYpaIMQNK2mFTNxnlBCDn6X0CSIph0SHk").orThrow())))
        .as("two lanes").isTrue();
    assertThat(verify(hasher, "pässwörd", Optional.of(PasswordHash.parse(
        "$argon2id$v=19$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0$RhMRZmvFrWbK9MHOsC1I0JNYOrltRL1jpD2V8/jGUaA").orThrow())))
        .as("UTF-8").isTrue();
  }

  @Test
  void referenceHash_refusesAnotherPassword() {
    PasswordHash reference = PasswordHash.parse(PasswordHashTest.REFERENCE).orThrow();

    assertThat(verify(cheap, "passwore", Optional.of(reference))).isFalse();
  }

  @Test
  void newHash_usesThePolicyAndAFreshSalt() {
    try (Password p = pw("marmot cinnamon velvet")) {
      PasswordHash first = cheap.hash(p);
      PasswordHash second = cheap.hash(p);

      assertThat(first.cost()).isEqualTo(CHEAP);
      assertThat(first.encoded()).matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
      assertThat(first.salt()).isNotEqualTo(second.salt());
      assertThat(cheap.verify(p, Optional.of(first))).isTrue();
      assertThat(cheap.verify(p, Optional.of(second))).isTrue();
    }
  }

  @Test
  void wrongPassword_isRefused() {
    PasswordHash stored;
    try (Password p = pw("marmot cinnamon velvet")) {
      stored = cheap.hash(p);
    }

    assertThat(verify(cheap, "marmot cinnamon velvel", Optional.of(stored))).isFalse();
  }

  @Test
  void unknownUser_isRefusedAfterTheSameWorkAsAWrongPassword() {
    PasswordHash stored;
    try (Password p = pw("marmot cinnamon velvet")) {
      stored = cheap.hash(p);
    }
    long before = cheap.computations();

    boolean wrong = verify(cheap, "guess", Optional.of(stored));
    long afterWrong = cheap.computations();
    boolean unknown = verify(cheap, "guess", Optional.empty());

    assertThat(wrong).isFalse();
    assertThat(unknown).isFalse();
    assertThat(afterWrong - before).isEqualTo(1);
    assertThat(cheap.computations() - afterWrong).isEqualTo(1);
  }

  @Test
  void needsRehash_whenBelowThePolicy() {
    PasswordHasher hasher = new PasswordHasher(new Argon2Cost(65536, 2, 1), 1, new SecureRandom(), false);
    byte[] salt = new byte[16];
    byte[] out = new byte[32];

    assertThat(hasher.needsRehash(new PasswordHash(new Argon2Cost(19456, 2, 1), salt, out))).as("less memory").isTrue();
    assertThat(hasher.needsRehash(new PasswordHash(new Argon2Cost(65536, 1, 1), salt, out))).as("fewer passes").isTrue();
    assertThat(hasher.needsRehash(new PasswordHash(new Argon2Cost(65536, 2, 1), new byte[8], out))).as("short salt").isTrue();
    assertThat(hasher.needsRehash(new PasswordHash(new Argon2Cost(65536, 2, 1), salt, new byte[16]))).as("short hash").isTrue();
    assertThat(hasher.needsRehash(new PasswordHash(new Argon2Cost(65536, 2, 1), salt, out))).as("equal").isFalse();
    assertThat(hasher.needsRehash(new PasswordHash(new Argon2Cost(131072, 3, 4), salt, out))).as("stronger").isFalse();
  }

  @Test
  void policyBelowEveryOwaspMinimum_isRefused() {
    assertThatThrownBy(() -> new PasswordHasher(new Argon2Cost(19455, 2, 1), 1, new SecureRandom()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OWASP");
    assertThatThrownBy(() -> new PasswordHasher(new Argon2Cost(47104, 1, 1), 0, new SecureRandom()))
        .hasMessageContaining("maxConcurrent");
  }

  @Test
  void owaspMinimums_andTheDefault_areAccepted() {
    for (Argon2Cost minimum : Argon2Cost.OWASP_MINIMUMS) {
      assertThat(minimum.meetsOwaspMinimum()).as(minimum.toString()).isTrue();
    }
    assertThat(Argon2Cost.DEFAULT.meetsOwaspMinimum()).isTrue();
    assertThat(new Argon2Cost(65536, 1, 1).meetsOwaspMinimum()).isTrue();
    assertThat(new Argon2Cost(47103, 1, 1).meetsOwaspMinimum()).isFalse();
  }

  @Test
  void invalidCosts_areRefused() {
    assertThatThrownBy(() -> new Argon2Cost(15, 1, 2)).hasMessageContaining("memory");
    assertThatThrownBy(() -> new Argon2Cost(65536, 0, 1)).hasMessageContaining("iterations");
    assertThatThrownBy(() -> new Argon2Cost(65536, 1, 17)).hasMessageContaining("parallelism");
  }

  @Test
  void wipedPassword_cannotBeHashed() {
    Password p = pw("marmot cinnamon velvet");
    p.close();

    assertThatThrownBy(() -> cheap.hash(p)).isInstanceOf(IllegalStateException.class);
  }

  @Property(tries = 200)
  void anyFlippedBitOfTheHash_failsVerification(@ForAll @IntRange(min = 0, max = 32 * 8 - 1) int bit) {
    try (Password p = pw("marmot cinnamon velvet")) {
      PasswordHash stored = cheap.hash(p);
      byte[] out = stored.hash();
      out[bit / 8] ^= (byte) (1 << (bit % 8));
      PasswordHash tampered = new PasswordHash(stored.cost(), stored.salt(), out);

      assertThat(cheap.verify(p, Optional.of(tampered))).isFalse();
    }
  }

  @Property(tries = 200)
  void anyFlippedBitOfTheSalt_failsVerification(@ForAll @IntRange(min = 0, max = 16 * 8 - 1) int bit) {
    try (Password p = pw("marmot cinnamon velvet")) {
      PasswordHash stored = cheap.hash(p);
      byte[] salt = stored.salt();
      salt[bit / 8] ^= (byte) (1 << (bit % 8));

      assertThat(cheap.verify(p, Optional.of(new PasswordHash(stored.cost(), salt, stored.hash())))).isFalse();
    }
  }

  @Property(tries = 100)
  void anyPassword_verifiesAgainstItsOwnHashOnly(@ForAll String password, @ForAll String other) {
    try (Password p = pw(password); Password o = pw(other)) {
      PasswordHash stored = cheap.hash(p);

      assertThat(cheap.verify(p, Optional.of(stored))).isTrue();
      if (!java.util.Arrays.equals(p.utf8(), o.utf8())) {
        assertThat(cheap.verify(o, Optional.of(stored))).isFalse();
      }
    }
  }
}
