package dev.critpath.report.writer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.HttpFile;
import dev.critpath.report.model.HttpScenario;
import java.util.List;
import java.util.Locale;

/** The HTTP scenarios: per file its checks and notes, per scenario its facts and charts. */
final class HttpSection {
  private HttpSection() {}

  static void html(StringBuilder h, List<HttpFile> files, ArrayNode data) {
    h.append("<section id=\"http\"><h2>HTTP scenarios</h2>\n");
    int n = 0;
    for (HttpFile f : files) {
      h.append("<h3>")
          .append(Xml.esc(f.name()))
          .append(" <span class=\"pill ")
          .append(f.status().name().toLowerCase(Locale.ROOT))
          .append("\">")
          .append(HtmlWriter.word(f.status()))
          .append("</span></h3>\n");
      if (f.description() != null) {
        h.append("<p class=\"about\">").append(Xml.esc(f.description())).append("</p>\n");
      }
      HtmlWriter.checks(h, f.checks());
      f.notes().forEach(x -> h.append("<p class=\"note\">").append(Xml.esc(x)).append("</p>\n"));
      for (HttpScenario s : f.scenarios()) {
        scenario(h, s, "h" + n++, data);
      }
    }
    h.append("</section>\n");
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
      HtmlWriter.row(h, "executor", s.executor());
    }
    HtmlWriter.row(
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
      HtmlWriter.row(h, "throughput", Fmt.num(s.requestsPerSec()) + " req/s");
    }
    h.append("</table>\n");
    ObjectNode d = data.addObject();
    d.put("id", id);
    d.put("name", s.name());
    h.append("<div class=\"charts\">\n");
    if (HtmlWriter.percentiles(d, s.latency(), null)) {
      HtmlWriter.chart(h, "pct-" + id, "latency percentiles");
    }
    if (!s.timeline().isEmpty()) {
      ObjectNode td = d.putObject("timeline");
      ArrayNode t = td.putArray("t");
      ArrayNode rps = td.putArray("rps");
      ArrayNode p95 = td.putArray("p95");
      for (HttpScenario.TimePoint p : s.timeline()) {
        t.add(HtmlWriter.round(p.second()));
        if (p.requestsPerSec() == null) {
          rps.addNull();
        } else {
          rps.add(HtmlWriter.round(p.requestsPerSec()));
        }
        if (p.p95Ms() == null) {
          p95.addNull();
        } else {
          p95.add(HtmlWriter.round(p.p95Ms()));
        }
      }
      HtmlWriter.chart(h, "tl-" + id, "requests per second and p95 over time");
    }
    h.append("</div>\n</div>\n");
  }
}
