package dev.critpath.report.writer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.Latency;
import dev.critpath.report.model.RealtimeScenario;
import java.util.List;
import java.util.Locale;

/**
 * The realtime scenarios in Markdown and HTML: delivery latency per level and network profile, lost
 * and duplicated messages, subscription setup, reconnect and catch-up, and the thresholds.
 */
final class RealtimeSection {
  /** The delivery percentiles charted per scenario. */
  private static final String[] PERCENTILES = {"p50", "p90", "p95", "p99", "p99.9", "max"};

  private RealtimeSection() {}

  static void markdown(StringBuilder md, List<RealtimeScenario> scenarios) {
    md.append("### Realtime\n\n");
    md.append(
        "| scenario | platform | subscribers | rate | deliveries | p50 | p95 | p99 | max | lost"
            + " | dup | setup p95 | reconnect + catch-up max | verdict |\n");
    md.append("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (RealtimeScenario s : scenarios) {
      md.append("| `")
          .append(s.name())
          .append("` | ")
          .append(MarkdownWriter.cell(s.platform()))
          .append(" | ")
          .append(Fmt.count(s.subscribers()))
          .append(" | ")
          .append(rate(s))
          .append(" | ")
          .append(deliveries(s))
          .append(" | ")
          .append(Fmt.ms(s.delivery().p50()))
          .append(" | ")
          .append(Fmt.ms(s.delivery().p95()))
          .append(" | ")
          .append(Fmt.ms(s.delivery().p99()))
          .append(" | ")
          .append(Fmt.ms(s.delivery().max()))
          .append(" | ")
          .append(Fmt.count(s.messages().lost()))
          .append(" | ")
          .append(Fmt.count(s.messages().duplicates()))
          .append(" | ")
          .append(Fmt.ms(s.setup().p95()))
          .append(" | ")
          .append(Fmt.ms(s.reconnects().catchUp().max()))
          .append(" | ")
          .append(MarkdownWriter.verdict(s.verdict()))
          .append(" |\n");
    }
    md.append('\n');
    StringBuilder notes = new StringBuilder();
    for (RealtimeScenario s : scenarios) {
      s.notes()
          .forEach(
              n ->
                  notes
                      .append("- `")
                      .append(s.name())
                      .append("`: ")
                      .append(MarkdownWriter.line(n))
                      .append('\n'));
    }
    if (notes.length() > 0) {
      md.append(notes).append('\n');
    }
  }

  static void html(StringBuilder h, List<RealtimeScenario> scenarios, ObjectNode data) {
    h.append("<section id=\"realtime\"><h2>Realtime</h2>\n");
    h.append("<table class=\"grid\"><thead><tr><th>scenario</th><th>platform</th>")
        .append("<th>subscribers</th><th>rate</th><th>deliveries</th><th>p50</th><th>p95</th>")
        .append("<th>p99</th><th>max</th><th>lost</th><th>dup</th><th>setup p95</th>")
        .append("<th>reconnect + catch-up max</th><th>verdict</th></tr></thead><tbody>\n");
    for (RealtimeScenario s : scenarios) {
      h.append("<tr class=\"")
          .append(s.verdict().name().toLowerCase(Locale.ROOT))
          .append("\"><td>")
          .append(Xml.esc(s.name()))
          .append("</td><td>")
          .append(Xml.esc(or(s.platform())))
          .append("</td><td>")
          .append(Fmt.count(s.subscribers()))
          .append("</td><td>")
          .append(Xml.esc(rate(s)))
          .append("</td><td>")
          .append(Xml.esc(deliveries(s)))
          .append("</td><td>")
          .append(Fmt.ms(s.delivery().p50()))
          .append("</td><td>")
          .append(Fmt.ms(s.delivery().p95()))
          .append("</td><td>")
          .append(Fmt.ms(s.delivery().p99()))
          .append("</td><td>")
          .append(Fmt.ms(s.delivery().max()))
          .append("</td><td>")
          .append(Fmt.count(s.messages().lost()))
          .append("</td><td>")
          .append(Fmt.count(s.messages().duplicates()))
          .append("</td><td>")
          .append(Fmt.ms(s.setup().p95()))
          .append("</td><td>")
          .append(Fmt.ms(s.reconnects().catchUp().max()))
          .append("</td><td>")
          .append(HtmlWriter.word(s.verdict()))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n<div class=\"charts\">\n");
    double slowest = slowest(scenarios);
    List<String> farAbove =
        scenarios.stream()
            .filter(s -> s.deliveryTargetMs() != null && !targetShown(s, slowest))
            .map(s -> s.name() + " " + s.deliveryTarget())
            .toList();
    boolean anyShown = scenarios.stream().anyMatch(s -> targetShown(s, slowest));
    HtmlWriter.chart(
        h,
        "rt-delivery",
        "delivery latency percentiles"
            + (anyShown ? " (dashed: targets)" : "")
            + (farAbove.isEmpty()
                ? ""
                : " (targets far above: " + String.join(", ", farAbove) + ")"));
    HtmlWriter.chart(h, "rt-timing", "subscription setup and reconnect + catch-up");
    h.append("</div>\n");
    for (RealtimeScenario s : scenarios) {
      scenario(h, s);
    }
    h.append("</section>\n");
    chartData(scenarios, slowest, data.putObject("realtime"));
  }

