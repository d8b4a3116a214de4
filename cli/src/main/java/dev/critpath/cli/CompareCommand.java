package dev.critpath.cli;

import dev.critpath.UserError;
import dev.critpath.report.GithubAnnotations;
import dev.critpath.report.StepSummary;
import dev.critpath.report.compare.Compare;
import dev.critpath.report.compare.CompareOptions;
import dev.critpath.report.compare.ComparisonConsole;
import dev.critpath.report.compare.Correction;
import dev.critpath.report.compare.RunDifference;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compare a run with a baseline, query by query: a Mann-Whitney U test on",
      "JMH replicates (per-fork means, or per-iteration scores with too few",
      "forks), corrected for testing many queries at once, plus an effect-size",
      "floor; plan shape, indexes, shared buffers and rows per call as a second",
      "signal that also says why a query got slower.",
      "Writes compare.md, compare.html and compare.json (into CURRENT's",
      "directory unless --out); the Markdown also goes to $GITHUB_STEP_SUMMARY.",
      "Exit 0 no regression, 1 a regression, 2 nothing could be compared."
    })
final class CompareCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BASELINE", description = "Run directory or run.json.")
  Path baseline;

  @Parameters(index = "1", paramLabel = "CURRENT", description = "Run directory or run.json.")
  Path current;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where compare.{md,html,json} go (default: CURRENT's run directory).")
  Path out;

  @Option(
      names = "--threshold",
      paramLabel = "PCT",
      defaultValue = "10%",
      description =
          "Smallest slowdown that counts as a regression, however significant"
              + " (default: ${DEFAULT-VALUE}).")
  String threshold;

  @Option(
      names = "--alpha",
      paramLabel = "P",
      defaultValue = "0.01",
      description =
          "Significance level across all queries (after the correction; default:"
              + " ${DEFAULT-VALUE}).")
  double alpha;

  @Option(
      names = "--correction",
      paramLabel = "METHOD",
      defaultValue = "holm",
      description =
          "holm (no false alarm anywhere, default), bh (Benjamini-Hochberg: more power,"
              + " controls the share of false alarms) or none.")
  String correction;

  @Option(
      names = "--replicates",
      paramLabel = "UNIT",
      defaultValue = "auto",
      description =
          "fork (per-fork means), iteration (per-iteration scores) or auto (fork means with"
              + " at least 5 forks per run, else iterations; default).")
  String replicates;

  @Option(
      names = "--allow-different",
      split = ",",
      paramLabel = "WHAT",
      description =
          "Compare runs that differ in dataset, schema or critpath (version) anyway; by default"
              + " such a pair is refused (exit 2). A pull request that changes schema/ needs"
              + " --allow-different schema.")
  List<String> allowDifferent = new ArrayList<>();

  @Option(
      names = "--allow-inconclusive",
      description =
          "A query twice as slow or worse whose evidence cannot prove or explain it does not fail"
              + " the gate (exit 2 by default); it is still reported as inconclusive.")
  boolean allowInconclusive;

  @Override
  public Integer call() {
    CompareOptions options =
        new CompareOptions(
            percent(threshold),
            alpha,
            Correction.parse(correction),
            CompareOptions.DEFAULT_COUNTER_TOLERANCE,
            replicateUnit(replicates));
    Path outDir = out != null ? out : Compare.defaultOutDir(current);
    Compare.Result result =
        Compare.run(
            baseline,
            current,
            options,
            new Compare.Gate(
                allowDifferent.stream().map(RunDifference::parse).collect(Collectors.toSet()),
                allowInconclusive),
            outDir,
            StepSummary.fromEnvironment());
    PrintWriter console = spec.commandLine().getOut();
    ComparisonConsole.print(result.comparison(), console);
    console.println("compare: wrote compare.md, compare.html, compare.json in " + outDir);
    if (GithubAnnotations.enabled()) {
      result.annotations().forEach(console::println);
    }
    console.flush();
    if (result.problem() != null) {
      throw new UserError(result.problem());
    }
    return result.exitCode().code;
  }

  /** "10%", "10" or "12.5%": a percentage, returned as a fraction. */
  static double percent(String text) {
    String t = text.trim();
    if (t.endsWith("%")) {
      t = t.substring(0, t.length() - 1).trim();
    }
    try {
      return Double.parseDouble(t) / 100;
    } catch (NumberFormatException e) {
      throw new UserError("--threshold takes a percentage such as 10% or 12.5, got '" + text + "'");
    }
  }

  private static CompareOptions.ReplicateUnit replicateUnit(String text) {
    try {
      return CompareOptions.ReplicateUnit.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserError("--replicates takes auto, fork or iteration, got '" + text + "'");
    }
  }
}
