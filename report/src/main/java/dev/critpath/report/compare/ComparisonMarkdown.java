package dev.critpath.report.compare;

import dev.critpath.report.compare.Comparison.QueryDiff;
import dev.critpath.report.compare.Comparison.SeriesDiff;
import dev.critpath.report.model.Fmt;

/** The comparison as GitHub-flavoured Markdown (also the job summary). */
final class ComparisonMarkdown implements ComparisonWriter {

  /**
   * The first line, hidden when rendered: a pull-request comment bot finds its earlier comment by
   * it and updates that one instead of adding another.
   */
  static final String STICKY_MARKER = "<!-- critpath-compare -->";

  @Override
  public ComparisonFormat format() {
    return ComparisonFormat.MARKDOWN;
  }

  @Override
  public String render(Comparison c) {
    StringBuilder md = new StringBuilder(STICKY_MARKER).append('\n');
    md.append("## critpath compare ")
        .append(verdictIcon(c))
        .append(Words.headline(c))
        .append(" — `")
        .append(c.baseline().runId())
        .append("` → `")
        .append(c.current().runId())
        .append("`\n\n");
    for (String w : c.warnings()) {
      md.append("> ⚠️ ").append(line(w)).append("\n>\n");
    }
    if (!c.warnings().isEmpty()) {
      md.setLength(md.length() - 2);
      md.append('\n');
    }
    md.append("| query | status | baseline | current | change | p (adj.) | why |\n");
    md.append("|---|---|---:|---:|---:|---:|---|\n");
    for (QueryDiff q : c.queries()) {
      SeriesDiff s = q.primary();
      md.append("| `")
          .append(q.name())
          .append("` | ")
          .append(Words.icon(q.status()))
          .append(' ')
          .append(Words.status(q.status()))
          .append(" | ")
          .append(s == null ? Fmt.NONE : Words.value(s, s.baselineMedian()))
          .append(" | ")
          .append(s == null ? Fmt.NONE : Words.value(s, s.currentMedian()))
          .append(" | ")
          .append(cell(Words.rowChange(q, c.options().effectFloor())))
          .append(" | ")
          .append(s == null ? Fmt.NONE : Words.p(s.adjustedP()))
          .append(" | ")
          .append(cell(Words.why(q)))
          .append(" |\n");
    }
    md.append('\n');
    boolean anySeries = c.queries().stream().anyMatch(q -> !q.series().isEmpty());
    if (anySeries) {
      everyConfiguration(md, c);
    }
    boolean anyCounters = c.queries().stream().anyMatch(q -> !q.counters().isEmpty());
    if (anyCounters) {
      counters(md, c);
    }
    md.append("<sub>Method: ").append(Words.method(c)).append("</sub>\n");
    return md.toString();
  }

  /** The verdict before anything else: regressed, inconclusive (the gate fails too), or fine. */
  private static String verdictIcon(Comparison c) {
    if (!c.regressions().isEmpty()) {
      return "❌ ";
    }
    return c.count(Comparison.Status.INCONCLUSIVE) > 0 ? "❔ " : "✅ ";
  }

  private static void everyConfiguration(StringBuilder md, Comparison c) {
    md.append("<details><summary>Every configuration</summary>\n\n");
    md.append(
        "| query | configuration | replicates | baseline median | current median | change | p | p adj. | verdict |\n");
    md.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (QueryDiff q : c.queries()) {
      for (SeriesDiff s : q.series()) {
        md.append("| `")
            .append(q.name())
            .append("` | ")
            .append(cell(s.label()))
            .append(" | ")
            .append(s.baseline().size())
            .append(" vs ")
            .append(s.current().size())
            .append(' ')
            .append(s.replicateUnit())
            .append(s.baseline().size() == 1 ? "" : "s")
            .append(" | ")
            .append(Words.value(s, s.baselineMedian()))
            .append(" | ")
            .append(Words.value(s, s.currentMedian()))
            .append(" | ")
            .append(Words.change(s))
            .append(" | ")
            .append(Words.p(s.pValue()))
            .append(" | ")
            .append(Words.p(s.adjustedP()))
            .append(" | ")
            .append(s.verdict().name().toLowerCase(java.util.Locale.ROOT))
            .append(" |\n");
      }
    }
    md.append("\n</details>\n\n");
  }

  private static void counters(StringBuilder md, Comparison c) {
    md.append("<details><summary>Counters (second signal)</summary>\n\n");
    md.append("| query | counter | baseline | current | worse |\n|---|---|---|---|---|\n");
    for (QueryDiff q : c.queries()) {
      for (Comparison.CounterDiff d : q.counters()) {
        md.append("| `")
            .append(q.name())
            .append("` | ")
            .append(d.name())
            .append(" | ")
            .append(cell(d.baseline()))
            .append(" | ")
            .append(cell(d.current()))
            .append(" | ")
            .append(d.worse() ? "⚠️ yes" : "no")
            .append(" |\n");
      }
    }
    md.append("\n</details>\n\n");
  }

  private static String cell(String text) {
    if (text == null || text.isEmpty()) {
      return Fmt.NONE;
    }
    return line(text).replace("|", "\\|");
  }

  private static String line(String text) {
    return text.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
