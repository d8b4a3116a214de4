package dev.critpath.report.compare;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;

/**
 * Correction for testing many queries at once: without it, 20 queries tested at 5% each give a
 * false alarm in most A/A runs.
 */
public enum Correction {
  /** Holm-Bonferroni: controls the chance of any false alarm (family-wise error rate). */
  HOLM,
  /** Benjamini-Hochberg: controls the share of false alarms among alarms (more power). */
  BH,
  /** No correction (each test at the full level); for experiments only. */
  NONE;

  public static Correction parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new dev.critpath.UserError("unknown correction '" + text + "': use holm, bh or none");
    }
  }

  /** Adjusted p-values, in the order of {@code p}. */
  public double[] adjust(double[] p) {
    int m = p.length;
    double[] adjusted = new double[m];
    if (m == 0) {
      return adjusted;
    }
    Integer[] order = new Integer[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
    switch (this) {
      case HOLM:
        {
          double running = 0;
          for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1, (m - rank) * p[i]));
            adjusted[i] = running;
          }
          break;
        }
      case BH:
        {
          double running = 1;
          for (int rank = m - 1; rank >= 0; rank--) {
            int i = order[rank];
            running = Math.min(running, Math.min(1, p[i] * m / (rank + 1)));
            adjusted[i] = running;
          }
          break;
        }
      default:
        System.arraycopy(p, 0, adjusted, 0, m);
    }
    return adjusted;
  }

  /** The per-test level the smallest p-value must beat (Holm's and BH's first step: alpha/m). */
  public double firstStep(double alpha, int tests) {
    return this == NONE ? alpha : alpha / Math.max(1, tests);
  }
}
