package dev.custos.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TailsTest {

  private static double exactBinomialUpper(int k, int n, double q) {
    double sum = 0;
    for (int i = k; i <= n; i++) {
      sum += Math.exp(Tails.logGamma(n + 1) - Tails.logGamma(i + 1) - Tails.logGamma(n - i + 1)
          + i * Math.log(q) + (n - i) * Math.log1p(-q));
    }
    return sum;
  }

  private static double exactPoissonUpper(int k, double mean) {
    double below = 0;
    for (int i = 0; i < k; i++) {
      below += Math.exp(-mean + i * Math.log(mean) - Tails.logGamma(i + 1));
    }
    return 1 - below;
  }

  private static double exactNegativeBinomialUpper(int k, double mean, double r) {
    double p = r / (r + mean);
    double below = 0;
    for (int i = 0; i < k; i++) {
      below += Math.exp(Tails.logGamma(i + r) - Tails.logGamma(r) - Tails.logGamma(i + 1) + r * Math.log(p)
          + i * Math.log1p(-p));
    }
    return 1 - below;
  }

  @Property(tries = 300)
  void binomialUpper_matchesTheExactSum(@ForAll @IntRange(min = 1, max = 200) int n, @ForAll @IntRange(min = 1, max = 200) int k,
      @ForAll @DoubleRange(min = 0.01, max = 0.9) double q) {
    int kk = Math.min(k, n);
    double exact = exactBinomialUpper(kk, n, q);
    double surprise = Tails.binomialUpper(kk, n, q);
    if (exact > 1e-12) {
      assertThat(Math.pow(10, -surprise)).isCloseTo(Math.min(exact, 1), within(1e-9 + 1e-6 * exact));
    } else {
      assertThat(surprise).isGreaterThan(11.9);
    }
  }

  @Property(tries = 300)
  void poissonUpper_matchesTheExactSum(@ForAll @IntRange(min = 1, max = 60) int k,
      @ForAll @DoubleRange(min = 0.01, max = 40) double mean) {
    double exact = exactPoissonUpper(k, mean);
    if (exact > 1e-9) {
      assertThat(Math.pow(10, -Tails.poissonUpper(k, mean))).isCloseTo(exact, within(1e-8 + 1e-6 * exact));
    }
  }

  @Property(tries = 300)
  void negativeBinomialUpper_matchesTheExactSum(@ForAll @IntRange(min = 1, max = 60) int k,
      @ForAll @DoubleRange(min = 0.05, max = 30) double mean, @ForAll @DoubleRange(min = 0.5, max = 50) double r) {
    double exact = exactNegativeBinomialUpper(k, mean, r);
    if (exact > 1e-9) {
      assertThat(Math.pow(10, -Tails.negativeBinomialUpper(k, mean, r))).isCloseTo(exact, within(1e-8 + 1e-6 * exact));
    }
  }

  @Property(tries = 200)
  void surprise_growsWithTheCount(@ForAll @DoubleRange(min = 1, max = 100) double k, @ForAll @DoubleRange(min = 0.01, max = 20) double mean) {
    assertThat(Tails.negativeBinomialUpper(k + 1, mean, 8)).isGreaterThanOrEqualTo(Tails.negativeBinomialUpper(k, mean, 8) - 1e-9);
    assertThat(Tails.poissonUpper(k + 1, mean)).isGreaterThanOrEqualTo(Tails.poissonUpper(k, mean) - 1e-9);
    assertThat(Tails.binomialUpper(k + 1, 200, 0.05)).isGreaterThanOrEqualTo(Tails.binomialUpper(k, 200, 0.05) - 1e-9);
  }

  @Property(tries = 200)
  void surprise_isNeverNegativeNorAboveTheCap(@ForAll @DoubleRange(min = 0, max = 1000) double k,
      @ForAll @DoubleRange(min = 0, max = 100) double mean) {
    assertThat(Tails.poissonUpper(k, mean)).isBetween(0.0, Tails.MAX_SURPRISE);
    assertThat(Tails.negativeBinomialUpper(k, mean, 3)).isBetween(0.0, Tails.MAX_SURPRISE);
    assertThat(Tails.binomialUpper(k, 1000, Math.min(mean / 100, 1))).isBetween(0.0, Tails.MAX_SURPRISE);
  }

  @Property(tries = 100)
  void negativeBinomial_tendsToPoissonAsTheShapeGrows(@ForAll @IntRange(min = 1, max = 30) int k,
      @ForAll @DoubleRange(min = 0.5, max = 15) double mean) {
    assertThat(Tails.negativeBinomialUpper(k, mean, 1e7)).isCloseTo(Tails.poissonUpper(k, mean), within(1e-3 + 1e-3 * Tails.poissonUpper(k, mean)));
  }

  @Test
  void negativeBinomial_toleratesMoreThanPoissonForTheSameMean() {
    assertThat(Tails.negativeBinomialUpper(12, 3, 2)).isLessThan(Tails.poissonUpper(12, 3));
  }

  @Test
  void logGamma_ofIntegersIsTheLogFactorial() {
    assertThat(Tails.logGamma(1)).isCloseTo(0, within(1e-12));
    assertThat(Tails.logGamma(11)).isCloseTo(Math.log(3628800), within(1e-10));
    assertThat(Tails.logGamma(0.5)).isCloseTo(Math.log(Math.sqrt(Math.PI)), within(1e-12));
  }
}
