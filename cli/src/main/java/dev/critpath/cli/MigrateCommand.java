package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.UserError;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.db.Database;
import dev.critpath.io.AtomicFiles;
import dev.critpath.schema.Migrator;
import dev.critpath.schema.PerformanceTestsSql;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Create or update the reference schema (tables, indexes, RLS, functions, views).",
      "Idempotent: a second run applies nothing. Refuses databases that hold other data",
      "and no critpath marker unless --allow-unmarked is given. Also installs",
      "critpath.run_performance_tests(), generated from the query catalog: run it from any SQL",
      "editor with SELECT * FROM critpath.run_performance_tests();"
    })
final class MigrateCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin DatabaseOptions database;
  @Spec CommandSpec spec;

  @Mixin SchemaOptions schema;

  @Option(
      names = "--queries",
      paramLabel = "DIR",
      description =
          "The catalog run_performance_tests() is generated from (default: the reference catalog"
              + " with the reference schema, none with --schema); repeat to merge, 'builtin'"
              + " names the reference catalog.")
  List<String> queries = new ArrayList<>();

  @Option(
      names = "--runner-sql",
      paramLabel = "FILE",
      description =
          "Also write the generated run_performance_tests() script to FILE, to paste into a SQL"
              + " editor (Supabase's) where critpath cannot connect.")
  Path runnerSql;

  @Override
  public Integer call() {
    QueryCatalog catalog =
        !queries.isEmpty()
            ? QueryCatalog.load(queries)
            : schema.dir == null ? QueryCatalog.builtin() : null;
    if (runnerSql != null) {
      if (catalog == null) {
        throw new UserError(
            "--runner-sql needs a catalog: with --schema, name your queries with --queries DIR");
      }
      AtomicFiles.writeString(runnerSql, PerformanceTestsSql.generate(catalog));
      spec.commandLine()
          .getOut()
          .printf("migrate: wrote the in-database runner to %s%n", runnerSql);
    }
    try (Database db = database.open()) {
      Migrator.Result result = Migrator.migrate(db, schema.dir, database.allowUnmarked, catalog);
      spec.commandLine()
          .getOut()
          .printf(
              "migrate: %s is at schema version %s (%d migration%s applied)%n",
              db.description(),
              result.version(),
              result.applied(),
              result.applied() == 1 ? "" : "s");
      if (catalog != null) {
        spec.commandLine()
            .getOut()
            .printf(
                "migrate: critpath.run_performance_tests() installed for %d catalog queries%n",
                catalog.queries().size());
      }
      return ExitCode.OK.code;
    }
  }
}
