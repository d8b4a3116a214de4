package dev.critpath.report;

import dev.critpath.io.AtomicFiles;
import dev.critpath.report.model.RunReader;
import dev.critpath.report.model.RunView;
import dev.critpath.report.writer.ReportFormat;
import dev.critpath.report.writer.ReportWriters;
import dev.critpath.run.RunDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes every report of a run (report.md, report.html, junit.xml) from its run.json, and appends
 * the Markdown to {@code $GITHUB_STEP_SUMMARY} when that is set. The default suite calls {@link
 * #writeAll(RunDirectory)} at the end of every run; {@code ./run.sh report} re-renders the same
 * files from a copied results directory.
 */
public final class Reports {
  private Reports() {}

  /** What was written: the run as read, and each format's file. */
  public record Written(RunView run, Map<ReportFormat, Path> files) {
    public Path html() {
      return files.get(ReportFormat.HTML);
    }
  }

  /** Saves the run's run.json as it stands, then writes every report from the file. */
  public static Written writeAll(RunDirectory run) {
    run.save();
    return writeAll(run.path());
  }

  /**
   * The end of a run: saves run.json, writes every report and prints the console summary (each
   * query's p95, target and verdict, failed checks, the path of report.html).
   */
  public static Written finish(RunDirectory run, java.io.PrintWriter out) {
    Written written = writeAll(run);
    ConsoleSummary.print(written.run(), written.html(), out);
    return written;
  }

  /** Writes every report into the run directory {@code dir}, read from its run.json. */
  public static Written writeAll(Path dir) {
    return writeAll(RunReader.read(dir), dir, StepSummary.fromEnvironment());
  }

  /**
   * Writes every report of {@code run} into {@code dir}; the Markdown also goes to {@code
   * stepSummary} unless that is null.
   */
  public static Written writeAll(RunView run, Path dir, Path stepSummary) {
    Map<ReportFormat, Path> files = new LinkedHashMap<>();
    String markdown = null;
    for (ReportFormat format : ReportFormat.values()) {
      String content = ReportWriters.create(format).render(run);
      Path file = dir.resolve(format.fileName());
      AtomicFiles.writeString(file, content);
      files.put(format, file);
      if (format == ReportFormat.MARKDOWN) {
        markdown = content;
      }
    }
    StepSummary.append(stepSummary, markdown);
    return new Written(run, files);
  }
}
