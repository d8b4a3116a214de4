package dev.critpath.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --results}: the directory that holds the run directories, for every command. */
final class ResultsOptions {
  @Option(
      names = "--results",
      paramLabel = "DIR",
      defaultValue = "results",
      description = "Where run directories go (default: ${DEFAULT-VALUE}).")
  Path root;

  /**
   * {@code --no-save}, for the commands that can print without writing: with it, no run directory
   * and none of the files that go into one.
   */
  static final class NoSave {
    @Option(names = "--no-save", description = "Print only: no run directory, no files.")
    boolean noSave;
  }
}
