package dev.critpath.report.compare;

import dev.critpath.report.model.Fmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What the spread of all series says about how far timing alone can be trusted. */
final class TimingNoise {
  /**
   * Fewer series than this give no usable spread: the MAD of a handful of log ratios swings so far
   * that a band from 7 series hid a 25% slowdown in half of the synthetic trials (CompareTest).
   */
  static final int NOISE_BAND_MIN_SERIES = 12;

  /** MAD to standard deviation for normal data. */
  private static final double MAD_TO_SIGMA = 1.4826;

  private TimingNoise() {}

  /**
   * How far whole series moved between the two runs beyond their own sampling noise. Replicates
   * inside one run share its moment on the machine, so a busy neighbour shifts a whole series and
   * the rank test calls the shift significant. The spread of all series' changes (robust standard
   * deviation, 1.4826 x MAD, of their log ratios) minus the typical sampling variance of a median
   * ratio estimates that run-to-run drift; a change must exceed 4.5 to 6 drift deviations (more
   * with fewer series: the largest of a few noisy changes is often far out) to be called from
   * timing. A real regression still stands out or moves the counters; a machine-wide slowdown moves
   * the median, not the spread, and is still called. Needs {@value #NOISE_BAND_MIN_SERIES} series;
   * 0 (no band, and a warning) with fewer, or when the band is inside the effect floor.
   */
  static double band(
      CompareOptions options, Map<String, List<PendingSeries>> all, List<String> warnings) {
    List<PendingSeries> series = new ArrayList<>();
    all.values().forEach(series::addAll);
    if (series.size() < NOISE_BAND_MIN_SERIES) {
      if (!series.isEmpty()) {
        warnings.add(
            "only "
                + series.size()
                + " configurations measured in both runs, too few to tell run-to-run drift from a"
                + " change (it takes "
                + NOISE_BAND_MIN_SERIES
                + "): timing is judged as if both runs had the machine to themselves. On a shared"
                + " machine measure more paths, or the two sides interleaved in one job"
                + " (./run.sh ab)");
      }
      return 0;
    }
    double[] r = new double[series.size()];
    double[] sampling = new double[series.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = series.get(i).logRatio();
      sampling[i] = series.get(i).samplingVariance();
    }
    double center = PendingSeries.median(r);
    double[] deviations = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      deviations[i] = Math.abs(r[i] - center);
    }
    double spread = MAD_TO_SIGMA * PendingSeries.median(deviations);
    double drift = Math.sqrt(Math.max(0, spread * spread - PendingSeries.median(sampling)));
    double scales = r.length < 10 ? 6 : r.length < 20 ? 5 : 4.5;
    double band = scales * drift;
    if (band <= Math.log(1 + options.effectFloor())) {
      return 0; // quiet enough: the effect floor is the band
    }
    warnings.add(
        "the runs are noisy: beyond their own sampling noise, whole series shifted by "
            + Words.factor(Math.exp(drift))
            + " (robust standard deviation across all queries), so only changes beyond "
            + Words.factor(Math.exp(band))
            + " are called from timing alone; counters still confirm smaller ones. Compare on"
            + " a quieter machine, run both sides back to back, or add forks");
    return band;
  }

  /** Warns when the replicates are too few for any corrected p-value to reach alpha. */
  static void fewReplicatesWarning(
      CompareOptions options,
      List<PendingSeries> tested,
      Map<String, List<PendingSeries>> all,
      List<String> warnings) {
    double needed = options.correction().firstStep(options.alpha(), tested.size());
    Set<String> weak = new TreeSet<>();
    int fewest = Integer.MAX_VALUE;
    for (List<PendingSeries> list : all.values()) {
      for (PendingSeries p : list) {
        if (p.pValue != null && MannWhitney.minimumPValue(p.b.length, p.c.length) >= needed) {
          weak.add(p.label);
          fewest = Math.min(fewest, Math.min(p.b.length, p.c.length));
        }
      }
    }
    if (!weak.isEmpty()) {
      warnings.add(
          "too few replicates to prove a change on their own ("
              + fewest
              + " per run for some configurations; with "
              + tested.size()
              + " tests the smallest p-value must beat "
              + Fmt.p(needed)
              + "): slowdowns above the floor count only when counters confirm them. Run more"
              + " measurement iterations or forks (8+ per run)");
    }
  }
}
