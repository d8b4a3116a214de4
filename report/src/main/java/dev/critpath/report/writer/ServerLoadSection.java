package dev.critpath.report.writer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.ServerStage;
import dev.critpath.sampler.ServerMetric;
import java.util.List;
import java.util.Map;

/**
 * The server under load, beside the latencies: per stage the sampler's max and mean of every
 * metric, a chart of CPU, connections, lock waits and pool waiting over time, and what it could not
 * see.
 */
final class ServerLoadSection {
  /** The metrics charted over time (the counters stay in the table). */
  static final List<ServerMetric> CHARTED =
      List.of(
          ServerMetric.DB_CPU,
          ServerMetric.DB_CONNECTIONS,
          ServerMetric.DB_LOCK_WAITS,
          ServerMetric.POOL_WAITING);

  private ServerLoadSection() {}

  static void markdown(StringBuilder md, List<ServerStage> stages) {
    md.append("### The server under load\n\n");
    md.append("| stage | metric | max | mean |\n|---|---|---:|---:|\n");
    for (ServerStage s : stages) {
      for (Map.Entry<String, ServerStage.Stat> e : s.summary().entrySet()) {
        md.append("| ")
            .append(s.stage())
            .append(" | `")
            .append(e.getKey())
            .append("` (")
            .append(unit(e.getKey()))
            .append(") | ")
            .append(Fmt.plain(e.getValue().max()))
            .append(" | ")
            .append(Fmt.plain(e.getValue().mean()))
            .append(" |\n");
      }
    }
    md.append('\n');
    for (ServerStage s : stages) {
      md.append("- ").append(s.stage()).append(": CPU: ").append(MarkdownWriter.line(s.cpu()));
      if (s.samplerShare() != null) {
        md.append("; the sampler's own share of it: ").append(Fmt.percent(s.samplerShare()));
      }
      md.append('\n');
      s.notCaptured()
          .forEach(
              n ->
                  md.append("- ")
                      .append(s.stage())
                      .append(": not captured: ")
                      .append(MarkdownWriter.line(n))
                      .append('\n'));
    }
    md.append('\n');
  }

  static void html(StringBuilder h, List<ServerStage> stages, ArrayNode data) {
    h.append("<section id=\"server\"><h2>The server under load</h2>\n");
    for (int i = 0; i < stages.size(); i++) {
      ServerStage s = stages.get(i);
      String id = "srv-" + i; // the chart's canvas; its stage's block is server-<i>
      h.append("<div class=\"server-stage\" id=\"server-")
          .append(i)
          .append("\" data-stage=\"")
          .append(Xml.esc(s.stage()))
          .append("\">\n<h3>")
          .append(Xml.esc(s.stage()))
          .append("</h3>\n<table class=\"facts\">\n");
      HtmlWriter.row(h, "CPU", s.cpu());
      if (s.samplerShare() != null) {
        HtmlWriter.row(
            h, "sampler's share", Fmt.percent(s.samplerShare()) + " of the server's CPU");
      }
      for (Map.Entry<String, ServerStage.Stat> e : s.summary().entrySet()) {
        HtmlWriter.row(
            h,
            e.getKey(),
            "max "
                + Fmt.plain(e.getValue().max())
                + ", mean "
                + Fmt.plain(e.getValue().mean())
                + " "
                + unit(e.getKey()));
      }
      h.append("</table>\n");
      s.notCaptured()
          .forEach(
              n ->
                  h.append("<p class=\"note\">not captured: ").append(Xml.esc(n)).append("</p>\n"));
      if (!s.seconds().isEmpty()
          && CHARTED.stream().anyMatch(m -> s.series().containsKey(m.key()))) {
        ObjectNode d = data.addObject();
        d.put("id", id);
        ArrayNode t = d.putArray("t");
        s.seconds().forEach(t::add);
        ArrayNode sets = d.putArray("sets");
        for (ServerMetric m : CHARTED) {
          List<Double> values = s.series().get(m.key());
          if (values != null) {
            ObjectNode set = sets.addObject();
            set.put("label", m.key() + " (" + m.unit() + ")");
            set.put("cpu", m == ServerMetric.DB_CPU);
            ArrayNode v = set.putArray("values");
            values.forEach(x -> v.add(x == null ? null : HtmlWriter.round(x)));
          }
        }
        HtmlWriter.chart(h, id, s.stage() + ": server CPU, connections and waits per second");
      }
      h.append("</div>\n");
    }
    h.append("</section>\n");
  }

  private static String unit(String key) {
    return ServerMetric.named(key).map(ServerMetric::unit).orElse("");
  }
}
