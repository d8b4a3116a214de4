package dev.critpath.report.compare;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.io.Json;
import dev.critpath.report.compare.Comparison.QueryDiff;
import dev.critpath.report.compare.Comparison.SeriesDiff;
import dev.critpath.report.model.Fmt;
import dev.critpath.report.writer.ChartJs;
import dev.critpath.report.writer.Xml;
import java.util.Locale;

/** The comparison as one self-contained HTML page, with each query's replicates side by side. */
final class ComparisonHtml implements ComparisonWriter {

  @Override
  public ComparisonFormat format() {
    return ComparisonFormat.HTML;
  }

  @Override
  public String render(Comparison c) {
    boolean regressed = !c.regressions().isEmpty();
    StringBuilder h = new StringBuilder(ChartJs.script().length() + 32_000);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<link rel=\"icon\" href=\"data:,\">\n<title>critpath compare · ")
        .append(Xml.esc(Words.headline(c)))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<header><h1>critpath compare <span class=\"verdict ")
        .append(regressed ? "fail" : "pass")
        .append("\" id=\"verdict\">")
        .append(Xml.esc(Words.headline(c)))
        .append("</span></h1>\n<p>baseline <code>")
        .append(Xml.esc(c.baseline().runId()))
        .append("</code>")
        .append(commit(c.baseline()))
        .append(" → current <code>")
        .append(Xml.esc(c.current().runId()))
        .append("</code>")
        .append(commit(c.current()))
        .append("</p>\n");
    if (!c.warnings().isEmpty()) {
      h.append("<ul class=\"warnings\">\n");
      c.warnings().forEach(w -> h.append("<li>").append(Xml.esc(w)).append("</li>\n"));
      h.append("</ul>\n");
    }
    h.append("</header>\n<main>\n");
    summary(h, c);
    ObjectNode data = Json.mapper().createObjectNode();
    ArrayNode charts = data.putArray("queries");
    for (int i = 0; i < c.queries().size(); i++) {
      QueryDiff q = c.queries().get(i);
      if (!q.series().isEmpty() || !q.counters().isEmpty()) {
        query(h, q, i, charts);
      }
    }
    h.append("<p class=\"note\">Method: ").append(Xml.esc(Words.method(c))).append("</p>\n");
    h.append("</main>\n<script>\n")
        .append(ChartJs.script())
        .append("\n</script>\n<script type=\"application/json\" id=\"critpath-data\">")
        .append(data.toString().replace("<", "\\u003c"))
        .append("</script>\n<script>\n")
        .append(SCRIPT)
        .append("</script>\n</body>\n</html>\n");
    return h.toString();
  }

  /** One row a query: status, primary configuration's medians and change, why. */
  private static void summary(StringBuilder h, Comparison c) {
    h.append("<section><table class=\"grid\"><thead><tr><th>query</th>")
        .append("<th>status</th><th>baseline</th><th>current</th><th>change</th>")
        .append("<th>p (adj.)</th><th>why</th></tr></thead><tbody>\n");
    for (int i = 0; i < c.queries().size(); i++) {
      QueryDiff q = c.queries().get(i);
      SeriesDiff s = q.primary();
      h.append("<tr class=\"")
          .append(q.status().name().toLowerCase(Locale.ROOT))
          .append("\" data-query=\"")
          .append(Xml.esc(q.name()))
          .append("\"><td><a href=\"#c")
          .append(i)
          .append("\">")
          .append(Xml.esc(q.name()))
          .append("</a></td><td>")
          .append(Xml.esc(Words.status(q.status())))
          .append("</td><td>")
          .append(s == null ? Fmt.NONE : Xml.esc(Words.value(s, s.baselineMedian())))
          .append("</td><td>")
          .append(s == null ? Fmt.NONE : Xml.esc(Words.value(s, s.currentMedian())))
          .append("</td><td>")
          .append(Xml.esc(Words.rowChange(q, c.options().effectFloor())))
          .append("</td><td>")
          .append(s == null ? Fmt.NONE : Xml.esc(Words.p(s.adjustedP())))
          .append("</td><td>")
          .append(Xml.esc(Words.why(q)))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table></section>\n");
  }

  /** A query's section: causes, its configurations with their replicate charts, counters, notes. */
  private static void query(StringBuilder h, QueryDiff q, int i, ArrayNode charts) {
    h.append("<section class=\"query\" id=\"c")
        .append(i)
        .append("\"><h2>")
        .append(Xml.esc(q.name()))
        .append(" <small>")
        .append(Xml.esc(Words.status(q.status())))
        .append("</small></h2>\n");
    if (!q.causes().isEmpty()) {
      h.append("<ul class=\"causes\">");
      q.causes().forEach(x -> h.append("<li>").append(Xml.esc(x)).append("</li>"));
      h.append("</ul>\n");
    }
    if (!q.series().isEmpty()) {
      series(h, q, i, charts);
    }
    if (!q.counters().isEmpty()) {
      counters(h, q);
    }
    q.notes().forEach(n -> h.append("<p class=\"note\">").append(Xml.esc(n)).append("</p>\n"));
    h.append("</section>\n");
  }

  private static void series(StringBuilder h, QueryDiff q, int i, ArrayNode charts) {
    h.append("<table class=\"grid\"><thead><tr><th>configuration</th><th>replicates</th>")
        .append("<th>baseline median</th><th>current median</th><th>change</th><th>p</th>")
        .append("<th>p adj.</th><th>verdict</th></tr></thead><tbody>\n");
    for (int j = 0; j < q.series().size(); j++) {
      SeriesDiff s = q.series().get(j);
      h.append("<tr><td>")
          .append(Xml.esc(s.label()))
          .append("</td><td>")
          .append(s.baseline().size())
          .append(" vs ")
          .append(s.current().size())
          .append(' ')
          .append(s.replicateUnit())
          .append("s</td><td>")
          .append(Xml.esc(Words.value(s, s.baselineMedian())))
          .append("</td><td>")
          .append(Xml.esc(Words.value(s, s.currentMedian())))
          .append("</td><td>")
          .append(Xml.esc(Words.change(s)))
          .append("</td><td>")
          .append(Xml.esc(Words.p(s.pValue())))
          .append("</td><td>")
          .append(Xml.esc(Words.p(s.adjustedP())))
          .append("</td><td>")
          .append(s.verdict().name().toLowerCase(Locale.ROOT))
          .append("</td></tr>\n");
      String id = "r" + i + "-" + j;
      ObjectNode chart = charts.addObject();
      chart.put("id", id);
      chart.put("unit", s.unit());
      s.baseline().forEach(chart.putArray("baseline")::add);
      s.current().forEach(chart.putArray("current")::add);
    }
    h.append("</tbody></table>\n<div class=\"charts\">\n");
    for (int j = 0; j < q.series().size(); j++) {
      h.append("<figure><figcaption>")
          .append(Xml.esc(q.series().get(j).label()))
          .append(": replicates</figcaption><div class=\"chart\"><canvas id=\"r")
          .append(i)
          .append('-')
          .append(j)
          .append("\"></canvas></div></figure>\n");
    }
    h.append("</div>\n");
  }

  private static void counters(StringBuilder h, QueryDiff q) {
    h.append("<table class=\"grid\"><thead><tr><th>counter</th><th>baseline</th>")
        .append("<th>current</th></tr></thead><tbody>\n");
    for (Comparison.CounterDiff d : q.counters()) {
      h.append("<tr class=\"")
          .append(d.worse() ? "regressed" : "")
          .append("\"><td>")
          .append(Xml.esc(d.name()))
          .append("</td><td>")
          .append(Xml.esc(d.baseline()))
          .append("</td><td>")
          .append(Xml.esc(d.current()))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  private static String commit(Comparison.Run run) {
    if (run.gitCommit() == null) {
      return "";
    }
    String c = run.gitCommit();
    return " @ <code>" + Xml.esc(c.length() > 12 ? c.substring(0, 12) : c) + "</code>";
  }

  private static final String CSS =
      """
      body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
      header, main { max-width: 1200px; margin: 0 auto; padding: 12px 20px; }
      header { background: #fff; border-bottom: 1px solid #d0d7de; }
      h1 { font-size: 22px; } h2 { font-size: 17px; }
      section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px;
                padding: 12px 16px; margin: 14px 0; }
      .verdict { padding: 2px 10px; border-radius: 12px; color: #fff; }
      .verdict.pass { background: #1a7f37; } .verdict.fail { background: #cf222e; }
      ul.warnings li { color: #9a6700; }
      table.grid { border-collapse: collapse; width: 100%; }
      table.grid th, table.grid td { border-bottom: 1px solid #d8dee4; padding: 4px 8px;
                                     text-align: left; vertical-align: top; }
      tr.regressed td { background: #ffebe9; } tr.improved td { background: #dafbe1; }
      tr.changed td { background: #fff8c5; }
      .charts { display: flex; flex-wrap: wrap; gap: 12px; }
      figure { margin: 0; flex: 1 1 340px; } figcaption, .note { color: #57606a; font-size: 12px; }
      .chart { position: relative; height: 200px; }
      """;

  private static final String SCRIPT =
      ChartJs.PAGE_SCRIPT_START
          + """
        function points(values, x) {
          return values.map(function (v, i) {
            return { x: x + (values.length > 1 ? (i / (values.length - 1) - 0.5) * 0.5 : 0), y: v };
          });
        }
        data.queries.forEach(function (q) {
          var el = document.getElementById(q.id);
          if (!el) { return; }
          window.critpathCharts.push(new Chart(el, { type: 'scatter',
            data: { datasets: [
              { label: 'baseline', data: points(q.baseline, 1), backgroundColor: '#4e79a7' },
              { label: 'current', data: points(q.current, 2), backgroundColor: '#e15759' }] },
            options: { scales: {
              x: { min: 0.5, max: 2.5, ticks: { stepSize: 1, callback: function (v) {
                     return v === 1 ? 'baseline' : v === 2 ? 'current' : ''; } } },
              y: { title: { display: true, text: q.unit } } } } }));
        });
      })();
      """;
}
