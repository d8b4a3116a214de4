package dev.critpath.report;

import dev.critpath.report.model.CheckGroup;
import dev.critpath.report.model.CheckResult;
import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.HttpFile;
import dev.critpath.report.model.HttpScenario;
import dev.critpath.report.model.QueryView;
import dev.critpath.report.model.RealtimeScenario;
import dev.critpath.report.model.RunReader;
import dev.critpath.report.model.RunView;
import dev.critpath.report.model.Status;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table printed at the end of every run: each query's, HTTP scenario's and realtime scenario's
 * p95, its target and verdict, failed checks (RLS leaks included) with their evidence, and where
 * the HTML report is; in a GitHub Actions job also an {@code ::error} annotation per failed check.
 */
public final class ConsoleSummary {
  private ConsoleSummary() {}

  public static void print(RunView run, Path htmlReport, PrintWriter out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"query", "p95", "target", "verdict"});
    for (QueryView q : run.queries()) {
      rows.add(
          new String[] {
            q.name(),
            Fmt.ms(q.latency().p95()),
            q.target() == null ? Fmt.NONE : q.target(),
            word(q.verdict())
          });
    }
    for (HttpFile f : run.http()) {
      for (HttpScenario h : f.scenarios()) {
        rows.add(
            new String[] {
              "http " + f.name() + "/" + h.name(),
              Fmt.ms(h.latency().p95()),
              Fmt.NONE,
              word(f.status())
            });
      }
    }
    for (RealtimeScenario s : run.realtime()) {
      rows.add(
          new String[] {
            "realtime " + s.name(),
            Fmt.ms(s.delivery().p95()),
            s.deliveryTarget() == null ? Fmt.NONE : s.deliveryTarget(),
            word(s.verdict())
          });
    }
    int[] widths = new int[4];
    for (String[] r : rows) {
      for (int i = 0; i < 4; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    out.println(
        "critpath: run "
            + run.runId()
            + " "
            + run.effectiveVerdict().toUpperCase(Locale.ROOT)
            + (run.completed() ? "" : " (did not complete: results are partial)"));
    if (rows.size() > 1) {
      for (String[] r : rows) {
        out.printf(
            "  %-" + widths[0] + "s  %" + widths[1] + "s  %-" + widths[2] + "s  %s%n",
            r[0],
            r[1],
            r[2],
            r[3]);
      }
    }
    for (CheckGroup g : run.checkGroups()) {
      failed(out, g.subject(), g.checks());
    }
    run.facts()
        .forEach(
            (key, value) -> {
              if (key.equals(RunReader.CONNECTION_FACT)
                  || key.startsWith(RunReader.NOT_CAPTURED_FACT)) {
                out.println("  " + key + ": " + value);
              }
            });
    if (htmlReport != null) {
      out.println("  report: " + htmlReport);
    }
    if (GithubAnnotations.enabled()) {
      GithubAnnotations.of(run).forEach(out::println);
    }
    out.flush();
  }

  private static void failed(PrintWriter out, String subject, List<CheckResult> checks) {
    for (CheckResult c : checks) {
      if (c.failed()) {
        out.println(
            "  FAIL "
                + subject
                + " "
                + c.kind().label()
                + " '"
                + c.name()
                + "'"
                + (c.evidence() == null ? "" : ": " + c.evidence().replaceAll("\\s*\\R\\s*", " ")));
      }
    }
  }

  private static String word(Status s) {
    return s == Status.PASS ? "pass" : s == Status.FAIL ? "FAIL" : "-";
  }
}
