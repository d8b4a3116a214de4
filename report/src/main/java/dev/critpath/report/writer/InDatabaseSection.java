package dev.critpath.report.writer;

import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.InDatabaseRow;
import dev.critpath.report.model.QueryView;
import dev.critpath.report.model.RunView;
import dev.critpath.run.WriteCommit;
import java.util.Locale;

/**
 * critpath.run_performance_tests() beside the JMH paths: the same SQL and targets, measured inside
 * the database (no network, no driver, each call rolled back) and from the client, with how far
 * apart they are.
 */
final class InDatabaseSection {
  private static final String INTRO =
      "SELECT * FROM critpath.run_performance_tests(); (installed by migrate from the same"
          + " catalog) beside the JMH paths: the ratio JMH p95 / in-db p95 shows what the driver,"
          + " the network and the transaction add to the server's time.";

  private InDatabaseSection() {}

  /** One row as both formats show it. */
  private record Cells(
      String query,
      String p50,
      String p95,
      String jmhP50,
      String jmhP95,
      String ratio,
      String target,
      String verdict,
      String status) {

    static Cells of(InDatabaseRow r, RunView run) {
      QueryView q = run.query(r.query());
      if (q == null) {
        // the runner rolls every call back: a write's JMH counterpart is its rolled-back path
        q = run.query(WriteCommit.ROLLED_BACK.pathName(r.query()));
      }
      Double jmhP50 = q == null ? null : q.latency().p50();
      Double jmhP95 = q == null ? null : q.latency().p95();
      String ratio =
          jmhP95 == null || r.p95Ms() == null || r.p95Ms() <= 0
              ? Fmt.NONE
              : String.format(Locale.ROOT, "%.2fx", jmhP95 / r.p95Ms());
      String status =
          r.error() != null ? "fail" : r.pass() == null ? "skip" : r.pass() ? "pass" : "fail";
      String verdict =
          r.error() != null
              ? "cannot run: " + r.error()
              : r.pass() == null ? Fmt.NONE : r.pass() ? "pass" : "fail";
      return new Cells(
          r.query(),
          Fmt.ms(r.p50Ms()),
          Fmt.ms(r.p95Ms()),
          Fmt.ms(jmhP50),
          Fmt.ms(jmhP95),
          ratio,
          r.target() == null ? Fmt.NONE : r.target(),
          verdict,
          status);
    }
  }

  static void markdown(StringBuilder md, RunView run) {
    md.append("### In-database runner\n\n`")
        .append(INTRO.replace("; (", ";` ("))
        .append("\n\n")
        .append(
            "| query | in-db p50 | in-db p95 | JMH p50 | JMH p95 | JMH / in-db p95 | target |"
                + " in-db verdict |\n")
        .append("|---|---:|---:|---:|---:|---:|---|---|\n");
    for (InDatabaseRow r : run.inDatabase()) {
      Cells c = Cells.of(r, run);
      String icon = c.status().equals("pass") ? "✅ " : c.status().equals("fail") ? "❌ " : "";
      md.append("| `")
          .append(c.query())
          .append("` | ")
          .append(c.p50())
          .append(" | ")
          .append(c.p95())
          .append(" | ")
          .append(c.jmhP50())
          .append(" | ")
          .append(c.jmhP95())
          .append(" | ")
          .append(c.ratio())
          .append(" | ")
          .append(MarkdownWriter.cell(c.target()))
          .append(" | ")
          .append(icon)
          .append(MarkdownWriter.cell(c.verdict()))
          .append(" |\n");
    }
    md.append('\n');
  }

  static void html(StringBuilder h, RunView run) {
    h.append("<section id=\"in-database\"><h2>In-database runner</h2>\n<p>")
        .append(Xml.esc(INTRO))
        .append("</p>\n<table class=\"grid\"><thead><tr><th>query</th><th>in-db p50</th>")
        .append("<th>in-db p95</th><th>JMH p50</th><th>JMH p95</th><th>JMH / in-db p95</th>")
        .append("<th>target</th><th>in-db verdict</th></tr></thead><tbody>\n");
    for (InDatabaseRow r : run.inDatabase()) {
      Cells c = Cells.of(r, run);
      h.append("<tr class=\"")
          .append(c.status())
          .append("\" data-query=\"")
          .append(Xml.esc(c.query()))
          .append("\">");
      for (String cell :
          new String[] {
            c.query(), c.p50(), c.p95(), c.jmhP50(), c.jmhP95(), c.ratio(), c.target(), c.verdict()
          }) {
        h.append("<td>").append(Xml.esc(cell)).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody></table>\n</section>\n");
  }
}
