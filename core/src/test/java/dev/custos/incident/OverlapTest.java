package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class OverlapTest {
  static BigInteger choose(int n, int k) {
    if (k < 0 || k > n) {
      return BigInteger.ZERO;
    }
    BigInteger r = BigInteger.ONE;
    for (int i = 0; i < k; i++) {
      r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
    }
    return r;
  }

  static double exactLog10Tail(int population, int volume, int draws, int k) {
    BigInteger num = BigInteger.ZERO;
    for (int x = Math.max(k, 0); x <= Math.min(volume, draws); x++) {
      num = num.add(choose(volume, x).multiply(choose(population - volume, draws - x)));
    }
    if (num.signum() == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    BigDecimal p = new BigDecimal(num).divide(new BigDecimal(choose(population, draws)), MathContext.DECIMAL128);
    // log10 of a BigDecimal that may be far below Double.MIN_VALUE
    int scale = p.precision() - p.scale() - 1;
    return Math.log10(p.movePointLeft(scale).doubleValue()) + scale;
  }

  @Property(tries = 500)
  void tail_matchesExactCombinatoricsOnSmallPopulations(@ForAll @IntRange(min = 1, max = 120) int population,
      @ForAll @IntRange(min = 0, max = 120) int volume, @ForAll @IntRange(min = 0, max = 120) int draws,
      @ForAll @IntRange(min = 0, max = 120) int k) {
    Assume.that(volume <= population && draws <= population);
    double exact = exactLog10Tail(population, volume, draws, k);
    double got = Overlap.log10Tail(population, volume, draws, k);
    if (Double.isInfinite(exact)) {
      assertThat(got).isEqualTo(Double.NEGATIVE_INFINITY);
    } else {
      assertThat(got).isCloseTo(exact, within(1e-9 + Math.abs(exact) * 1e-10));
    }
  }

  @Property(tries = 500)
  void tail_isALog10ProbabilityAndFallsAsTheOverlapGrows(@ForAll @LongRange(min = 1, max = 3_000_000_000L) long population,
      @ForAll @LongRange(min = 0, max = 100_000) long volume, @ForAll @IntRange(min = 0, max = 2000) int draws,
      @ForAll @IntRange(min = 0, max = 2000) int k) {
    Assume.that(volume <= population && draws <= population);
    double here = Overlap.log10Tail(population, volume, draws, k);
    double next = Overlap.log10Tail(population, volume, draws, k + 1);
    assertThat(here).isLessThanOrEqualTo(0).isNotNaN();
    assertThat(next).isLessThanOrEqualTo(here + 1e-12);
  }

  @Property(tries = 500)
  void tail_growsWithTheVolumeAPersonSees(@ForAll @LongRange(min = 10, max = 50_000_000L) long population,
      @ForAll @LongRange(min = 0, max = 200_000) long volume, @ForAll @IntRange(min = 1, max = 500) int draws,
      @ForAll @IntRange(min = 0, max = 500) int k, @ForAll @IntRange(min = 1, max = 1000) int more) {
    Assume.that(volume + more <= population && draws <= population);
    double less = Overlap.log10Tail(population, volume, draws, k);
    double most = Overlap.log10Tail(population, volume + more, draws, k);
    assertThat(most).isGreaterThanOrEqualTo(less - 1e-9 * Math.max(1, Math.abs(less)));
  }

  @Test
  void tail_ofZeroOverlap_isCertain() {
    assertThat(Overlap.log10Tail(1000, 10, 50, 0)).isZero();
  }

  @Test
  void tail_beyondWhatIsPossible_isImpossible() {
    assertThat(Overlap.log10Tail(1000, 10, 50, 11)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(Overlap.log10Tail(1000, 100, 5, 6)).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void tail_exactSmallCase_oneCustomerOfTwoDrawnFromFour() {
    // N=4, K=2, n=2: P(X>=1) = 1 - C(2,2)/C(4,2) = 5/6; P(X>=2) = 1/6
    assertThat(Overlap.log10Tail(4, 2, 2, 1)).isCloseTo(Math.log10(5.0 / 6), within(1e-14));
    assertThat(Overlap.log10Tail(4, 2, 2, 2)).isCloseTo(Math.log10(1.0 / 6), within(1e-14));
  }

  @Test
  void tail_staysFiniteAndPreciseForABillionCustomersAndALargeSample() {
    // The whole sample inside a volume of 1,000: P = C(1000,200)/C(1e9,200), far below 1e-300.
    double got = Overlap.log10Tail(1_000_000_000L, 1000, 200, 200);
    double expected = 0;
    for (int i = 0; i < 200; i++) {
      expected += Math.log10((1000.0 - i) / (1_000_000_000.0 - i));
    }
    assertThat(got).isFinite().isCloseTo(expected, within(1e-9 * Math.abs(expected)));
  }

  @Test
  void lnFactorial_agreesAcrossTheTableAndStirling() {
    double sum = 0;
    for (int i = 1; i <= 1030; i++) {
      sum += Math.log(i);
    }
    assertThat(Overlap.lnFactorial(1030)).isCloseTo(sum, within(1e-9));
  }

  @Test
  void tail_refusesNegativeCountsAndAPopulationSmallerThanTheVolume() {
    assertThatThrownBy(() -> Overlap.log10Tail(-1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Overlap.log10Tail(10, 11, 0, 0)).hasMessageContaining("population (10)");
  }
}
