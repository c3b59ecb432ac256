package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PasswordHashTest {
  /** From the Argon2 reference implementation: {@code echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 -e}. */
  static final String REFERENCE = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

  @Test
  void referenceString_parsesAndReencodesIdentically() {
    PasswordHash hash = PasswordHash.parse(REFERENCE).orThrow();

    assertThat(hash.cost()).isEqualTo(new Argon2Cost(65536, 2, 1));
    assertThat(hash.salt()).isEqualTo("somesalt".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(hash.encoded()).isEqualTo(REFERENCE);
  }

  @Test
  void toString_showsTheCostButNotTheHash() {
    PasswordHash hash = PasswordHash.parse(REFERENCE).orThrow();

    assertThat(hash.toString()).contains("m=65536").doesNotContain("c29tZXNhbHQ").doesNotContain("CTFhFdXP");
  }

  @Test
  void otherArgon2Variants_areRefused() {
    assertThat(PasswordHash.parse(REFERENCE.replace("argon2id", "argon2i"))).isInstanceOf(Parsed.Invalid.class);
    assertThat(PasswordHash.parse(REFERENCE.replace("v=19", "v=16"))).isInstanceOf(Parsed.Invalid.class);
    assertThat(PasswordHash.parse(REFERENCE.replace("$v=19", ""))).isInstanceOf(Parsed.Invalid.class);
  }

  @Test
  void paddedOrNonCanonicalBase64_isRefused() {
    assertThat(PasswordHash.parse(REFERENCE.replace("c29tZXNhbHQ$", "c29tZXNhbHQ=$"))).isInstanceOf(Parsed.Invalid.class);
    assertThat(PasswordHash.parse(REFERENCE.replace("c29tZXNhbHQ$", "c29tZXNhbHR$"))).isInstanceOf(Parsed.Invalid.class);
  }

  @Test
  void costsAboveTheLimits_areRefusedWithoutAllocating() {
    assertThat(PasswordHash.parse(REFERENCE.replace("m=65536", "m=4294967295")))
        .isInstanceOfSatisfying(Parsed.Invalid.class, i -> assertThat(i.problem()).contains("limits"));
    assertThat(PasswordHash.parse(REFERENCE.replace("t=2", "t=1000"))).isInstanceOf(Parsed.Invalid.class);
    assertThat(PasswordHash.parse(REFERENCE.replace("p=1", "p=0"))).isInstanceOf(Parsed.Invalid.class);
  }

  @Test
  void leadingZeros_areRefused() {
    assertThat(PasswordHash.parse(REFERENCE.replace("t=2", "t=02"))).isInstanceOf(Parsed.Invalid.class);
  }

  @Test
  void problems_neverQuoteTheInput() {
    String secretLooking = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$TOP-SECRET";

    assertThat(PasswordHash.parse(secretLooking))
        .isInstanceOfSatisfying(Parsed.Invalid.class, i -> assertThat(i.problem()).doesNotContain("TOP-SECRET"));
  }

  @Provide
  Arbitrary<PasswordHash> hashes() {
    Arbitrary<Argon2Cost> costs = Combinators.combine(
            Arbitraries.integers().between(1, 16), Arbitraries.integers().between(1, Argon2Cost.MAX_ITERATIONS),
            Arbitraries.integers().between(0, Argon2Cost.MAX_MEMORY_KIB))
        .as((p, t, m) -> new Argon2Cost(Math.max(m, 8 * p), t, p));
    Arbitrary<byte[]> salts = Arbitraries.bytes().array(byte[].class).ofMinSize(8).ofMaxSize(64);
    Arbitrary<byte[]> outputs = Arbitraries.bytes().array(byte[].class).ofMinSize(16).ofMaxSize(64);
    return Combinators.combine(costs, salts, outputs).as(PasswordHash::new);
  }

  @Property
  void anyHash_roundTripsThroughItsPhcString(@ForAll("hashes") PasswordHash hash) {
    PasswordHash parsed = PasswordHash.parse(hash.encoded()).orThrow();

    assertThat(parsed).isEqualTo(hash);
    assertThat(parsed.encoded()).isEqualTo(hash.encoded());
  }

  @Property(tries = 2000)
  void anyText_parsesToAResultWithoutThrowing(@ForAll String text) {
    assertThat(PasswordHash.parse(text)).isNotNull();
  }

  @Property(tries = 2000)
  void anySingleCharacterEditOfAValidString_parsesToAResultWithoutThrowing(
      @ForAll @IntRange(min = 0, max = 85) int position, @ForAll char replacement) {
    String edited = REFERENCE.substring(0, position) + replacement + REFERENCE.substring(position + 1);

    Parsed<PasswordHash> parsed = PasswordHash.parse(edited);

    if (parsed instanceof Parsed.Valid<PasswordHash> v) {
      assertThat(v.value().encoded()).isEqualTo(edited); // only canonical spellings are accepted
    }
  }
}
