package dev.critpath.report.writer;

import java.util.Locale;

/** The report files written for every run, each from run.json alone. */
public enum ReportFormat {
  /** GitHub-flavoured Markdown; also appended to $GITHUB_STEP_SUMMARY. */
  MARKDOWN("report.md"),
  /** JUnit XML: each threshold and expectation a testcase, for CI test tabs. */
  JUNIT("junit.xml"),
  /** One self-contained HTML file with charts; works offline. */
  HTML("report.html"),
  /** Bencher Metric Format JSON ({@code bencher run --adapter json}). */
  BENCHER("bencher.json"),
  /**
   * github-action-benchmark's custom JSON of the latencies (tool {@code customSmallerIsBetter}).
   */
  BENCHMARK_ACTION_SMALLER("benchmark-action-smaller.json"),
  /**
   * github-action-benchmark's custom JSON of the throughputs (tool {@code customBiggerIsBetter}).
   */
  BENCHMARK_ACTION_BIGGER("benchmark-action-bigger.json");

  private final String fileName;

  ReportFormat(String fileName) {
    this.fileName = fileName;
  }

  /** The file name inside the run directory. */
  public String fileName() {
    return fileName;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
