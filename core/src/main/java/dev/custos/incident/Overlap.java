package dev.custos.incident;

/**
 * How likely an overlap between a leaked sample and one person's accesses is to be a coincidence:
 * the upper tail of the hypergeometric distribution. A sample of {@code draws} customers is taken
 * from a population of {@code population} without regard to who saw whom; the person saw
 * {@code volume} of the population; {@code P(X >= k)} is the chance that at least {@code k} of the
 * sample are among them anyway.
 *
 * <p>Computed in log space term by term (log-sum-exp from the largest term), so it stays finite and
 * precise for populations of billions and for tails far below {@code 1e-300}; answers are
 * {@code log10 P} (0 for certainty, very negative for "no coincidence").
 */
public final class Overlap {
  private static final double LN10 = Math.log(10);
  private static final int TABLE = 1024;
  private static final double[] LN_FACTORIAL = new double[TABLE];

  static {
    double sum = 0;
    for (int i = 1; i < TABLE; i++) {
      sum += Math.log(i);
      LN_FACTORIAL[i] = sum;
    }
  }

  private Overlap() {}

  /**
   * {@code log10 P(X >= k)} for X ~ Hypergeometric(population, volume, draws).
   *
   * @param population the customers a sample may be drawn from, at least {@code volume} and {@code draws}
   * @param volume how many of them the person saw
   * @param draws the sample's size
   * @param k the overlap observed
   * @return {@code log10} of the tail, in {@code [-inf, 0]}; 0 when {@code k <= 0}, {@code -inf} when
   *     {@code k} exceeds what is possible
   * @throws IllegalArgumentException when a count is negative or the population is smaller than
   *     the volume or the sample
   */
  public static double log10Tail(long population, long volume, long draws, long k) {
    if (population < 0 || volume < 0 || draws < 0) {
      throw new IllegalArgumentException("counts must not be negative (population=" + population + ", volume="
          + volume + ", draws=" + draws + ")");
    }
    if (volume > population || draws > population) {
      throw new IllegalArgumentException("the population (" + population + ") is smaller than the volume ("
          + volume + ") or the sample (" + draws + ")");
    }
    long lo = Math.max(0, draws - (population - volume));
    long hi = Math.min(volume, draws);
    if (k <= lo) {
      return 0;
    }
    if (k > hi) {
      return Double.NEGATIVE_INFINITY;
    }
    double lnTotal = lnChoose(population, draws);
    // The pmf is unimodal; the largest term of the tail is at max(k, mode).
    long mode = (long) Math.floor((draws + 1.0) * (volume + 1.0) / (population + 2.0));
    long peak = Math.max(k, Math.min(mode, hi));
    double lnPeak = lnPmf(population, volume, draws, peak, lnTotal);
    double sum = 0;
    // Walk away from the peak in both directions with the ratio of consecutive terms, stopping once
    // the terms no longer change the sum in double precision.
    double ln = lnPeak;
    for (long x = peak; x <= hi; x++) {
      double term = Math.exp(ln - lnPeak);
      sum += term;
      if (term < 1e-17 * sum) {
        break;
      }
      // f(x+1)/f(x) = (K-x)(n-x) / ((x+1)(N-K-n+x+1))
      ln += Math.log((double) (volume - x) * (draws - x)) - Math.log((double) (x + 1) * (population - volume - draws + x + 1));
    }
    ln = lnPeak;
    for (long x = peak - 1; x >= k; x--) {
      // f(x)/f(x+1) = (x+1)(N-K-n+x+1) / ((K-x)(n-x))
      ln += Math.log((double) (x + 1) * (population - volume - draws + x + 1)) - Math.log((double) (volume - x) * (draws - x));
      double term = Math.exp(ln - lnPeak);
      sum += term;
      if (term < 1e-17 * sum) {
        break;
      }
    }
    double result = (lnPeak + Math.log(sum)) / LN10;
    return Math.min(0, result);
  }

  /** {@code log10 P(X = k)} for X ~ Hypergeometric(population, volume, draws). */
  static double log10Pmf(long population, long volume, long draws, long k) {
    if (k < Math.max(0, draws - (population - volume)) || k > Math.min(volume, draws)) {
      return Double.NEGATIVE_INFINITY;
    }
    return lnPmf(population, volume, draws, k, lnChoose(population, draws)) / LN10;
  }

  private static double lnPmf(long population, long volume, long draws, long k, double lnTotal) {
    return lnChoose(volume, k) + lnChoose(population - volume, draws - k) - lnTotal;
  }

  /** {@code ln C(n, k)}. */
  static double lnChoose(long n, long k) {
    if (k < 0 || k > n) {
      return Double.NEGATIVE_INFINITY;
    }
    return lnFactorial(n) - lnFactorial(k) - lnFactorial(n - k);
  }

  /** {@code ln n!}: exact sums below 1024, Stirling's series with four corrections above (error below 1e-16 relative). */
  static double lnFactorial(long n) {
    if (n < TABLE) {
      return LN_FACTORIAL[(int) n];
    }
    double x = n;
    double inv = 1 / x;
    double inv2 = inv * inv;
    return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x)
        + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
  }
}
