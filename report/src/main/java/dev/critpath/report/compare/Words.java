package dev.critpath.report.compare;

import dev.critpath.report.compare.Comparison.QueryDiff;
import dev.critpath.report.compare.Comparison.SeriesDiff;
import dev.critpath.report.model.Fmt;
import java.util.List;
import java.util.stream.Collectors;

/** Phrases shared by the comparison writers. */
final class Words {
  private Words() {}

  static String headline(Comparison c) {
    if (!c.anythingCompared()) {
      return "nothing compared";
    }
    long regressions = c.count(Comparison.Status.REGRESSED);
    long inconclusive = c.count(Comparison.Status.INCONCLUSIVE);
    String also = inconclusive == 0 ? "" : ", " + inconclusive + " inconclusive";
    if (regressions > 0) {
      return regressions + (regressions == 1 ? " regression" : " regressions") + also;
    }
    return inconclusive > 0 ? inconclusive + " inconclusive" : "no regression";
  }

  static String status(Comparison.Status s) {
    switch (s) {
      case REGRESSED:
        return "regressed";
      case IMPROVED:
        return "improved";
      case UNCHANGED:
        return "unchanged";
      case CHANGED:
        return "counters changed";
      case NEW:
        return "new";
      case REMOVED:
        return "removed";
      case INCONCLUSIVE:
        return "inconclusive";
      default:
        return "not compared";
    }
  }

  static String icon(Comparison.Status s) {
    switch (s) {
      case REGRESSED:
        return "❌";
      case IMPROVED:
        return "🚀";
      case CHANGED:
        return "⚠️";
      case NEW:
        return "🆕";
      case REMOVED:
        return "🗑️";
      case INCONCLUSIVE:
        return "❔";
      default:
        return "✅";
    }
  }

  static String value(SeriesDiff s, double v) {
    return s.higherIsBetter() ? Fmt.ops(v) : Fmt.ms(v);
  }

  /** "+25.3% slower" / "12.0% faster" in time terms. */
  static String change(SeriesDiff s) {
    double factor = 1 + s.change();
    if (factor >= 2) {
      return "×" + Fmt.num(factor) + " slower";
    }
    if (factor <= 0.5) {
      return "×" + Fmt.num(1 / factor) + " faster";
    }
    if (s.change() >= 0) {
      return Fmt.change(s.change()) + " slower";
    }
    // the mirror of slower: baseline time / current time - 1
    return Fmt.percent(1 / factor - 1) + " faster";
  }

  /**
   * A query's change in its row: the configuration the status rests on, and any that moved the
   * other way ("+31% slower (sample, 1 thread, variant=rls_on); thrpt, 2 threads 12% faster").
   */
  static String rowChange(QueryDiff q, double floor) {
    SeriesDiff s = q.primary();
    StringBuilder sb = new StringBuilder(s == null ? Fmt.NONE : change(s) + " (" + s.label() + ")");
    List<SeriesDiff> other = q.contrary(floor);
    if (!other.isEmpty()) {
      sb.append("; the other way: ");
      sb.append(
          other.stream().map(o -> o.label() + " " + change(o)).collect(Collectors.joining(", ")));
    }
    return sb.toString();
  }

  /** A time ratio in words: "+25.0%" below ×2, "×3.10" above. */
  static String factor(double ratio) {
    return ratio >= 2 ? "×" + Fmt.num(ratio) : Fmt.change(ratio - 1);
  }

  static String p(Double p) {
    return p == null ? Fmt.NONE : Fmt.p(p);
  }

  static String why(QueryDiff q) {
    if (!q.causes().isEmpty()) {
      return String.join("; ", q.causes());
    }
    return String.join("; ", q.notes());
  }

  static String method(Comparison c) {
    CompareOptions o = c.options();
    return "Mann-Whitney U (two-sided) on replicates (per-fork means with ≥ "
        + CompareOptions.MIN_FORKS_FOR_FORK_MEANS
        + " forks, else per-iteration scores; never pooled samples), "
        + (o.correction() == Correction.HOLM
            ? "Holm-corrected"
            : o.correction() == Correction.BH ? "Benjamini-Hochberg-corrected" : "uncorrected")
        + " at α = "
        + Fmt.plain(o.alpha())
        + ", and an effect floor of "
        + Fmt.percent(o.effectFloor())
        + " on the median, widened to 3 robust standard deviations of all queries' changes when"
        + " the runs are noisy; throughput compared as time (higher is better). Second signal: plan"
        + " shape, indexes used, shared buffers per call (tolerance "
        + Fmt.percent(o.counterTolerance())
        + "), rows per call.";
  }
}
