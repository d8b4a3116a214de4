package dev.critpath.report.compare;

import dev.critpath.report.compare.Comparison.SeriesDiff;
import dev.critpath.report.compare.Comparison.SeriesVerdict;
import dev.critpath.report.model.JmhResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A series being compared: replicates known, waiting for the corrected p-value. */
final class PendingSeries {
  String key;
  String label;
  JmhResult base;
  JmhResult cur;
  String unit;
  boolean forkMeans;
  double[] b;
  double[] c;
  Double pValue;
  Double adjustedP;
  String note;

  /**
   * Sampling variance of {@link #logRatio()}: each side's median of n log values has variance about
   * (pi / 2) sd^2 / n.
   */
  double samplingVariance() {
    return medianVariance(b) + medianVariance(c);
  }

  private static double medianVariance(double[] values) {
    if (values.length < 2) {
      return 0;
    }
    double mean = 0;
    for (double v : values) {
      mean += Math.log(v);
    }
    mean /= values.length;
    double ss = 0;
    for (double v : values) {
      ss += (Math.log(v) - mean) * (Math.log(v) - mean);
    }
    return Math.PI / 2 * ss / (values.length - 1) / values.length;
  }

  /** Time-equivalent log ratio: positive when the current run is slower. */
  double logRatio() {
    double mb = median(b);
    double mc = median(c);
    return base.higherIsBetter() ? Math.log(mb / mc) : Math.log(mc / mb);
  }

  /**
   * The verdict.
   *
   * @param band the comparison's noise band (log ratio): a change must exceed it as well
   */
  SeriesDiff finish(CompareOptions o, double band) {
    double mb = median(b);
    double mc = median(c);
    boolean higher = base.higherIsBetter();
    double change = higher ? mb / mc - 1 : mc / mb - 1;
    SeriesVerdict verdict;
    if (pValue == null) {
      // one replicate a side: a large change can still be confirmed by the counters
      verdict =
          Math.abs(change) >= o.effectFloor() ? SeriesVerdict.INCONCLUSIVE : SeriesVerdict.UNTESTED;
    } else if (adjustedP < o.alpha() && change >= o.effectFloor() && logRatio() >= band) {
      verdict = SeriesVerdict.SLOWER;
    } else if (adjustedP < o.alpha()
        && -change / (1 + change) >= o.effectFloor()
        && -logRatio() >= band) {
      // the mirror of SLOWER: baseline / current time >= 1 + floor
      verdict = SeriesVerdict.FASTER;
    } else if (Math.abs(change) >= o.effectFloor()) {
      verdict = SeriesVerdict.INCONCLUSIVE;
    } else {
      verdict = SeriesVerdict.SAME;
    }
    return new SeriesDiff(
        key,
        label,
        base.mode(),
        base.threads(),
        higher,
        unit,
        forkMeans ? "fork" : "iteration",
        boxed(b),
        boxed(c),
        mb,
        mc,
        change,
        pValue,
        adjustedP,
        verdict);
  }

  static boolean useForkMeans(CompareOptions o, JmhResult a, JmhResult b) {
    switch (o.replicates()) {
      case FORK:
        return true;
      case ITERATION:
        return false;
      default:
        return a.iterations().size() >= CompareOptions.MIN_FORKS_FOR_FORK_MEANS
            && b.iterations().size() >= CompareOptions.MIN_FORKS_FOR_FORK_MEANS;
    }
  }

  static double[] replicates(JmhResult r, boolean forkMeans) {
    List<Double> out = new ArrayList<>();
    for (List<Double> fork : r.iterations()) {
      if (fork.isEmpty()) {
        continue;
      }
      if (forkMeans) {
        out.add(fork.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
      } else {
        out.addAll(fork);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).toArray();
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static List<Double> boxed(double[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return out;
  }
}
