package dev.critpath.report.writer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.report.model.CheckResult;
import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.Latency;
import dev.critpath.report.model.RunView;
import dev.critpath.report.model.Status;
import java.util.List;
import java.util.Locale;

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
    head(h, run, verdict);
    ObjectNode data = NODES.objectNode();
    body(h, run, data);
    h.append("</main>\n<footer>critpath report · charts by Chart.js ")
        .append(Xml.esc(ChartJs.version()))
        .append(" (MIT), inlined</footer>\n");
    h.append("<script>\n").append(ChartJs.script()).append("\n</script>\n");
    h.append("<script type=\"application/json\" id=\"critpath-data\">")
        .append(json(data))
        .append("</script>\n<script>\n")
        .append(HtmlAssets.CHART_SCRIPT)
        .append("</script>\n</body>\n</html>\n");
    return h.toString();
  }

  /** The document head and the header: verdict, run facts, server settings. */
  private static void head(StringBuilder h, RunView run, String verdict) {
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<link rel=\"icon\" href=\"data:,\">\n")
        .append("<title>critpath ")
        .append(Xml.esc(Describe.verdictWord(verdict)))
        .append(" · ")
        .append(Xml.esc(run.runId()))
        .append("</title>\n<style>\n")
        .append(HtmlAssets.CSS)
        .append("</style>\n</head>\n<body>\n");

    h.append("<header><h1>critpath <span class=\"verdict ")
        .append(Xml.esc(verdict))
        .append("\" id=\"verdict\">")
        .append(Xml.esc(Describe.verdictWord(verdict)))
        .append("</span></h1>\n<table class=\"facts\">\n");
    Describe.facts(run).forEach((k, v) -> row(h, k, v));
    h.append("</table>\n");
    settings(h, run);
    h.append("</header>\n<main>\n");
  }

  /** The sections in page order; the charts' data goes to {@code data}. */
  private static void body(StringBuilder h, RunView run, ObjectNode data) {
    ArrayNode queryData = data.putArray("queries");
    if (!run.queries().isEmpty()) {
      QuerySection.summary(h, run);
      for (int i = 0; i < run.queries().size(); i++) {
        QuerySection.query(h, run.queries().get(i), "q" + i, queryData);
      }
    } else {
      h.append("<p class=\"empty\">This run holds no query results.</p>\n");
    }
    IndexHealthSection.html(h, run.indexFindings());
    if (!run.inDatabase().isEmpty()) {
      InDatabaseSection.html(h, run);
    }
    ArrayNode httpData = data.putArray("http");
    if (!run.http().isEmpty()) {
      HttpSection.html(h, run.http(), httpData);
    }
    if (!run.realtime().isEmpty()) {
      RealtimeSection.html(h, run.realtime(), data);
    }
    ArrayNode serverData = data.putArray("server");
    if (!run.server().isEmpty()) {
      ServerLoadSection.html(h, run.server(), serverData);
    }
    if (run.rls() != null) {
      RlsSection.html(h, run.rls());
    }
    if (!run.notes().isEmpty()) {
      h.append("<section id=\"notes\"><h2>Notes</h2><ul>\n");
      run.notes().forEach(n -> h.append("<li>").append(Xml.esc(n)).append("</li>\n"));
      h.append("</ul></section>\n");
    }
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

  /** Adds the percentile series to the chart data; false when there is none. */
  static boolean percentiles(ObjectNode d, Latency l, Double targetMs) {
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
}
