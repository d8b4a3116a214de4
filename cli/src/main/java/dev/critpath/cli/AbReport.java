package dev.critpath.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.ExitCode;
import dev.critpath.UserError;
import dev.critpath.io.AtomicFiles;
import dev.critpath.io.Json;
import dev.critpath.report.GithubAnnotations;
import dev.critpath.report.StepSummary;
import dev.critpath.report.compare.CompareOptions;
import dev.critpath.report.compare.Comparison;
import dev.critpath.report.compare.ComparisonConsole;
import dev.critpath.report.compare.ComparisonFormat;
import dev.critpath.report.compare.ComparisonWriters;
import dev.critpath.report.compare.PairedComparator;
import dev.critpath.report.model.RunReader;
import dev.critpath.run.PairedRounds;
import dev.critpath.run.RunDirectory;
import dev.critpath.run.Section;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The verdict of an A/B run: the paired test per series, the section in run.json, compare.md,
 * compare.html and compare.json beside it, the console table and the exit code (0 no regression, 1
 * a regression, 2 nothing compared or a x2 slowdown the rounds disagree on).
 */
final class AbReport {
  private AbReport() {}

  /** Judges freshly measured rounds and stores them, judged, in the run. */
  static ExitCode judge(
      PairedRounds measured, RunDirectory run, CompareOptions options, PrintWriter out) {
    PairedComparator.Judged judged =
        new PairedComparator(options)
            .judge(measured, run.record().getRunId(), run.path().toString());
    run.put(Section.AB, measured.withVerdicts(judged.verdicts()));
    return write(judged.comparison(), run.path(), options, out);
  }

  /**
   * {@code --rounds-from DIR}: judges the rounds stored in DIR again and rewrites its compare
   * files.
   *
   * @throws UserError when DIR holds no paired rounds
   */
  static int rejudge(Path dir, CompareOptions options, PrintWriter out) {
    Path file = RunReader.runJson(dir);
    if (!Files.isRegularFile(file)) {
      throw new UserError(
          "--rounds-from "
              + dir
              + ": no run.json there (pass the run directory ./run.sh ab wrote)");
    }
    PairedRounds stored;
    try {
      JsonNode section =
          Json.mapper().readTree(file.toFile()).path("sections").path(Section.AB.key());
      if (section.isMissingNode() || section.isNull()) {
        throw new UserError(
            "--rounds-from "
                + dir
                + ": the run holds no paired rounds (no section '"
                + Section.AB.key()
                + "' in run.json; it was not written by ./run.sh ab): run ./run.sh ab, or compare"
                + " two separate runs with ./run.sh compare BASELINE CURRENT");
      }
      stored = Json.mapper().treeToValue(section, PairedRounds.class);
    } catch (IOException e) {
      throw new UserError(
          "--rounds-from "
              + dir
              + ": run.json is unreadable ("
              + e.getMessage()
              + "); re-run ./run.sh ab",
          e);
    }
    Path runDir = file.toAbsolutePath().getParent();
    Comparison c =
        new PairedComparator(options)
            .judge(stored, runDir.getFileName().toString(), runDir.toString())
            .comparison();
    return write(c, runDir, options, out).code;
  }

  private static ExitCode write(
      Comparison comparison, Path dir, CompareOptions options, PrintWriter out) {
    String markdown = null;
    for (ComparisonFormat format : ComparisonFormat.values()) {
      String content = ComparisonWriters.create(format).render(comparison);
      AtomicFiles.writeString(dir.resolve(format.fileName()), content);
      if (format == ComparisonFormat.MARKDOWN) {
        markdown = content;
      }
    }
    StepSummary.append(StepSummary.fromEnvironment(), markdown);
    ComparisonConsole.print(comparison, out);
    out.println("ab: wrote compare.md, compare.html, compare.json in " + dir);
    if (GithubAnnotations.enabled()) {
      for (Comparison.QueryDiff q : comparison.regressions()) {
        out.println(
            GithubAnnotations.error(
                null, "critpath regression: " + q.name(), String.join("; ", q.causes())));
      }
    }
    out.flush();
    if (!comparison.anythingCompared()) {
      throw new UserError(
          "no path could be compared (every series failed or had too few rounds): see compare.md"
              + " in "
              + dir);
    }
    if (!comparison.regressions().isEmpty()) {
      return ExitCode.FAILED;
    }
    if (comparison.count(Comparison.Status.INCONCLUSIVE) > 0) {
      throw new UserError(
          "a path is x2 slower in the median round but the rounds disagree (inconclusive, see"
              + " compare.md): re-run with more --rounds on a quieter runner");
    }
    return ExitCode.OK;
  }
}
