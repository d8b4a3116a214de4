package dev.critpath.catalog;

import java.util.SplittableRandom;

/**
 * Zipf-distributed ranks 1..n (P(k) proportional to 1/k^s) in constant time and memory, by
 * rejection-inversion (Hörmann and Derflinger, "Rejection-inversion to generate variates from
 * monotone discrete distributions", 1996), so a million conversations need no million-entry table.
 */
final class Zipf {
  private final long n;
  private final double exponent;
  private final double hIntegralX1;
  private final double hIntegralN;
  private final double s;

  Zipf(long n, double exponent) {
    if (n < 1 || exponent <= 0) {
      throw new IllegalArgumentException("zipf needs n >= 1 and exponent > 0");
    }
    this.n = n;
    this.exponent = exponent;
    this.hIntegralX1 = hIntegral(1.5) - 1.0;
    this.hIntegralN = hIntegral(n + 0.5);
    this.s = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2.0));
  }

  /** A rank between 1 and n; rank 1 is the most likely. */
  long next(SplittableRandom random) {
    while (true) {
      double u = hIntegralN + random.nextDouble() * (hIntegralX1 - hIntegralN);
      double x = hIntegralInverse(u);
      long k = (long) (x + 0.5);
      if (k < 1) {
        k = 1;
      } else if (k > n) {
        k = n;
      }
      if (k - x <= s || u >= hIntegral(k + 0.5) - h(k)) {
        return k;
      }
    }
  }

  private double h(double x) {
    return Math.exp(-exponent * Math.log(x));
  }

  private double hIntegral(double x) {
    double logX = Math.log(x);
    return helper2((1.0 - exponent) * logX) * logX;
  }

  private double hIntegralInverse(double x) {
    double t = x * (1.0 - exponent);
    if (t < -1.0) {
      t = -1.0; // rounding guard, as in the paper's reference implementation
    }
    return Math.exp(helper1(t) * x);
  }

  /** log(1+x)/x, stable near 0. */
  private static double helper1(double x) {
    return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
  }

  /** (exp(x)-1)/x, stable near 0. */
  private static double helper2(double x) {
    return Math.abs(x) > 1e-8
        ? Math.expm1(x) / x
        : 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x));
  }
}
