package dev.critpath.safety;

import dev.critpath.catalog.QueryCatalog;
import dev.critpath.run.Section;
import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;

/** Runs every read path as an outsider and as anon: rows of another tenant fail the run. */
public final class RlsStage implements Stage {
  @Override
  public String name() {
    return "rls";
  }

  @Override
  public Outcome run(StageContext ctx) throws Exception {
    RlsReport report = RlsVerification.run(ctx.db(), QueryCatalog.builtin());
    ctx.run().put(Section.RLS, report);
    for (RlsReport.Query q : report.queries()) {
      ctx.out().printf("  %-12s %s: %s%n", q.status().id(), q.query(), evidence(q));
    }
    String summary =
        report.queries().size()
            + " read paths: "
            + report.passed()
            + " isolated, "
            + report.failed()
            + " leaked, "
            + report.inconclusive()
            + " inconclusive ("
            + report.skipped().size()
            + " not read paths)";
    return report.failed() == 0
        ? Outcome.ok(summary)
        : Outcome.failed(summary + "; leaked: " + String.join(", ", report.failedQueries()));
  }

  /** The line that says most: the first probe that failed, else the outsider's, else why not. */
  private static String evidence(RlsReport.Query q) {
    return q.probes().stream()
        .filter(p -> p.status() == RlsReport.Status.FAIL)
        .findFirst()
        .or(() -> q.probes().stream().findFirst())
        .map(p -> p.name() + ": " + p.evidence())
        .orElse(q.evidence());
  }
}
