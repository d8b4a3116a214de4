package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.db.Database;
import dev.critpath.explain.ExplainPrinter;
import dev.critpath.explain.ExplainResult;
import dev.critpath.explain.ExplainRunner;
import dev.critpath.explain.ExplainStage;
import dev.critpath.run.Section;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Capture and analyse the plan of every catalog query: EXPLAIN (ANALYZE, BUFFERS,",
      "SETTINGS) as the query's role, for its hottest and coldest parameters, plus the generic",
      "plan prepared statements switch to; statements inside functions via auto_explain.",
      "Writes are always rolled back, and only executed on a database with critpath's marker",
      "(else plain EXPLAIN, with the reason; --allow-unmarked executes them). Checks the",
      "catalog's expectations, warns by rule (seq scans, misestimates, spills, ...), and asks",
      "what-if questions about indexes: measured with real indexes built and dropped in",
      "rolled-back transactions on a database critpath owns, planned with hypopg elsewhere.",
      "Raw plans go to results/<run-id>/explain/<query>[-variant].json.",
      "Exit 1 when an expectation failed, 2 when a query could not be explained."
    })
final class ExplainCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin DatabaseOptions database;
  @Mixin CatalogOptions catalog;
  @Mixin ResultsOptions results;
  @Mixin ResultsOptions.NoSave print;
  @Spec CommandSpec spec;

  @Option(
      names = "--no-what-if",
      description = "Skip the what-if analysis (hidden and candidate indexes).")
  boolean noWhatIf;

  @Option(names = "--all", description = "Also list info-level plan notes and passed checks.")
  boolean all;

  @Override
  public Integer call() throws Exception {
    QueryCatalog queries =
        catalog.queries.isEmpty() ? QueryCatalog.builtin() : QueryCatalog.load(catalog.queries);
    queries.select(catalog.only); // unknown names fail before any database is touched
    PrintWriter out = spec.commandLine().getOut();
    if (!print.noSave) {
      RunSession.checkWritable(results);
    }
    try (Database db = database.open();
        RunSession session = print.noSave ? null : RunSession.start(results, "explain")) {
      out.println(DatabaseOptions.using(db));
      ExplainRunner.Options options =
          new ExplainRunner.Options(
              catalog.only,
              Duration.ofSeconds(database.statementTimeoutSeconds),
              catalog.seed,
              !noWhatIf,
              database.allowUnmarked);
      ExplainResult result =
          session == null
              ? ExplainRunner.run(db, queries, options, null, out)
              : session.measure(run -> ExplainRunner.run(db, queries, options, run, out));
      out.println();
      ExplainPrinter.print(result, out, all);
      ExitCode exit = ExplainStage.exitCode(result);
      if (session != null) {
        session.run().put(Section.EXPLAIN, result);
        session.finish(RunSession.verdict(exit));
        out.println("explain: results in " + session.path());
      }
      return exit.code;
    }
  }
}
