package dev.critpath.explain;

import dev.critpath.Secrets;
import dev.critpath.inspect.Severity;
import dev.critpath.inspect.TextTable;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The console form of an {@link ExplainResult}: one table of plans, then what needs a look. */
public final class ExplainPrinter {
  private ExplainPrinter() {}

  /**
   * Prints the result.
   *
   * @param all also list INFO warnings (time shares, small misestimates)
   */
  public static void print(ExplainResult r, PrintWriter out, boolean all) {
    out.printf(
        "explain: %d quer%s on database %s (PostgreSQL %s)%n",
        r.queries().size(), r.queries().size() == 1 ? "y" : "ies", r.database(), r.serverVersion());
    out.println("  plans inside functions: " + r.nestedPlans());
    out.println("  what-if: " + r.hypopg());
    out.println();
    TextTable plans =
        new TextTable(
            "query",
            "plan",
            "exec ms>",
            "plan ms>",
            "buffers>",
            "read>",
            "rows>",
            "indexes",
            "seq scans",
            "warn>",
            "shape id");
    for (QueryExplain q : r.queries()) {
      if (q.error() != null) {
        plans.row(q.name(), "ERROR", "", "", "", "", "", Secrets.redact(q.error()), "", "", "");
        continue;
      }
      boolean first = true;
      for (CapturedPlan p : q.plans()) {
        PlanFacts f = p.analysis().facts();
        List<String> idx =
            f.indexesUsed().stream().map(PlanFacts.IndexUse::index).distinct().toList();
        List<String> seq =
            f.seqScans().stream().map(PlanFacts.SeqScan::relation).distinct().toList();
        plans.row(
            first ? q.name() : "",
            p.variant() + (p.nested().isEmpty() ? "" : " +" + p.nested().size() + " nested"),
            q.notExecuted() != null ? "not run" : num(f.executionMs()),
            f.planningMs() == null ? "" : num(f.planningMs()),
            String.format("%,d", f.sharedBuffers()),
            String.format("%,d", f.sharedRead()),
            String.format("%,d", f.rows()),
            idx.isEmpty() ? "-" : String.join(", ", idx),
            seq.isEmpty() ? "-" : String.join(", ", seq),
            count(p, Severity.WARN),
            p.analysis().fingerprint().substring(0, 8));
        first = false;
      }
    }
    plans.print(out, "  ");
    for (QueryExplain q : r.queries()) {
      if (q.notExecuted() != null) {
        out.println("  " + q.name() + ": " + Secrets.redact(q.notExecuted()));
      }
    }

    out.println();
    for (QueryExplain q : r.queries()) {
      if (q.generic() != null && q.generic().differs()) {
        out.printf(
            "  %s: the generic plan differs (%s)%s%n",
            q.name(),
            q.generic().shape(),
            q.generic().chosenAfterFiveRuns() == null
                ? ""
                : q.generic().chosenAfterFiveRuns()
                    ? "; prepared statements switch to it after 5 runs"
                    : "; auto mode keeps custom plans");
      }
    }

    out.printf(
        "%nexpectations: %d passed, %d failed%s%s%n",
        r.expectationsPassed(),
        r.expectationsFailed(),
        r.expectationsSkipped() > 0 ? ", " + r.expectationsSkipped() + " skipped on this data" : "",
        r.queriesFailed() > 0 ? ", " + r.queriesFailed() + " queries could not be explained" : "");
    for (QueryExplain q : r.queries()) {
      for (ExpectationCheck.Result e : q.expectations()) {
        if (e.failed() || all) {
          out.printf(
              "  %-4s %-22s %s%s%n",
              e.passed() == null ? "skip" : e.passed() ? "ok" : "FAIL",
              q.name(),
              e.expectation(),
              e.location() == null ? "" : "  (" + e.location() + ")");
          out.printf(
              "       %-22s %s%n",
              "", Secrets.redact(e.passed() == null ? e.skipped() : e.evidence()));
        }
      }
    }

    Severity floor = all ? Severity.INFO : Severity.WARN;
    long hidden = 0;
    boolean header = false;
    for (QueryExplain q : r.queries()) {
      for (CapturedPlan p : q.plans()) {
        for (PlanAnalysis a : withNested(p)) {
          for (PlanWarning w : a.warnings()) {
            if (!w.severity().atLeast(floor)) {
              hidden++;
              continue;
            }
            if (!header) {
              out.printf("%nplan warnings:%n");
              header = true;
            }
            out.printf(
                "  %-8s %-24s %s %s%s: %s%n",
                w.severity(),
                w.rule(),
                q.name(),
                p.variant(),
                a.queryText() == null ? "" : " (nested: " + shorten(a.queryText()) + ")",
                w.node());
            out.printf("  %-8s %-24s %s%n", "", "", w.message());
          }
        }
      }
    }
    if (hidden > 0) {
      out.printf("  (%d info-level plan notes not shown; --all lists them)%n", hidden);
    }

    if (!r.hiddenIndexes().isEmpty()) {
      out.printf("%nwhat-if, indexes hidden one at a time:%n");
      for (WhatIf.Outcome o : r.hiddenIndexes()) {
        out.printf("  %-40s %s%n", o.index(), o.verdict());
      }
    }
    int tried = 0;
    boolean suggestionHeader = false;
    for (QueryExplain q : r.queries()) {
      if (q.whatIf() == null) {
        continue;
      }
      for (WhatIf.Outcome o : q.whatIf()) {
        if (!o.kind().equals("hypothetical")) {
          continue;
        }
        tried++;
        if (all || o.verdict().startsWith(WhatIf.WORTH_CREATING)) {
          if (!suggestionHeader) {
            out.printf("%nwhat-if, candidate indexes:%n");
            suggestionHeader = true;
          }
          out.printf(
              "  %-22s %s (%s)%n  %-22s %s%n", q.name(), o.index(), o.variant(), "", o.verdict());
        }
      }
    }
    if (tried > 0 && !suggestionHeader) {
      boolean measured = r.hypopg().startsWith("ran measured");
      out.printf(
          "%nwhat-if: %d candidate index%s tried, none worth creating (the bar: %s and saving >="
              + " %.0f%%; --all lists them)%n",
          tried,
          tried == 1 ? "" : "es",
          measured
              ? String.format(Locale.ROOT, "measured >= %.0f ms", WhatIf.MIN_MS)
              : String.format(Locale.ROOT, "cost >= %.0f", WhatIf.MIN_COST),
          WhatIf.MIN_SAVING * 100);
    }
    out.flush();
  }

  private static List<PlanAnalysis> withNested(CapturedPlan p) {
    List<PlanAnalysis> all = new java.util.ArrayList<>();
    all.add(p.analysis());
    all.addAll(p.nested());
    return all;
  }

  private static long count(CapturedPlan p, Severity atLeast) {
    return withNested(p).stream().mapToLong(a -> a.warnings(atLeast).size()).sum();
  }

  private static String num(double ms) {
    return String.format(Locale.ROOT, ms >= 100 ? "%.0f" : "%.2f", ms);
  }

  private static String shorten(String sql) {
    String one = sql.replaceAll("\\s+", " ").strip();
    return one.length() <= 50 ? one : one.substring(0, 49) + "…";
  }
}
