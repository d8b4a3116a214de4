package dev.critpath.report.compare;

import dev.critpath.report.compare.Comparison.SeriesDiff;
import dev.critpath.report.compare.Comparison.SeriesVerdict;
import dev.critpath.report.model.QueryView;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a large slowdown could be neither proven nor explained: which of the three kinds of evidence
 * a comparison rests on (replicates, pg_stat_statements counters, plans) either run lacked, or that
 * they were all there and did not agree.
 */
final class MissingEvidence {
  private MissingEvidence() {}

  /** "replicates: ...; counters: ...; plans: ..." for what was missing, never empty. */
  static String describe(QueryView b, QueryView c, SeriesDiff far, CounterComparison counters) {
    List<String> missing = new ArrayList<>();
    if (far.verdict() == SeriesVerdict.UNTESTED || far.verdict() == SeriesVerdict.INCONCLUSIVE) {
      missing.add(
          "replicates: "
              + far.baseline().size()
              + " vs "
              + far.current().size()
              + " "
              + far.replicateUnit()
              + "s cannot prove it after the correction for every configuration tested");
    }
    String counterGap = gap(b.server().sharedBuffersPerCall(), c.server().sharedBuffersPerCall());
    if (counterGap != null) {
      missing.add("counters: no pg_stat_statements counters in " + counterGap);
    }
    String planGap = gap(planOf(b), planOf(c));
    if (planGap != null) {
      missing.add("plans: no explain section in " + planGap);
    }
    if (missing.isEmpty()) {
      return "the counters" + (counters.worse ? "" : " did not change and") + " cannot confirm it";
    }
    return "evidence is missing (" + String.join("; ", missing) + ")";
  }

  private static Object planOf(QueryView q) {
    return q.plan().shape() != null ? q.plan().shape() : q.plan().fingerprint();
  }

  private static String gap(Object baseline, Object current) {
    if (baseline == null && current == null) {
      return "either run";
    }
    if (baseline == null) {
      return "the baseline run";
    }
    return current == null ? "the current run" : null;
  }
}
