package dev.critpath.report.writer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.report.model.FindingView;
import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.ParamSampling;
import dev.critpath.report.model.QueryView;
import dev.critpath.report.model.RunView;
import dev.critpath.report.model.ThroughputPoint;
import dev.critpath.report.model.VariantView;
import java.util.List;
import java.util.Locale;

/**
 * The query summary table and one section per query: facts, SQL, checks, charts, variants, plan.
 */
final class QuerySection {
  private QuerySection() {}

  static void summary(StringBuilder h, RunView run) {
    h.append("<section id=\"summary\"><h2>Queries</h2>\n<table class=\"grid\">\n<thead><tr>")
        .append("<th>query</th><th>p50</th><th>p95</th><th>p99</th><th>max</th><th>target</th>")
        .append(
            "<th>server mean</th><th>buffers/call</th><th>verdict</th></tr></thead>\n<tbody>\n");
    for (int i = 0; i < run.queries().size(); i++) {
      QueryView q = run.queries().get(i);
      h.append("<tr class=\"")
          .append(q.verdict().name().toLowerCase(Locale.ROOT))
          .append("\"><td><a href=\"#q")
          .append(i)
          .append("\">")
          .append(Xml.esc(q.name()))
          .append("</a></td><td>")
          .append(Fmt.ms(q.latency().p50()))
          .append("</td><td>")
          .append(Fmt.ms(q.latency().p95()))
          .append("</td><td>")
          .append(Fmt.ms(q.latency().p99()))
          .append("</td><td>")
          .append(Fmt.ms(q.latency().max()))
          .append("</td><td>")
          .append(Xml.esc(Describe.target(q)))
          .append("</td><td>")
          .append(Fmt.ms(q.server().meanExecMs()))
          .append("</td><td>")
          .append(Fmt.num(Describe.buffersPerCall(q)))
          .append("</td><td>")
          .append(HtmlWriter.word(q.verdict()))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table></section>\n");
  }

  static void query(StringBuilder h, QueryView q, String id, ArrayNode data) {
    h.append("<section class=\"query\" id=\"")
        .append(id)
        .append("\" data-query=\"")
        .append(Xml.esc(q.name()))
        .append("\">\n<h2>")
        .append(Xml.esc(q.name()))
        .append(" <span class=\"pill ")
        .append(q.verdict().name().toLowerCase(Locale.ROOT))
        .append("\">")
        .append(HtmlWriter.word(q.verdict()))
        .append("</span></h2>\n");
    if (q.about() != null) {
      h.append("<p class=\"about\">").append(Xml.esc(q.about())).append("</p>\n");
    }
    facts(h, q);
    if (q.sql() != null) {
      h.append("<details><summary>SQL</summary><pre class=\"sql\">")
          .append(Xml.esc(q.sql().strip()))
          .append("</pre></details>\n");
    }
    HtmlWriter.checks(h, q.checks());
    charts(h, q, id, data);
    ConcurrencySection.html(h, q);
    variants(h, q);
    if (!q.notes().isEmpty()) {
      h.append("<ul class=\"notes\">\n");
      q.notes().forEach(n -> h.append("<li>").append(Xml.esc(n)).append("</li>\n"));
      h.append("</ul>\n");
    }
    PlanSection.html(h, q);
    planWarnings(h, q.warnings());
    h.append("</section>\n");
  }

  private static void facts(StringBuilder h, QueryView q) {
    h.append("<table class=\"facts\">\n");
    if (q.role() != null) {
      HtmlWriter.row(h, "role", q.role());
    }
    for (ParamSampling p : q.params()) {
      HtmlWriter.row(h, "param " + p.name(), p.sampling() == null ? Fmt.NONE : p.sampling());
    }
    if (q.mode() != null) {
      HtmlWriter.row(h, "JMH mode", q.mode());
    }
    if (q.latency().mean() != null) {
      HtmlWriter.row(
          h,
          "mean",
          Fmt.ms(q.latency().mean())
              + (q.latency().error() == null ? "" : " ± " + Fmt.ms(q.latency().error())));
    }
    if (q.latency().samples() != null) {
      HtmlWriter.row(h, "samples", Fmt.count(q.latency().samples()));
    }
    if (!q.server().isEmpty()) {
      var s = q.server();
      HtmlWriter.row(
          h,
          "server (pg_stat_statements)",
          Fmt.count(s.calls())
              + " calls, mean exec "
              + Fmt.ms(s.meanExecMs())
              + ", rows/call "
              + Fmt.num(s.rowsPerCall())
              + ", shared buffers/call "
              + Fmt.num(s.sharedBuffersPerCall())
              + " (read "
              + Fmt.num(s.sharedReadPerCall())
              + ")");
    }
    h.append("</table>\n");
  }

  /** The query's charts, their data added to {@code data}. */
  private static void charts(StringBuilder h, QueryView q, String id, ArrayNode data) {
    ObjectNode d = data.addObject();
    d.put("id", id);
    d.put("name", q.name());
    h.append("<div class=\"charts\">\n");
    if (HtmlWriter.percentiles(d, q.latency(), q.targetMs())) {
      boolean drawn = d.path("percentiles").has("target");
      HtmlWriter.chart(
          h,
          "pct-" + id,
          "latency percentiles"
              + (q.target() == null
                  ? ""
                  : drawn ? " (dashed: target)" : " (target " + q.target() + ", far above)"));
    }
    HistogramBins.Binned hist = HistogramBins.rebin(q.latency().histogram());
    if (!hist.labels().isEmpty()) {
      ObjectNode hd = d.putObject("histogram");
      hist.labels().forEach(hd.putArray("labels")::add);
      hist.counts().forEach(hd.putArray("counts")::add);
      HtmlWriter.chart(h, "hist-" + id, "latency histogram");
    }
    if (!q.throughput().isEmpty()) {
      ObjectNode td = d.putObject("throughput");
      ArrayNode threads = td.putArray("threads");
      ArrayNode ops = td.putArray("ops");
      ArrayNode p95 = td.putArray("p95");
      for (ThroughputPoint t : q.throughput()) {
        threads.add(t.threads());
        ops.add(HtmlWriter.round(t.opsPerSec()));
        if (t.p95Ms() == null) {
          p95.addNull();
        } else {
          p95.add(HtmlWriter.round(t.p95Ms()));
        }
      }
      HtmlWriter.chart(h, "thr-" + id, "throughput vs concurrency");
    }
    h.append("</div>\n");
  }

  private static void planWarnings(StringBuilder h, List<FindingView> warnings) {
    if (!warnings.isEmpty()) {
      h.append("<h3>Plan warnings</h3>\n<ul class=\"warnings\">\n");
      for (FindingView w : warnings) {
        h.append("<li class=\"")
            .append(Xml.esc(w.severity()))
            .append("\">")
            .append(w.subject() == null ? "" : "<b>" + Xml.esc(w.subject()) + "</b>: ")
            .append(Xml.esc(w.message()))
            .append(w.fix() == null ? "" : " <i>Fix: " + Xml.esc(w.fix()) + "</i>")
            .append("</li>\n");
      }
      h.append("</ul>\n");
    }
  }

  /** Side by side when there are several, and always when one lost connections: it says so. */
  private static void variants(StringBuilder h, QueryView q) {
    if (q.variants().size() < 2 && Describe.connectionErrors(q) == null) {
      return;
    }
    h.append("<table class=\"grid variants\"><thead><tr><th>variant</th><th>p50</th><th>p95</th>")
        .append("<th>p99</th><th>mean</th><th>server mean</th><th>client − server</th>")
        .append("<th>status</th></tr></thead><tbody>\n");
    for (VariantView v : q.variants()) {
      h.append("<tr><td>")
          .append(Xml.esc(v.name()))
          .append("</td><td>")
          .append(Fmt.ms(v.latency().p50()))
          .append("</td><td>")
          .append(Fmt.ms(v.latency().p95()))
          .append("</td><td>")
          .append(Fmt.ms(v.latency().p99()))
          .append("</td><td>")
          .append(Fmt.ms(v.latency().mean()))
          .append("</td><td>")
          .append(Fmt.ms(v.server().meanExecMs()))
          .append("</td><td>")
          .append(Fmt.ms(v.clientMinusServerMs()))
          .append("</td><td>")
          .append(Xml.esc(v.status() == null ? Fmt.NONE : v.status()))
          .append(v.reason() == null ? "" : ": " + Xml.esc(v.reason()))
          .append(
              v.connectionErrors() == null
                  ? ""
                  : "; <span class=\"connection-errors\">"
                      + Xml.esc(v.connectionErrors().describe())
                      + "</span>")
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }
}
