package dev.critpath.explain;

import dev.critpath.ExitCode;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.run.Section;
import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;

/**
 * The explain stage of the default suite: {@code catalog}'s plans captured and checked as {@code
 * options} say, the result into the run's explain section.
 */
public record ExplainStage(QueryCatalog catalog, ExplainRunner.Options options) implements Stage {
  @Override
  public String name() {
    return "explain";
  }

  @Override
  public Outcome run(StageContext ctx) throws Exception {
    ExplainResult r = ExplainRunner.run(ctx.db(), catalog, options, ctx.run(), ctx.out());
    ctx.run().put(Section.EXPLAIN, r);
    ExplainPrinter.print(r, ctx.out(), false);
    String summary =
        String.format(
            "%d queries, %d expectations passed, %d failed%s%s",
            r.queries().size(),
            r.expectationsPassed(),
            r.expectationsFailed(),
            r.expectationsSkipped() > 0
                ? ", " + r.expectationsSkipped() + " skipped on this data"
                : "",
            r.queriesFailed() > 0 ? ", " + r.queriesFailed() + " not explained" : "");
    return new Outcome(exitCode(r), summary);
  }

  /** Expectations failed: 1; a query could not be explained: 2 (broken, not slower). */
  public static ExitCode exitCode(ExplainResult r) {
    ExitCode exit = r.expectationsFailed() > 0 ? ExitCode.FAILED : ExitCode.OK;
    return r.queriesFailed() > 0 ? exit.and(ExitCode.ERROR) : exit;
  }
}
