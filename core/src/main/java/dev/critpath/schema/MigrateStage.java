package dev.critpath.schema;

import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;
import java.nio.file.Path;

/**
 * The suite's first stage: the schema (the reference one, or the Flyway migrations in {@code
 * schemaDir}) brought up to date. Nothing after it can run without it.
 *
 * @param schemaDir Flyway migrations instead of the reference schema, or null
 * @param allowUnmarked migrate a database critpath did not mark as its own
 */
public record MigrateStage(Path schemaDir, boolean allowUnmarked) implements Stage {
  @Override
  public String name() {
    return "migrate";
  }

  @Override
  public boolean prerequisite() {
    return true;
  }

  @Override
  public Outcome run(StageContext ctx) {
    Migrator.Result r = Migrator.migrate(ctx.db(), schemaDir, allowUnmarked);
    return Outcome.ok("schema version " + r.version() + " (" + r.applied() + " applied)");
  }
}