  private static void scenario(StringBuilder h, RealtimeScenario s) {
    h.append("<div class=\"rt-scenario\" data-scenario=\"")
        .append(Xml.esc(s.name()))
        .append("\">\n<h3>")
        .append(Xml.esc(s.name()))
        .append(" <span class=\"pill ")
        .append(s.verdict().name().toLowerCase(Locale.ROOT))
        .append("\">")
        .append(HtmlWriter.word(s.verdict()))
        .append("</span></h3>\n<table class=\"facts\">\n");
    HtmlWriter.row(h, "level", s.level() + (s.event() == null ? "" : " (" + s.event() + ")"));
    HtmlWriter.row(h, "network", s.network() == null ? "none" : s.network());
    HtmlWriter.row(h, "platform targets", or(s.platform()));
    HtmlWriter.row(
        h,
        "messages",
        Fmt.count(s.messages().sent())
            + " sent, "
            + deliveries(s)
            + " delivered, "
            + Fmt.count(s.messages().recovered())
            + " of them by catch-up; lost "
            + Fmt.count(s.messages().lost())
            + ", duplicated "
            + Fmt.count(s.messages().duplicates())
            + ", subscribers behind "
            + Fmt.count(s.subscribersBehind()));
    HtmlWriter.row(
        h, "commit", Fmt.ms(s.commit().p50()) + " p50, " + Fmt.ms(s.commit().p95()) + " p95");
    RealtimeScenario.Reconnects r = s.reconnects();
    HtmlWriter.row(
        h,
        "reconnects",
        Fmt.count(r.forced())
            + " forced, "
            + Fmt.count(r.unexpected())
            + " unexpected; "
            + Fmt.count(r.succeeded())
            + " caught up, "
            + Fmt.count(r.failed())
            + " failed");
    HtmlWriter.row(h, "errors", Fmt.count(s.errors()));
    h.append("</table>\n");
    HtmlWriter.checks(h, s.checks());
    s.notes().forEach(n -> h.append("<p class=\"note\">").append(Xml.esc(n)).append("</p>\n"));
    h.append("</div>\n");
  }

  /**
   * {labels, delivery: [{name, values, target?}], timing: {labels, scenarios: [{name, values}]}}.
   */
  private static void chartData(List<RealtimeScenario> scenarios, double slowest, ObjectNode rt) {
    ArrayNode labels = rt.putArray("labels");
    for (String p : PERCENTILES) {
      labels.add(p);
    }
    ArrayNode delivery = rt.putArray("delivery");
    ArrayNode timing = rt.putArray("timing");
    for (RealtimeScenario s : scenarios) {
      ObjectNode d = delivery.addObject();
      d.put("name", s.name());
      ArrayNode values = d.putArray("values");
      for (String p : PERCENTILES) {
        add(values, s.delivery().get(p));
      }
      if (targetShown(s, slowest)) {
        d.put("target", s.deliveryTargetMs());
      }
      ObjectNode t = timing.addObject();
      t.put("name", s.name());
      ArrayNode tv = t.putArray("values");
      Latency setup = s.setup();
      add(tv, setup.p95());
      add(tv, setup.max());
      add(tv, s.reconnects().catchUp().max());
    }
    ArrayNode timingLabels = rt.putArray("timingLabels");
    timingLabels.add("setup p95").add("setup max").add("reconnect + catch-up max");
  }

  private static double slowest(List<RealtimeScenario> scenarios) {
    return scenarios.stream()
        .map(s -> s.delivery().max())
        .filter(v -> v != null)
        .mapToDouble(Double::doubleValue)
        .max()
        .orElse(0);
  }

  /** A target far above every bar would flatten them; the caption names it instead. */
  private static boolean targetShown(RealtimeScenario s, double slowest) {
    return s.deliveryTargetMs() != null
        && s.deliveryTargetMs() <= HtmlWriter.TARGET_SCALE * slowest;
  }

  private static void add(ArrayNode values, Double v) {
    if (v == null) {
      values.addNull();
    } else {
      values.add(HtmlWriter.round(v));
    }
  }

  /** "10 msg/s × 10 s". */
  private static String rate(RealtimeScenario s) {
    return plain(s.ratePerSecond()) + " msg/s × " + plain(s.durationSeconds()) + " s";
  }

  /** "4,725 of 5,000": delivered of expected. */
  private static String deliveries(RealtimeScenario s) {
    return Fmt.count(s.messages().delivered()) + " of " + Fmt.count(s.messages().expected());
  }

  /** A setting as the user gave it: "10", "0.5". */
  private static String plain(Double v) {
    return v == null ? Fmt.NONE : Fmt.plain(v);
  }

  private static String or(String text) {
    return text == null ? Fmt.NONE : text;
  }
}
