package dev.critpath.report.writer;

import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.QueryView;
import dev.critpath.report.model.RunView;
import dev.critpath.report.model.ThroughputPoint;
import java.util.List;

/** Latency percentiles and throughput at each thread count measured, per query. */
final class ConcurrencySection {
  private ConcurrencySection() {}

  static void markdown(StringBuilder md, RunView run) {
    List<QueryView> measured =
        run.queries().stream().filter(q -> !q.throughput().isEmpty()).toList();
    if (measured.isEmpty()) {
      return;
    }
    md.append("### Under concurrency\n\n")
        .append("Latency percentiles at each thread count (JMH sample time; throughput = threads /")
        .append(" mean latency).\n\n")
        .append("| query | threads | p50 | p95 | p99 | throughput |\n")
        .append("|---|---:|---:|---:|---:|---:|\n");
    for (QueryView q : measured) {
      for (ThroughputPoint t : q.throughput()) {
        md.append("| `")
            .append(q.name())
            .append("` | ")
            .append(t.threads())
            .append(" | ")
            .append(Fmt.ms(t.p50Ms()))
            .append(" | ")
            .append(Fmt.ms(t.p95Ms()))
            .append(" | ")
            .append(Fmt.ms(t.p99Ms()))
            .append(" | ")
            .append(Fmt.ops(t.opsPerSec()))
            .append(" |\n");
      }
    }
    md.append('\n');
  }

  static void html(StringBuilder h, QueryView q) {
    if (q.throughput().isEmpty()) {
      return;
    }
    h.append("<table class=\"grid levels\"><thead><tr><th>threads</th><th>p50</th><th>p95</th>")
        .append("<th>p99</th><th>throughput</th></tr></thead><tbody>\n");
    for (ThroughputPoint t : q.throughput()) {
      h.append("<tr><td>")
          .append(t.threads())
          .append("</td><td>")
          .append(Fmt.ms(t.p50Ms()))
          .append("</td><td>")
          .append(Fmt.ms(t.p95Ms()))
          .append("</td><td>")
          .append(Fmt.ms(t.p99Ms()))
          .append("</td><td>")
          .append(Fmt.ops(t.opsPerSec()))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }
}
