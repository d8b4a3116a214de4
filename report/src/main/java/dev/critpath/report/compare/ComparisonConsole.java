package dev.critpath.report.compare;

import dev.critpath.report.compare.Comparison.QueryDiff;
import dev.critpath.report.compare.Comparison.SeriesDiff;
import dev.critpath.report.model.Fmt;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The comparison as a console table: one line per query, then why, then the warnings. */
public final class ComparisonConsole {
  private ComparisonConsole() {}

  public static void print(Comparison c, PrintWriter out) {
    out.println(
        "compare: "
            + c.baseline().runId()
            + " -> "
            + c.current().runId()
            + ": "
            + Words.headline(c));
    c.warnings().forEach(w -> out.println("  warning: " + w));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"query", "status", "baseline", "current", "change", "p (adj.)"});
    for (QueryDiff q : c.queries()) {
      SeriesDiff s = q.primary();
      rows.add(
          new String[] {
            q.name(),
            Words.status(q.status()),
            s == null ? Fmt.NONE : Words.value(s, s.baselineMedian()),
            s == null ? Fmt.NONE : Words.value(s, s.currentMedian()),
            Words.rowChange(q, c.options().effectFloor()),
            s == null ? Fmt.NONE : Words.p(s.adjustedP())
          });
    }
    int[] w = new int[6];
    for (String[] r : rows) {
      for (int i = 0; i < w.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      out.printf(
          "  %-" + w[0] + "s  %-" + w[1] + "s  %" + w[2] + "s  %" + w[3] + "s  %" + w[4] + "s  %"
              + w[5] + "s%n",
          (Object[]) r);
    }
    for (QueryDiff q : c.queries()) {
      if (!q.causes().isEmpty()) {
        out.println("  " + q.name() + " " + Words.status(q.status()) + ":");
        q.causes().forEach(x -> out.println("    - " + x));
      }
    }
    out.flush();
  }
}
