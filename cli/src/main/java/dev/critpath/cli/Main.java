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
    CommandLine cli = new CommandLine(new CritpathCommand());
    cli.setExecutionExceptionHandler(Main::onExecutionError);
    cli.setParameterExceptionHandler(Main::onUsageError);
    cli.setExitCodeExceptionMapper(e -> ExitCode.ERROR.code);
    return cli.execute(args);
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
    if (e instanceof UserError) {
      err.println("critpath: " + Secrets.redact(e.getMessage()));
    } else {
      // A bug or an environment problem we did not foresee: still one line, still no secrets.
      err.println(
          "critpath: unexpected error: "
              + Secrets.redact(String.valueOf(e))
              + (verbose ? "" : " (run with --verbose for the stack trace)"));
    }
    if (verbose) {
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      err.println(Secrets.redact(trace.toString()));
    }
    err.flush();
    return ExitCode.ERROR.code;
  }
}
