package dev.critpath.report.writer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.report.model.CheckResult;
import dev.critpath.report.model.Finding;
import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.HttpFile;
import dev.critpath.report.model.HttpScenario;
import dev.critpath.report.model.Latency;
import dev.critpath.report.model.ParamSampling;
import dev.critpath.report.model.PlanNode;
import dev.critpath.report.model.QueryView;
import dev.critpath.report.model.RunView;
import dev.critpath.report.model.Status;
import dev.critpath.report.model.ThroughputPoint;
import dev.critpath.report.model.VariantView;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML file: tables and plan trees rendered here, charts drawn in the browser by
 * the inlined Chart.js from a JSON block. No network access, no CDN.
 */
final class HtmlWriter implements ReportWriter {
  private static final String[] PERCENTILES = {"p50", "p90", "p95", "p99", "p99.9", "max"};
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Draw the target line only when it is at most this many times the slowest bar. */
  static final double TARGET_SCALE = 3;

  @Override
  public ReportFormat format() {
    return ReportFormat.HTML;
  }

  @Override
  public String render(RunView run) {
    String verdict = run.effectiveVerdict();
    StringBuilder h = new StringBuilder(ChartJs.script().length() + 64_000);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<link rel=\"icon\" href=\"data:,\">\n")
        .append("<title>critpath ")
        .append(Xml.esc(Describe.verdictWord(verdict)))
        .append(" · ")
        .append(Xml.esc(run.runId()))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n");

