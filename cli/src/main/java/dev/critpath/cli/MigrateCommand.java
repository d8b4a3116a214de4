package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.db.Database;
import dev.critpath.schema.Migrator;
import java.nio.file.Path;
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
      "and no critpath marker unless --allow-unmarked is given."
    })
final class MigrateCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin DatabaseOptions database;
  @Spec CommandSpec spec;

  @Option(
      names = "--schema",
      paramLabel = "DIR",
      description =
          "Your own Flyway migrations (V1__name.sql, ...) instead of the reference schema.")
  Path schemaDir;

  @Override
  public Integer call() {
    try (Database db = database.open()) {
      Migrator.Result result = Migrator.migrate(db, schemaDir, database.allowUnmarked);
      spec.commandLine()
          .getOut()
          .printf(
              "migrate: %s is at schema version %s (%d migration%s applied)%n",
              db.description(),
              result.version(),
              result.applied(),
              result.applied() == 1 ? "" : "s");
      return ExitCode.OK.code;
    }
  }
}
