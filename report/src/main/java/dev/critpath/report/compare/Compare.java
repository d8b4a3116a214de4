package dev.critpath.report.compare;

import dev.critpath.ExitCode;
import dev.critpath.UserError;
import dev.critpath.io.AtomicFiles;
import dev.critpath.report.GithubAnnotations;
import dev.critpath.report.StepSummary;
import dev.critpath.report.compare.Comparison.QueryDiff;
import dev.critpath.report.compare.Comparison.SeriesDiff;
import dev.critpath.report.model.QueryView;
import dev.critpath.report.model.RunReader;
import dev.critpath.report.model.RunView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./run.sh compare BASELINE CURRENT}: reads both runs, compares them, writes compare.md,
 * compare.html and compare.json, and decides the exit code: 0 no regression, 1 a regression, 2
 * nothing could be compared (missing or malformed runs, no query in common with data).
 */
public final class Compare {
  private Compare() {}

  /**
   * The outcome.
   *
   * @param problem why nothing could be compared, null when something was
   * @param annotations a GitHub {@code ::error} command per regressed query, on its catalog file
   */
  public record Result(
      Comparison comparison,
      Map<ComparisonFormat, Path> files,
      ExitCode exitCode,
      String problem,
      List<String> annotations) {}

  /**
   * Compares and writes the files into {@code outDir}.
   *
   * @param stepSummary where to append the Markdown too ($GITHUB_STEP_SUMMARY), or null
   * @throws UserError when either run cannot be read
   */
  public static Result run(
      Path baseline, Path current, CompareOptions options, Path outDir, Path stepSummary) {
    return run(baseline, current, options, Gate.STRICT, outDir, stepSummary);
  }

  /**
   * What the gate lets through.
   *
   * @param allowed differences between the runs compared anyway (else refused, exit 2)
   * @param allowInconclusive an inconclusive query does not fail the gate (it is still reported)
   */
  public record Gate(Set<RunDifference> allowed, boolean allowInconclusive) {
    /** Every difference refused, an inconclusive query fails. */
    public static final Gate STRICT = new Gate(Set.of(), false);

    public Gate {
      allowed = Set.copyOf(allowed);
    }
  }

  /**
   * Compares and writes the files into {@code outDir}, under {@code gate}.
   *
   * @throws UserError when either run cannot be read, or they differ in a way the gate refuses
   *     (nothing is written then)
   */
  public static Result run(
      Path baseline,
      Path current,
      CompareOptions options,
      Gate gate,
      Path outDir,
      Path stepSummary) {
    RunView base = read("baseline", baseline);
    RunView cur = read("current", current);
    RunDifference.refuse(base, cur, gate.allowed());
    Comparison comparison = new RunComparator(options).compare(base, cur);
    Map<ComparisonFormat, Path> files = new LinkedHashMap<>();
    String markdown = null;
    for (ComparisonFormat format : ComparisonFormat.values()) {
      String content = ComparisonWriters.create(format).render(comparison);
      Path file = outDir.resolve(format.fileName());
      AtomicFiles.writeString(file, content);
      files.put(format, file);
      if (format == ComparisonFormat.MARKDOWN) {
        markdown = content;
      }
    }
    StepSummary.append(stepSummary, markdown);
    if (!comparison.anythingCompared()) {
      String problem =
          base.queries().isEmpty()
              ? "the baseline run holds no query results (" + baseline + "): nothing to compare"
              : cur.queries().isEmpty()
                  ? "the current run holds no query results (" + current + "): nothing to compare"
                  : "no query could be compared (none with data in both runs, or every"
                      + " comparison inconclusive): nothing to compare";
      return new Result(comparison, files, ExitCode.ERROR, problem, List.of());
    }
    List<String> annotations = annotations(comparison, cur);
    if (!comparison.regressions().isEmpty()) {
      return new Result(comparison, files, ExitCode.FAILED, null, annotations);
    }
    long inconclusive = comparison.count(Comparison.Status.INCONCLUSIVE);
    if (inconclusive > 0 && !gate.allowInconclusive()) {
      // never a pass: the timing contradicts itself, as the headline says too
      return new Result(
          comparison,
          files,
          ExitCode.ERROR,
          inconclusive
              + (inconclusive == 1 ? " query" : " queries")
              + " inconclusive (see the notes for the evidence missing): re-run both with"
              + " ./run.sh ci on a quiet machine, or pass --allow-inconclusive",
          annotations);
    }
    return new Result(comparison, files, ExitCode.OK, null, annotations);
  }

  /** A regressed query's error sits on its catalog file's first line, where its name is. */
  private static List<String> annotations(Comparison comparison, RunView current) {
    List<String> out = new ArrayList<>();
    for (QueryDiff q : comparison.regressions()) {
      QueryView view = current.query(q.name());
      String file = view == null || view.source() == null ? null : view.source() + ":1";
      SeriesDiff s = q.primary();
      String message =
          (s == null ? "regressed" : s.label() + ": " + Words.change(s))
              + (q.causes().isEmpty() ? "" : "; " + String.join("; ", q.causes()));
      out.add(GithubAnnotations.error(file, "critpath regression: " + q.name(), message));
    }
    return out;
  }

  /** Where the files go by default: the current run's directory. */
  public static Path defaultOutDir(Path current) {
    Path file = RunReader.runJson(current).toAbsolutePath();
    return file.getParent();
  }

  private static RunView read(String which, Path path) {
    if (!Files.exists(path)) {
      throw new UserError(
          which
              + " run not found: "
              + path
              + " (pass a run directory such as results/<run-id>, or its run.json)");
    }
    try {
      return RunReader.read(path);
    } catch (UserError e) {
      throw new UserError(which + " run unusable: " + e.getMessage(), e);
    }
  }
}
