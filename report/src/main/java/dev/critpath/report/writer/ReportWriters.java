package dev.critpath.report.writer;

/** The factory of report writers. */
public final class ReportWriters {
  private ReportWriters() {}

  public static ReportWriter create(ReportFormat format) {
    switch (format) {
      case MARKDOWN:
        return new MarkdownWriter();
      case JUNIT:
        return new JUnitWriter();
      case HTML:
        return new HtmlWriter();
      case BENCHER:
        return new BencherWriter();
      case BENCHMARK_ACTION_SMALLER:
        return new BenchmarkActionWriter(false);
      case BENCHMARK_ACTION_BIGGER:
        return new BenchmarkActionWriter(true);
      default:
        throw new IllegalArgumentException("no writer for " + format);
    }
  }
}
