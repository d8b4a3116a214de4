package dev.critpath.report.writer;

import dev.critpath.report.model.CheckResult;
import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.RlsView;
import dev.critpath.report.model.Status;
import java.util.Locale;
import java.util.Map;

/**
 * The tenant-boundary check in Markdown and HTML: per read path, what the member of B got and what
 * each probe (a member of another business, anon) got with B's parameters.
 */
final class RlsSection {
  private RlsSection() {}

  static void markdown(StringBuilder md, RlsView rls) {
    md.append("### Row-level security\n\n").append(summary(rls)).append("\n\n");
    md.append("| read path | scope | member of B | probes | result |\n");
    md.append("|---|---|---:|---|---|\n");
    for (RlsView.ReadPath p : rls.paths()) {
      md.append("| `")
          .append(p.query())
          .append("` | ")
          .append(MarkdownWriter.cell(p.scope()))
          .append(" | ")
          .append(rows(p.memberRows()))
          .append(" | ")
          .append(MarkdownWriter.cell(probes(p)))
          .append(" | ")
          .append(result(p))
          .append(" |\n");
    }
    md.append('\n');
    if (!rls.skipped().isEmpty()) {
      md.append("Not checked: ");
      String sep = "";
      for (Map.Entry<String, String> e : rls.skipped().entrySet()) {
        md.append(sep)
            .append('`')
            .append(e.getKey())
            .append("` (")
            .append(MarkdownWriter.line(e.getValue()))
            .append(')');
        sep = ", ";
      }
      md.append(".\n\n");
    }
  }

  static void html(StringBuilder h, RlsView rls) {
    h.append("<section id=\"rls\"><h2>Row-level security</h2>\n<p>")
        .append(Xml.esc(summary(rls)))
        .append("</p>\n<table class=\"grid\"><thead><tr><th>read path</th><th>scope</th>")
        .append("<th>member of B</th><th>probe</th><th>rows</th><th>result</th>")
        .append("<th>evidence</th></tr></thead><tbody>\n");
    for (RlsView.ReadPath p : rls.paths()) {
      for (CheckResult c : p.checks()) {
        h.append("<tr class=\"")
            .append(c.status().name().toLowerCase(Locale.ROOT))
            .append("\" data-query=\"")
            .append(Xml.esc(p.query()))
            .append("\"><td>")
            .append(Xml.esc(p.query()))
            .append("</td><td>")
            .append(Xml.esc(p.scope() == null ? Fmt.NONE : p.scope()))
            .append("</td><td>")
            .append(rows(p.memberRows()))
            .append("</td><td>")
            .append(Xml.esc(c.name()))
            .append("</td><td>")
            .append(Xml.esc(outcome(c)))
            .append("</td><td>")
            .append(word(c.status()))
            .append("</td><td>")
            .append(Xml.esc(c.evidence() == null ? Fmt.NONE : c.evidence()))
            .append("</td></tr>\n");
      }
    }
    h.append("</tbody></table>\n");
    rls.skipped()
        .forEach(
            (query, reason) ->
                h.append("<p class=\"note\">not checked: ")
                    .append(Xml.esc(query))
                    .append(" (")
                    .append(Xml.esc(reason))
                    .append(")</p>\n"));
    h.append("</section>\n");
  }

  /** "10 read paths: 3 isolated, 7 leaked, 0 inconclusive." */
  private static String summary(RlsView rls) {
    return rls.paths().size()
        + (rls.paths().size() == 1 ? " read path: " : " read paths: ")
        + rls.passed()
        + " isolated, "
        + rls.failed()
        + " leaked, "
        + rls.inconclusive()
        + " inconclusive.";
  }

  /** "member of another business ❌ 50 rows; anon ✅ refused" (or the inconclusive evidence). */
  private static String probes(RlsView.ReadPath p) {
    if (p.probes().isEmpty()) {
      return p.evidence();
    }
    StringBuilder out = new StringBuilder();
    for (CheckResult c : p.checks()) {
      out.append(out.length() == 0 ? "" : "; ")
          .append(c.name())
          .append(' ')
          .append(c.status().symbol())
          .append(' ')
          .append(outcome(c));
    }
    return out.toString();
  }

  /** Rows a probe got; a probe without rows that held was refused outright. */
  private static String outcome(CheckResult c) {
    return c.actual() != null ? c.actual() : c.status() == Status.PASS ? "refused" : Fmt.NONE;
  }

  private static String result(RlsView.ReadPath p) {
    return p.verdict() == Status.SKIP ? "➖ inconclusive" : MarkdownWriter.verdict(p.verdict());
  }

  private static String word(Status s) {
    return s == Status.SKIP ? "inconclusive" : HtmlWriter.word(s);
  }

  private static String rows(Long n) {
    return n == null ? Fmt.NONE : Fmt.count(n);
  }
}