    h.append("<header><h1>critpath <span class=\"verdict ")
        .append(Xml.esc(verdict))
        .append("\" id=\"verdict\">")
        .append(Xml.esc(Describe.verdictWord(verdict)))
        .append("</span></h1>\n<table class=\"facts\">\n");
    for (Map.Entry<String, String> e : Describe.facts(run).entrySet()) {
      h.append("<tr><th>")
          .append(Xml.esc(e.getKey()))
          .append("</th><td>")
          .append(Xml.esc(e.getValue()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
    settings(h, run);
    h.append("</header>\n<main>\n");

    ObjectNode data = NODES.objectNode();
    ArrayNode queryData = data.putArray("queries");
    if (!run.queries().isEmpty()) {
      summary(h, run);
      for (int i = 0; i < run.queries().size(); i++) {
        query(h, run.queries().get(i), "q" + i, queryData);
      }
    } else {
      h.append("<p class=\"empty\">This run holds no query results.</p>\n");
    }
    indexHealth(h, run.indexFindings());
    if (!run.inDatabase().isEmpty()) {
      InDatabaseSection.html(h, run);
    }
    ArrayNode httpData = data.putArray("http");
    if (!run.http().isEmpty()) {
      h.append("<section id=\"http\"><h2>HTTP scenarios</h2>\n");
      int n = 0;
      for (HttpFile f : run.http()) {
        h.append("<h3>")
            .append(Xml.esc(f.name()))
            .append(" <span class=\"pill ")
            .append(f.status().name().toLowerCase(Locale.ROOT))
            .append("\">")
            .append(word(f.status()))
            .append("</span></h3>\n");
        if (f.description() != null) {
          h.append("<p class=\"about\">").append(Xml.esc(f.description())).append("</p>\n");
        }
        checks(h, f.checks());
        f.notes().forEach(x -> h.append("<p class=\"note\">").append(Xml.esc(x)).append("</p>\n"));
        for (HttpScenario s : f.scenarios()) {
          scenario(h, s, "h" + n++, httpData);
        }
      }
      h.append("</section>\n");
    }
    if (!run.realtime().isEmpty()) {
      RealtimeSection.html(h, run.realtime(), data);
    }
    if (run.rls() != null) {
      RlsSection.html(h, run.rls());
    }
    if (!run.notes().isEmpty()) {
      h.append("<section id=\"notes\"><h2>Notes</h2><ul>\n");
      run.notes().forEach(n -> h.append("<li>").append(Xml.esc(n)).append("</li>\n"));
      h.append("</ul></section>\n");
    }
    h.append("</main>\n<footer>critpath report · charts by Chart.js ")
        .append(Xml.esc(ChartJs.version()))
        .append(" (MIT), inlined</footer>\n");
    h.append("<script>\n").append(ChartJs.script()).append("\n</script>\n");
    h.append("<script type=\"application/json\" id=\"critpath-data\">")
        .append(json(data))
        .append("</script>\n<script>\n")
        .append(CHART_SCRIPT)
        .append("</script>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void settings(StringBuilder h, RunView run) {
    if (run.environment() == null || run.environment().postgres() == null) {
      return;
    }
    var pg = run.environment().postgres();
    h.append(
        "<details><summary>Server settings and extensions</summary>\n<table class=\"facts\">\n");
    if (pg.server() != null) {
      row(h, "server", pg.server());
    }
    if (pg.settings() != null) {
      pg.settings().forEach((k, v) -> row(h, k, v));
    }
    if (pg.extensions() != null) {
      StringBuilder ext = new StringBuilder();
      pg.extensions()
          .forEach(
              e ->
                  ext.append(ext.length() == 0 ? "" : ", ")
                      .append(e.name())
                      .append(' ')
                      .append(e.version()));
      row(h, "extensions", ext.toString());
    }
    h.append("</table></details>\n");
  }

  static void row(StringBuilder h, String key, String value) {
    h.append("<tr><th>")
        .append(Xml.esc(key))
        .append("</th><td>")
        .append(Xml.esc(value))
        .append("</td></tr>\n");
  }

  private static void summary(StringBuilder h, RunView run) {
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
          .append(word(q.verdict()))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table></section>\n");
  }

  private static void query(StringBuilder h, QueryView q, String id, ArrayNode data) {
    h.append("<section class=\"query\" id=\"")
        .append(id)
        .append("\" data-query=\"")
        .append(Xml.esc(q.name()))
        .append("\">\n<h2>")
        .append(Xml.esc(q.name()))
        .append(" <span class=\"pill ")
        .append(q.verdict().name().toLowerCase(Locale.ROOT))
        .append("\">")
        .append(word(q.verdict()))
        .append("</span></h2>\n");
    if (q.about() != null) {
      h.append("<p class=\"about\">").append(Xml.esc(q.about())).append("</p>\n");
    }
    h.append("<table class=\"facts\">\n");
    if (q.role() != null) {
      row(h, "role", q.role());
    }
    for (ParamSampling p : q.params()) {
      row(h, "param " + p.name(), p.sampling() == null ? Fmt.NONE : p.sampling());
    }
    if (q.mode() != null) {
      row(h, "JMH mode", q.mode());
    }
    if (q.latency().mean() != null) {
      row(
          h,
          "mean",
          Fmt.ms(q.latency().mean())
              + (q.latency().error() == null ? "" : " ± " + Fmt.ms(q.latency().error())));
    }
    if (q.latency().samples() != null) {
      row(h, "samples", Fmt.count(q.latency().samples()));
    }
    if (!q.server().isEmpty()) {
      var s = q.server();
      row(
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
    if (q.sql() != null) {
      h.append("<details><summary>SQL</summary><pre class=\"sql\">")
          .append(Xml.esc(q.sql().strip()))
          .append("</pre></details>\n");
    }
    checks(h, q.checks());

    ObjectNode d = data.addObject();
    d.put("id", id);
    d.put("name", q.name());
    h.append("<div class=\"charts\">\n");
    if (percentiles(d, q.latency(), q.targetMs())) {
      boolean drawn = d.path("percentiles").has("target");
      chart(
          h,
          "pct-" + id,
          "latency percentiles"
              + (q.target() == null
                  ? ""
                  : drawn ? " (dashed: target)" : " (target " + q.target() + ", far above)"));
    }
    Histograms.Binned hist = Histograms.rebin(q.latency().histogram());
    if (!hist.labels().isEmpty()) {
      ObjectNode hd = d.putObject("histogram");
      hist.labels().forEach(hd.putArray("labels")::add);
      hist.counts().forEach(hd.putArray("counts")::add);
      chart(h, "hist-" + id, "latency histogram");
    }
    if (!q.throughput().isEmpty()) {
      ObjectNode td = d.putObject("throughput");
      ArrayNode threads = td.putArray("threads");
      ArrayNode ops = td.putArray("ops");
      ArrayNode p95 = td.putArray("p95");
      for (ThroughputPoint t : q.throughput()) {
        threads.add(t.threads());
        ops.add(round(t.opsPerSec()));
        if (t.p95Ms() == null) {
          p95.addNull();
        } else {
          p95.add(round(t.p95Ms()));
        }
      }
      chart(h, "thr-" + id, "throughput vs concurrency");
    }
    h.append("</div>\n");
    variants(h, q);
    if (!q.notes().isEmpty()) {
      h.append("<ul class=\"notes\">\n");
      q.notes().forEach(n -> h.append("<li>").append(Xml.esc(n)).append("</li>\n"));
      h.append("</ul>\n");
    }
    plan(h, q);
    if (!q.warnings().isEmpty()) {
      h.append("<h3>Plan warnings</h3>\n<ul class=\"warnings\">\n");
      for (Finding w : q.warnings()) {
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
    h.append("</section>\n");
  }

  /** Adds the percentile series to the chart data; false when there is none. */
  private static boolean percentiles(ObjectNode d, Latency l, Double targetMs) {
    ArrayNode labels = NODES.arrayNode();
    ArrayNode values = NODES.arrayNode();
    for (String p : PERCENTILES) {
      Double v = l.get(p);
      if (v != null) {
        labels.add(p);
        values.add(round(v));
      }
    }
    if (values.isEmpty()) {
      return false;
    }
    ObjectNode pd = d.putObject("percentiles");
    pd.set("labels", labels);
    pd.set("values", values);
    double highest = 0;
    for (var v : values) {
      highest = Math.max(highest, v.asDouble());
    }
    // a target far above every bar would flatten them; the caption names it instead
    if (targetMs != null && targetMs <= TARGET_SCALE * highest) {
      pd.put("target", targetMs);
    }
    return true;
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

  static void chart(StringBuilder h, String id, String title) {
    h.append("<figure><figcaption>")
        .append(Xml.esc(title))
        .append("</figcaption><div class=\"chart\"><canvas id=\"")
        .append(id)
        .append("\"></canvas></div></figure>\n");
  }

  static void checks(StringBuilder h, List<CheckResult> checks) {
    if (checks.isEmpty()) {
      return;
    }
    h.append("<table class=\"grid checks\"><thead><tr><th>kind</th><th>check</th><th>result</th>")
        .append("<th>actual</th><th>evidence</th></tr></thead><tbody>\n");
    for (CheckResult c : checks) {
      h.append("<tr class=\"")
          .append(c.status().name().toLowerCase(Locale.ROOT))
          .append("\"><td>")
          .append(c.kind().label())
          .append("</td><td>")
          .append(Xml.esc(c.name()))
          .append("</td><td>")
          .append(word(c.status()))
          .append("</td><td>")
          .append(Xml.esc(c.actual() == null ? Fmt.NONE : c.actual()))
          .append("</td><td>")
          .append(Xml.esc(c.evidence() == null ? Fmt.NONE : c.evidence()))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  private static void plan(StringBuilder h, QueryView q) {
    var plan = q.plan();
    if (plan.isEmpty()) {
      return;
    }
    h.append("<h3>Plan</h3>\n");
    h.append("<p class=\"planfacts\">");
    if (plan.executionMs() != null) {
      h.append("execution ").append(Fmt.ms(plan.executionMs())).append(" · ");
    }
    if (plan.planningMs() != null) {
      h.append("planning ").append(Fmt.ms(plan.planningMs())).append(" · ");
    }
    if (!plan.indexesUsed().isEmpty()) {
      h.append("indexes ").append(Xml.esc(String.join(", ", plan.indexesUsed()))).append(" · ");
    }
    if (plan.fingerprint() != null) {
      h.append("fingerprint <code>").append(Xml.esc(plan.fingerprint())).append("</code>");
    }
    if (plan.file() != null) {
      h.append(" · raw plan <code>").append(Xml.esc(plan.file())).append("</code>");
    }
    h.append("</p>\n");
    if (plan.root() == null) {
      if (plan.shape() != null) {
        h.append("<p class=\"shape\">").append(Xml.esc(plan.shape())).append("</p>\n");
      }
      return;
    }
    Double rootTotal = plan.root().totalMs();
    h.append("<ul class=\"plan\">\n");
    node(h, plan.root(), plan.hotNodeId(), rootTotal);
    h.append("</ul>\n");
  }

  private static void node(StringBuilder h, PlanNode n, int hotId, Double rootTotal) {
    boolean hot = n.id() == hotId && n.exclusiveMs() != null;
    h.append("<li class=\"node").append(hot ? " hot" : "").append("\"");
    if (hot) {
      h.append(" id=\"hot-node\" title=\"the node with the most exclusive time\"");
    }
    h.append("><span class=\"label\">").append(Xml.esc(n.label())).append("</span>");
    if (hot) {
      h.append(" <span class=\"hotmark\">▲ hot node</span>");
    }
    StringBuilder m = new StringBuilder();
    if (n.exclusiveMs() != null) {
      m.append(Fmt.ms(n.exclusiveMs())).append(" self");
      if (rootTotal != null && rootTotal > 0) {
        m.append(" (").append(Fmt.percent(n.exclusiveMs() / rootTotal)).append(')');
      }
    }
    if (n.rows() != null) {
      m.append(m.length() == 0 ? "" : " · ").append("rows ").append(Fmt.rows(n.rows()));
      if (n.planRows() != null) {
        m.append(" (est. ").append(Fmt.rows(n.planRows())).append(')');
      }
    } else if (n.planRows() != null) {
      m.append(m.length() == 0 ? "" : " · ").append("est. rows ").append(Fmt.rows(n.planRows()));
    }
    if (n.loops() != null && n.loops() > 1) {
      m.append(" · loops ").append(n.loops());
    }
    if (n.sharedHit() != null || n.sharedRead() != null) {
      m.append(" · buffers hit ")
          .append(n.sharedHit() == null ? 0 : n.sharedHit())
          .append(" read ")
          .append(n.sharedRead() == null ? 0 : n.sharedRead());
    }
    Double mis = n.misestimate();
    if (mis != null && mis >= 10) {
      m.append(" · misestimate ×").append(Fmt.num(mis));
    }
    if (m.length() > 0) {
      h.append(" <span class=\"metrics\">").append(Xml.esc(m.toString())).append("</span>");
    }
    if (!n.details().isEmpty()) {
      h.append("<div class=\"details\">");
      n.details().forEach(d -> h.append("<div>").append(Xml.esc(d)).append("</div>"));
      h.append("</div>");
    }
    if (!n.children().isEmpty()) {
      h.append("\n<ul>\n");
      n.children().forEach(c -> node(h, c, hotId, rootTotal));
      h.append("</ul>");
    }
    h.append("</li>\n");
  }

  private static void indexHealth(StringBuilder h, List<Finding> findings) {
    h.append("<section id=\"index-health\"><h2>Index health</h2>\n");
    if (findings.isEmpty()) {
      h.append("<p class=\"empty\">No index health findings in this run.</p></section>\n");
      return;
    }
    h.append("<table class=\"grid findings\"><thead><tr><th>severity</th><th>rule</th>")
        .append("<th>subject</th><th>finding</th><th>fix</th></tr></thead><tbody>\n");
    for (Finding f : findings) {
      h.append("<tr class=\"")
          .append(Xml.esc(f.severity()))
          .append("\"><td>")
          .append(Xml.esc(f.severity()))
          .append("</td><td>")
          .append(Xml.esc(f.rule() == null ? Fmt.NONE : f.rule()))
          .append("</td><td>")
          .append(Xml.esc(f.subject() == null ? Fmt.NONE : f.subject()))
          .append("</td><td>")
          .append(Xml.esc(f.message() == null ? Fmt.NONE : f.message()))
          .append("</td><td>")
          .append(f.fix() == null ? Fmt.NONE : "<code>" + Xml.esc(f.fix()) + "</code>")
          .append("</td></tr>\n");
    }
    h.append("</tbody></table></section>\n");
  }

  private static void scenario(StringBuilder h, HttpScenario s, String id, ArrayNode data) {
    h.append("<div class=\"scenario\" id=\"")
        .append(id)
        .append("\" data-scenario=\"")
        .append(Xml.esc(s.name()))
        .append("\">\n<h4>")
        .append(Xml.esc(s.name()))
        .append("</h4>\n<table class=\"facts\">\n");
    if (s.executor() != null) {
      row(h, "executor", s.executor());
    }
    row(
        h,
        "requests",
        Fmt.count(s.requests())
            + ", errors "
            + Fmt.count(s.errors())
            + (s.errorRate() == null ? "" : " (" + Fmt.percent(s.errorRate()) + ")")
            + (s.droppedIterations() == null
                ? ""
                : ", dropped " + Fmt.count(s.droppedIterations())));
    if (s.requestsPerSec() != null) {
      row(h, "throughput", Fmt.num(s.requestsPerSec()) + " req/s");
    }
    h.append("</table>\n");
    ObjectNode d = data.addObject();
    d.put("id", id);
    d.put("name", s.name());
    h.append("<div class=\"charts\">\n");
    if (percentiles(d, s.latency(), null)) {
      chart(h, "pct-" + id, "latency percentiles");
    }
    if (!s.timeline().isEmpty()) {
      ObjectNode td = d.putObject("timeline");
      ArrayNode t = td.putArray("t");
      ArrayNode rps = td.putArray("rps");
      ArrayNode p95 = td.putArray("p95");
      for (HttpScenario.TimePoint p : s.timeline()) {
        t.add(round(p.second()));
        if (p.requestsPerSec() == null) {
          rps.addNull();
        } else {
          rps.add(round(p.requestsPerSec()));
        }
        if (p.p95Ms() == null) {
          p95.addNull();
        } else {
          p95.add(round(p.p95Ms()));
        }
      }
      chart(h, "tl-" + id, "requests per second and p95 over time");
    }
    h.append("</div>\n</div>\n");
  }

  static String word(Status s) {
    return s == Status.PASS ? "✓ pass" : s == Status.FAIL ? "✗ fail" : "–";
  }

  static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }

  /** JSON safe inside a script element: no "<" can end it early. */
  private static String json(ObjectNode data) {
    return data.toString().replace("<", "\\u003c");
  }

  private static final String CSS =
      """
      :root { --pass: #1a7f37; --fail: #cf222e; --warn: #9a6700; --muted: #57606a; }
      body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0;
             color: #1f2328; background: #f6f8fa; }
      header, main, footer { max-width: 1200px; margin: 0 auto; padding: 12px 20px; }
      header { background: #fff; border-bottom: 1px solid #d0d7de; }
      h1 { font-size: 22px; margin: 8px 0; }
      h2 { font-size: 18px; margin: 0 0 8px; }
      h3 { font-size: 15px; margin: 14px 0 6px; }
      section, .scenario { background: #fff; border: 1px solid #d0d7de; border-radius: 6px;
                           padding: 12px 16px; margin: 14px 0; }
      .verdict { padding: 2px 10px; border-radius: 12px; color: #fff; background: var(--warn); }
      .verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); }
      .pill { font-size: 12px; font-weight: normal; padding: 1px 8px; border-radius: 10px;
              border: 1px solid #d0d7de; }
      .pill.fail { color: var(--fail); border-color: var(--fail); }
      .pill.pass { color: var(--pass); border-color: var(--pass); }
      table { border-collapse: collapse; }
      table.facts th { text-align: left; color: var(--muted); font-weight: normal;
                       padding: 1px 12px 1px 0; vertical-align: top; }
      table.grid { width: 100%; margin: 6px 0; }
      table.grid th, table.grid td { border-bottom: 1px solid #d8dee4; padding: 4px 8px;
                                     text-align: left; vertical-align: top; }
      table.checks td:nth-child(3) { white-space: nowrap; }
      table.findings code { white-space: pre-wrap; } /* a fix of several statements, one a line */
      tr.fail td, tr.error td { background: #ffebe9; } tr.warn td { background: #fff8c5; }
      pre.sql { background: #f6f8fa; padding: 8px; overflow-x: auto; }
      .charts { display: flex; flex-wrap: wrap; gap: 12px; }
      figure { margin: 0; flex: 1 1 340px; min-width: 300px; }
      figcaption { color: var(--muted); font-size: 12px; }
      .chart { position: relative; height: 220px; }
      ul.plan, ul.plan ul { list-style: none; padding-left: 18px; border-left: 1px dashed #d0d7de; }
      ul.plan { padding-left: 4px; border-left: none; }
      li.node { margin: 3px 0; }
      li.node > .label { font-family: ui-monospace, monospace; font-weight: 600; }
      li.node.hot > .label { color: var(--fail); }
      .hotmark { font-size: 12px; color: var(--fail); }
      .metrics { color: var(--muted); font-size: 12px; }
      .details { color: var(--muted); font-size: 12px; font-family: ui-monospace, monospace;
                 padding-left: 12px; }
      .empty, footer, .note { color: var(--muted); }
      h4 { font-size: 14px; margin: 10px 0 4px; }
      .rt-scenario { border-top: 1px solid #d8dee4; padding-top: 6px; margin-top: 10px; }
      tr.skip td { background: #f6f8fa; }
      .connection-errors { color: var(--fail); }
      """;

  private static final String CHART_SCRIPT =
      """
      (function () {
        var data = JSON.parse(document.getElementById('critpath-data').textContent);
        window.critpathCharts = [];
        if (typeof Chart === 'undefined') { return; }
        Chart.defaults.animation = false;
        Chart.defaults.maintainAspectRatio = false;
        function draw(id, config) {
          var el = document.getElementById(id);
          if (el) { window.critpathCharts.push(new Chart(el, config)); }
        }
        function ms(title) { return { beginAtZero: true, title: { display: true, text: title } }; }
        function percentiles(item) {
          var p = item.percentiles;
          if (!p) { return; }
          var sets = [{ label: 'latency (ms)', data: p.values, backgroundColor: '#4e79a7' }];
          if (p.target !== undefined) {
            sets.push({ type: 'line', label: 'target', data: p.labels.map(function () { return p.target; }),
                        borderColor: '#cf222e', borderDash: [6, 4], pointRadius: 0 });
          }
          draw('pct-' + item.id, { type: 'bar', data: { labels: p.labels, datasets: sets },
                                   options: { scales: { y: ms('ms') } } });
        }
        data.queries.forEach(function (q) {
          percentiles(q);
          if (q.histogram) {
            draw('hist-' + q.id, { type: 'bar',
              data: { labels: q.histogram.labels,
                      datasets: [{ label: 'samples', data: q.histogram.counts, backgroundColor: '#59a14f',
                                   barPercentage: 1.0, categoryPercentage: 1.0 }] },
              options: { scales: { y: { beginAtZero: true, title: { display: true, text: 'samples' } } } } });
          }
          if (q.throughput) {
            var sets = [{ label: 'ops/s', data: q.throughput.ops, borderColor: '#f28e2b', yAxisID: 'y' }];
            if (q.throughput.p95.some(function (v) { return v !== null; })) {
              sets.push({ label: 'p95 (ms)', data: q.throughput.p95, borderColor: '#4e79a7', yAxisID: 'y1' });
            }
            draw('thr-' + q.id, { type: 'line', data: { labels: q.throughput.threads, datasets: sets },
              options: { scales: { x: { title: { display: true, text: 'concurrent clients' } },
                                   y: ms('ops/s'), y1: Object.assign(ms('p95 ms'), { position: 'right',
                                   display: sets.length > 1, grid: { drawOnChartArea: false } }) } } });
          }
        });
        data.http.forEach(function (s) {
          percentiles(s);
          if (s.timeline) {
            draw('tl-' + s.id, { type: 'line',
              data: { labels: s.timeline.t, datasets: [
                { label: 'req/s', data: s.timeline.rps, borderColor: '#f28e2b', yAxisID: 'y', pointRadius: 0 },
                { label: 'p95 (ms)', data: s.timeline.p95, borderColor: '#4e79a7', yAxisID: 'y1', pointRadius: 0 }] },
              options: { scales: { x: { title: { display: true, text: 'second' } }, y: ms('req/s'),
                                   y1: Object.assign(ms('p95 ms'), { position: 'right',
                                   grid: { drawOnChartArea: false } }) } } });
          }
        });
        var rt = data.realtime;
        if (rt) {
          var colors = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948'];
          var sets = rt.delivery.map(function (s, i) {
            return { label: s.name, data: s.values, backgroundColor: colors[i % colors.length] };
          });
          rt.delivery.forEach(function (s, i) {
            if (s.target !== undefined) {
              sets.push({ type: 'line', label: s.name + ' target', data: rt.labels.map(function () { return s.target; }),
                          borderColor: colors[i % colors.length], borderDash: [6, 4], pointRadius: 0 });
            }
          });
          draw('rt-delivery', { type: 'bar', data: { labels: rt.labels, datasets: sets },
                                options: { scales: { y: ms('ms') } } });
          draw('rt-timing', { type: 'bar', data: { labels: rt.timingLabels, datasets: rt.timing.map(function (s, i) {
                                return { label: s.name, data: s.values, backgroundColor: colors[i % colors.length] }; }) },
                              options: { scales: { y: ms('ms') } } });
        }
      })();
      """;
}
