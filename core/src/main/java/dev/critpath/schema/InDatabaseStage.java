package dev.critpath.schema;

import dev.critpath.run.Section;
import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;
import java.util.Locale;

/**
 * critpath.run_performance_tests(), installed by migrate from the same catalog: the numbers a
 * SQL-editor user gets, for the report to set beside the JMH paths'. Its targets are judged by the
 * bench stage; here only a query that cannot run fails the stage.
 *
 * @param calls how often the function runs each query
 */
public record InDatabaseStage(int calls) implements Stage {
  @Override
  public String name() {
    return "in-database";
  }

  @Override
  public Outcome run(StageContext ctx) throws Exception {
    InDatabaseRun result = InDatabaseRun.run(ctx.db(), calls);
    ctx.run().put(Section.IN_DATABASE, result);
    for (InDatabaseRun.Row r : result.errors()) {
      ctx.out().printf("   %-28s cannot run: %s%n", r.query(), r.error());
    }
    String summary =
        String.format(
            Locale.ROOT,
            "critpath.run_performance_tests(%d): %d queries, %d within target, %d could not run",
            result.calls(),
            result.queries().size(),
            result.queries().stream().filter(r -> Boolean.TRUE.equals(r.pass())).count(),
            result.errors().size());
    return result.errors().isEmpty() ? Outcome.ok(summary) : Outcome.failed(summary);
  }
}
