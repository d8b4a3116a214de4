package dev.critpath.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --schema DIR}: the user's own Flyway migrations instead of the reference schema. */
final class SchemaOptions {
  @Option(
      names = "--schema",
      paramLabel = "DIR",
      description =
          "Your own Flyway migrations (V1__name.sql, ...) instead of the reference schema.")
  Path dir;
}
