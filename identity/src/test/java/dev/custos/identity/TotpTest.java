package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.StaffId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TotpTest {
  /** RFC 6238 Appendix B's seeds: the ASCII digits "1234567890" repeated to the hash's output size. */
  private static final Map<TotpAlgorithm, TotpSecret> SEEDS = Map.of(
      TotpAlgorithm.SHA1, seed(20), TotpAlgorithm.SHA256, seed(32), TotpAlgorithm.SHA512, seed(64));

  private static TotpSecret seed(int length) {
    return TotpSecret.ofBytes("1234567890".repeat(7).substring(0, length).getBytes(StandardCharsets.US_ASCII));
  }

  private record Vector(long unixTime, TotpAlgorithm algorithm, String code) {}

  /** Every row of RFC 6238 Appendix B (a copy of shared/vectors/rfc6238-totp.tsv, read from test resources). */
  private static List<Vector> vectors() throws IOException {
    List<Vector> vectors = new ArrayList<>();
    try (InputStream in = TotpTest.class.getResourceAsStream("/vectors/rfc6238-totp.tsv");
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String[] header = null;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cells = line.split("\t");
        if (header == null) {
          header = cells;
          continue;
        }
        for (int column = 1; column < cells.length; column++) {
          vectors.add(new Vector(Long.parseLong(cells[0]), TotpAlgorithm.valueOf(header[column].toUpperCase()), cells[column]));
        }
      }
    }
    return vectors;
  }

  @Test
  void everyRfc6238Vector_isReproduced() throws IOException {
    List<Vector> vectors = vectors();
    assertThat(vectors).hasSize(18);
    for (Vector v : vectors) {
      Totp totp = new Totp(v.algorithm(), 8, Duration.ofSeconds(30));

      assertThat(totp.codeAt(SEEDS.get(v.algorithm()), Instant.ofEpochSecond(v.unixTime())))
          .as("%s at %d", v.algorithm(), v.unixTime()).isEqualTo(v.code());
    }
  }

  @Test
  void everyRfc6238Vector_isAcceptedByTheVerifierAtItsTime() throws IOException {
    for (Vector v : vectors()) {
      Totp totp = new Totp(v.algorithm(), 8, Duration.ofSeconds(30));
      TotpVerifier verifier = new TotpVerifier(totp, new InMemoryTotpReplayStore(), () -> Instant.ofEpochSecond(v.unixTime()));

      assertThat(verifier.verify(new StaffId("rfc"), SEEDS.get(v.algorithm()), v.code()))
          .as("%s at %d", v.algorithm(), v.unixTime())
          .isEqualTo(new TotpCheck.Accepted(v.unixTime() / 30));
    }
  }

  @Test
  void sixDigitCode_isTheLastSixDigitsOfTheEightDigitOne() throws IOException {
    for (Vector v : vectors()) {
      assertThat(new Totp(v.algorithm(), 6, Duration.ofSeconds(30)).codeAt(SEEDS.get(v.algorithm()),
          Instant.ofEpochSecond(v.unixTime()))).isEqualTo(v.code().substring(2));
    }
  }

  @Test
  void default_isSha1SixDigitsThirtySeconds() {
    assertThat(Totp.DEFAULT).isEqualTo(new Totp(TotpAlgorithm.SHA1, 6, Duration.ofSeconds(30)));
  }

  @Test
  void stepAt_floorsToThePeriod() {
    assertThat(Totp.DEFAULT.stepAt(Instant.ofEpochSecond(59))).isEqualTo(1);
    assertThat(Totp.DEFAULT.stepAt(Instant.ofEpochSecond(60))).isEqualTo(2);
    assertThat(Totp.DEFAULT.stepAt(Instant.ofEpochSecond(89, 999_999_999))).isEqualTo(2);
  }

  @Test
  void invalidSettings_areRefused() {
    assertThatThrownBy(() -> new Totp(TotpAlgorithm.SHA1, 5, Duration.ofSeconds(30))).hasMessageContaining("digits");
    assertThatThrownBy(() -> new Totp(TotpAlgorithm.SHA1, 9, Duration.ofSeconds(30))).hasMessageContaining("digits");
    assertThatThrownBy(() -> new Totp(TotpAlgorithm.SHA1, 6, Duration.ofMillis(1500))).hasMessageContaining("period");
    assertThatThrownBy(() -> new Totp(TotpAlgorithm.SHA1, 6, Duration.ZERO)).hasMessageContaining("period");
  }

  @Test
  void negativeStep_isRefused() {
    assertThatThrownBy(() -> Totp.DEFAULT.code(seed(20), -1)).hasMessageContaining("negative");
  }

  @Property
  void everyCode_hasExactlyTheConfiguredNumberOfDigits(@ForAll @LongRange(min = 0, max = 1L << 40) long step,
      @ForAll byte[] keyTail) {
    byte[] key = new byte[16 + Math.min(keyTail.length, 100)];
    System.arraycopy(keyTail, 0, key, 16, key.length - 16);
    TotpSecret secret = TotpSecret.ofBytes(key);
    for (int digits = 6; digits <= 8; digits++) {
      assertThat(new Totp(TotpAlgorithm.SHA1, digits, Duration.ofSeconds(30)).code(secret, step))
          .hasSize(digits).containsOnlyDigits();
    }
  }
}
