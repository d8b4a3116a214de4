package dev.critpath.cli;

import picocli.CommandLine.Option;

/** Options every command accepts. */
public final class GlobalOptions {
  /** Read by the error handler, which runs outside any command instance. */
  static volatile boolean verbose;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print stack traces and debug logs.")
  void setVerbose(boolean value) {
    verbose = value;
    if (value) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
    }
  }
}
