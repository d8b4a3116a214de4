package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.Secrets;
import dev.critpath.UserError;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the runnable jar: wires picocli to critpath's exit-code contract. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns the exit code (tests call this instead of main). */
  public static int run(String... args) {
    // Before anything parses them: a malformed URL's error must not show its password.
    Secrets.registerEnvironment(System.getenv());
    for (String arg : args) {
      Secrets.registerUrlCredentials(
          arg.startsWith("-") ? arg.substring(arg.indexOf('=') + 1) : arg);
    }
    CommandLine cli = new CommandLine(new CritpathCommand());
    cli.setExecutionExceptionHandler(Main::onExecutionError);
    cli.setParameterExceptionHandler(Main::onUsageError);
    cli.setExitCodeExceptionMapper(e -> ExitCode.ERROR.code);
    cli.setExecutionStrategy(
        parseResult -> {
          refuseSuiteOptionsBeforeACommand(parseResult);
          LogFile.route(GlobalOptions.verbose);
          return new CommandLine.RunLast().execute(parseResult);
        });
    try {
      return cli.execute(args);
    } finally {
      LogFile.removeIfEmpty();
    }
  }

  /**
   * Options before a command belong to the default suite, which does not run then: refused, never
   * silently dropped ({@code --verbose} applies wherever it stands).
   */
  private static void refuseSuiteOptionsBeforeACommand(CommandLine.ParseResult parseResult) {
    if (!parseResult.hasSubcommand()) {
      return;
    }
    String command = parseResult.subcommand().commandSpec().name();
    for (CommandLine.Model.OptionSpec option : parseResult.matchedOptions()) {
      if (option.usageHelp() || option.versionHelp() || option.longestName().equals("--verbose")) {
        continue;
      }
      throw new CommandLine.ParameterException(
          parseResult.commandSpec().commandLine(),
          option.longestName()
              + " before the command '"
              + command
              + "' would not apply to it: put it after the command (critpath "
              + command
              + " "
              + option.longestName()
              + " ...)");
    }
  }

  /** Bad options: one line naming the problem and where to look, exit 2. */
  private static int onUsageError(CommandLine.ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println(
        "critpath: "
            + Secrets.redact(e.getMessage())
            + " (see "
            + e.getCommandLine().getCommandSpec().qualifiedName()
            + " --help)");
    return ExitCode.ERROR.code;
  }

  private static int onExecutionError(
      Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
    boolean verbose = GlobalOptions.verbose;
    PrintWriter err = cmd.getErr();
    java.io.StringWriter trace = new java.io.StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    String redactedTrace = Secrets.redact(trace.toString());
    java.nio.file.Path log =
        verbose || e instanceof UserError ? null : LogFile.append(redactedTrace);
    if (e instanceof UserError) {
      err.println("critpath: " + Secrets.redact(e.getMessage()));
    } else if (e instanceof java.io.UncheckedIOException io) {
      // a file critpath needed could not be read or written: the path and what to check
      err.println(
          "critpath: "
              + Secrets.redact(io.getMessage())
              + "; fix: check that the path exists, is writable and its disk has space");
    } else {
      // A bug or an environment problem we did not foresee: still one line, still no secrets.
      err.println(
          "critpath: unexpected error: "
              + Secrets.redact(String.valueOf(e))
              + (verbose
                  ? ""
                  : log != null
                      ? " (stack trace in " + log + ")"
                      : " (run with --verbose for the stack trace)"));
    }
    if (verbose) {
      err.println(redactedTrace);
    }
    err.flush();
    return ExitCode.ERROR.code;
  }
}
