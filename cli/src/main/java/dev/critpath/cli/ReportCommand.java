package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.UserError;
import dev.critpath.report.ConsoleSummary;
import dev.critpath.report.Reports;
import dev.critpath.report.model.RunReader;
import dev.critpath.report.schema.RunSchema;
import dev.critpath.run.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Re-render a run's reports from its run.json: report.md, report.html",
      "(self-contained, works offline) and junit.xml, written beside run.json;",
      "the Markdown also goes to $GITHUB_STEP_SUMMARY when set. Reads files",
      "only, so it works on results copied from CI.",
      "Exit code follows the run: 0 pass, 1 fail, 2 error or did not complete."
    })
final class ReportCommand implements Callable<Integer> {
  /** How many schema violations to print before summarising the rest. */
  private static final int SHOWN_VIOLATIONS = 5;

  @Mixin GlobalOptions global;
  @Mixin ResultsOptions results;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "RUN",
      description = "A run directory or its run.json (default: RESULTS/latest).")
  Path run;

  @Option(names = "--schema", description = "Print run.json's JSON Schema and exit.")
  boolean printSchema;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (printSchema) {
      out.print(RunSchema.text());
      out.flush();
      return ExitCode.OK.code;
    }
    Path target = run != null ? run : results.root.resolve(RunDirectory.LATEST);
    Path runJson = RunReader.runJson(target);
    if (!Files.isRegularFile(runJson)) {
      throw new UserError(
          "no run at "
              + target
              + (run == null
                  ? ": run ./run.sh (or ./run.sh bench) first, or pass a run directory"
                  : ": pass a run directory (results/<run-id>) or its run.json"));
    }
    List<String> violations = RunSchema.validate(runJson);
    if (!violations.isEmpty()) {
      out.println(
          "report: warning: "
              + runJson
              + " departs from the run.json schema in "
              + violations.size()
              + " place"
              + (violations.size() == 1 ? "" : "s")
              + " (see ./run.sh report --schema):");
      violations.stream().limit(SHOWN_VIOLATIONS).forEach(v -> out.println("  " + v));
      if (violations.size() > SHOWN_VIOLATIONS) {
        out.println("  ... and " + (violations.size() - SHOWN_VIOLATIONS) + " more");
      }
    }
    Reports.Written written = Reports.writeAll(runJson.toAbsolutePath().normalize().getParent());
    ConsoleSummary.print(written.run(), written.html(), out);
    written.run().notes().forEach(n -> out.println("  note: " + n));
    out.flush();
    switch (written.run().effectiveVerdict()) {
      case "pass":
        return ExitCode.OK.code;
      case "fail":
        return ExitCode.FAILED.code;
      default:
        return ExitCode.ERROR.code;
    }
  }
}
