package dev.critpath.report.compare;

/** The factory of comparison writers. */
public final class ComparisonWriters {
  private ComparisonWriters() {}

  public static ComparisonWriter create(ComparisonFormat format) {
    switch (format) {
      case MARKDOWN:
        return new ComparisonMarkdown();
      case HTML:
        return new ComparisonHtml();
      case JSON:
        return new ComparisonJson();
      default:
        throw new IllegalArgumentException("no writer for " + format);
    }
  }
}
