package dev.critpath.report.compare;

import java.util.Arrays;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/**
 * The Mann-Whitney U rank test, two-sided. Small samples without ties get the exact distribution
 * (benchmark replicates are few: 5 to 20 per run, where the normal approximation is poor); larger
 * or tied samples use commons-math3's normal approximation.
 */
public final class MannWhitney {
  /** Above this many pairs (e.g. 50 x 50) the normal approximation is good enough. */
  private static final int EXACT_LIMIT = 2500;

  private MannWhitney() {}

  /** Two-sided p-value for "x and y come from the same distribution". */
  public static double pValue(double[] x, double[] y) {
    if (x.length == 0 || y.length == 0) {
      throw new IllegalArgumentException("both samples need at least one value");
    }
    if ((long) x.length * y.length <= EXACT_LIMIT && !hasTies(x, y)) {
      return exact(x, y);
    }
    return new MannWhitneyUTest().mannWhitneyUTest(x, y);
  }

  /**
   * The smallest two-sided p-value samples of these sizes can give: 2 / C(m+n, m). When it is above
   * the significance level no data could ever be significant.
   */
  public static double minimumPValue(int m, int n) {
    double combinations = 1;
    for (int i = 1; i <= Math.min(m, n); i++) {
      combinations = combinations * (Math.max(m, n) + i) / i;
    }
    return Math.min(1, 2 / combinations);
  }

  /** U of x: the number of pairs (xi, yj) with xi greater than yj (ties count a half). */
  static double u(double[] x, double[] y) {
    double u = 0;
    for (double a : x) {
      for (double b : y) {
        u += a > b ? 1 : a == b ? 0.5 : 0;
      }
    }
    return u;
  }

  static double exact(double[] x, double[] y) {
    int m = x.length;
    int n = y.length;
    double[] counts = distribution(m, n);
    double total = 0;
    for (double c : counts) {
      total += c;
    }
    int u = (int) Math.round(u(x, y));
    double lower = 0;
    for (int i = 0; i <= u; i++) {
      lower += counts[i];
    }
    double upper = 0;
    for (int i = u; i < counts.length; i++) {
      upper += counts[i];
    }
    return Math.min(1, 2 * Math.min(lower, upper) / total);
  }

  /**
   * How many of the C(m+n, m) orderings give each U = 0..m*n: the coefficients of the Gaussian
   * binomial [m+n choose m], built as [n+i choose i] = [n+i-1 choose i-1] (1 - q^(n+i)) / (1 -
   * q^i), every step an exact polynomial with non-negative coefficients.
   */
  static double[] distribution(int m, int n) {
    double[] c = new double[m * n + 1];
    c[0] = 1;
    int degree = 0;
    for (int i = 1; i <= m; i++) {
      int a = n + i;
      int top = Math.min(degree + a, c.length - 1);
      // multiply by (1 - q^a)
      for (int k = top; k >= a; k--) {
        c[k] -= c[k - a];
      }
      degree += n;
      // divide by (1 - q^i): c[k] += c[k - i]; the quotient ends at the new degree
      for (int k = i; k <= degree; k++) {
        c[k] += c[k - i];
      }
      for (int k = degree + 1; k <= top; k++) {
        c[k] = 0;
      }
    }
    for (int k = 0; k < c.length; k++) {
      c[k] = Math.max(0, Math.rint(c[k]));
    }
    return c;
  }

  private static boolean hasTies(double[] x, double[] y) {
    double[] all = new double[x.length + y.length];
    System.arraycopy(x, 0, all, 0, x.length);
    System.arraycopy(y, 0, all, x.length, y.length);
    Arrays.sort(all);
    for (int i = 1; i < all.length; i++) {
      if (all[i] == all[i - 1]) {
        return true;
      }
    }
    return false;
  }
}
