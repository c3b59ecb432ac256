package dev.custos.detect;

/**
 * Upper tail probabilities of the counting distributions detection compares a staff member with:
 * Poisson, binomial and negative binomial, all through the regularized incomplete beta and gamma
 * functions so that counts may be fractional (detection's windows decay exponentially, so a
 * window's count is a real number). Answers are in {@code -log10(p)} ("surprise"), which stays
 * finite and precise where {@code p} itself would underflow.
 */
final class Tails {
  private static final double LN10 = Math.log(10);
  private static final double EPS = 1e-13;
  private static final double TINY = 1e-300;
  private static final int MAX_ITER = 300;
  /** Largest surprise reported: p below 1e-30 says nothing more useful. */
  static final double MAX_SURPRISE = 30;

  private Tails() {}

  /** {@code -log10 P(X >= k)} for X ~ Binomial(n, q); 0 when k <= 0. */
  static double binomialUpper(double k, double n, double q) {
    if (k <= 0) {
      return 0;
    }
    if (k > n) {
      n = k;
    }
    if (q <= 0) {
      return MAX_SURPRISE;
    }
    if (q >= 1) {
      return 0;
    }
    // P(X >= k) = I_q(k, n - k + 1)
    return surprise(logBetaRegularized(q, k, n - k + 1));
  }

  /**
   * {@code -log10 P(X >= x)} for X negative binomial with mean {@code mean} and shape {@code r}
   * (variance {@code mean + mean^2 / r}): the Poisson-gamma mixture, the predictive distribution of
   * a count whose rate is only known through a gamma posterior.
   */
  static double negativeBinomialUpper(double x, double mean, double r) {
    return negativeBinomialUpper(x, mean, r, logGamma(r));
  }

  /**
   * {@link #negativeBinomialUpper(double, double, double)} with {@code ln Γ(r)} given: the shape
   * is usually a constant of the policy, so its log-gamma need not be recomputed for every count.
   */
  static double negativeBinomialUpper(double x, double mean, double r, double logGammaR) {
    if (x <= 0) {
      return 0;
    }
    if (mean <= 0) {
      return MAX_SURPRISE;
    }
    double p = r / (r + mean); // success probability
    // P(X >= x) = I_{1-p}(x, r); ln(1 - (1 - p)) is ln p, without the slow log1p
    double q = 1 - p;
    if (q <= 0) {
      return MAX_SURPRISE;
    }
    if (p <= 0) {
      return 0;
    }
    return surprise(logBetaRegularized(q, x, r, Math.log(q), Math.log(p), logGammaR));
  }

  /** {@code -log10 P(X >= x)} for X ~ Poisson(mean): the regularized lower gamma P(x, mean). */
  static double poissonUpper(double x, double mean) {
    if (x <= 0) {
      return 0;
    }
    if (mean <= 0) {
      return MAX_SURPRISE;
    }
    return surprise(logGammaLowerRegularized(x, mean));
  }

  private static double surprise(double lnP) {
    double s = -lnP / LN10;
    return s <= 0 ? 0 : Math.min(s, MAX_SURPRISE);
  }

  /** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-14). */
  static double logGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    x -= 1;
    double a = 0.99999999999980993;
    double t = x + 7.5;
    a += 676.5203681218851 / (x + 1);
    a += -1259.1392167224028 / (x + 2);
    a += 771.32342877765313 / (x + 3);
    a += -176.61502916214059 / (x + 4);
    a += 12.507343278686905 / (x + 5);
    a += -0.13857109526572012 / (x + 6);
    a += 9.9843695780195716e-6 / (x + 7);
    a += 1.5056327351493116e-7 / (x + 8);
    return 0.9189385332046727 + (x + 0.5) * Math.log(t) - t + Math.log(a);
  }

  /** ln I_x(a, b), the regularized incomplete beta function, by Lentz's continued fraction. */
  static double logBetaRegularized(double x, double a, double b) {
    if (x <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (x >= 1) {
      return 0;
    }
    return logBetaRegularized(x, a, b, Math.log(x), Math.log1p(-x), logGamma(b));
  }

  /** {@link #logBetaRegularized(double, double, double)} for 0 < x < 1, given ln x, ln(1 - x) and ln Γ(b). */
  private static double logBetaRegularized(double x, double a, double b, double lnX, double ln1mX, double logGammaB) {
    double lnFront = logGamma(a + b) - logGamma(a) - logGammaB + a * lnX + b * ln1mX;
    if (x < (a + 1) / (a + b + 2)) {
      return lnFront + Math.log(betaFraction(x, a, b) / a);
    }
    double other = Math.exp(lnFront) * betaFraction(1 - x, b, a) / b;
    return other >= 1 ? Math.log(TINY) : Math.log1p(-other);
  }

  private static double betaFraction(double x, double a, double b) {
    double qab = a + b;
    double qap = a + 1;
    double qam = a - 1;
    double c = 1;
    double d = 1 - qab * x / qap;
    if (Math.abs(d) < TINY) {
      d = TINY;
    }
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= MAX_ITER; m++) {
      int m2 = 2 * m;
      double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      d = 1 + aa * d;
      if (Math.abs(d) < TINY) {
        d = TINY;
      }
      c = 1 + aa / c;
      if (Math.abs(c) < TINY) {
        c = TINY;
      }
      d = 1 / d;
      h *= d * c;
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      d = 1 + aa * d;
      if (Math.abs(d) < TINY) {
        d = TINY;
      }
      c = 1 + aa / c;
      if (Math.abs(c) < TINY) {
        c = TINY;
      }
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < EPS) {
        break;
      }
    }
    return h;
  }

  /** ln P(a, x), the regularized lower incomplete gamma function (series or continued fraction). */
  static double logGammaLowerRegularized(double a, double x) {
    if (x <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    double lnFront = -x + a * Math.log(x) - logGamma(a);
    if (x < a + 1) {
      double ap = a;
      double sum = 1 / a;
      double del = sum;
      for (int n = 0; n < MAX_ITER; n++) {
        ap += 1;
        del *= x / ap;
        sum += del;
        if (Math.abs(del) < Math.abs(sum) * EPS) {
          break;
        }
      }
      return lnFront + Math.log(sum);
    }
    double b = x + 1 - a;
    double c = 1 / TINY;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i <= MAX_ITER; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < TINY) {
        d = TINY;
      }
      c = b + an / c;
      if (Math.abs(c) < TINY) {
        c = TINY;
      }
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < EPS) {
        break;
      }
    }
    double upper = Math.exp(lnFront) * h;
    return upper >= 1 ? Math.log(TINY) : Math.log1p(-upper);
  }
}
