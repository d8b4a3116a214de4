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
    List<QueryView> measured = run.queries().stream().filter(q -> !sampled(q).isEmpty()).toList();
    if (measured.isEmpty()) {
      return;
    }
    md.append("### Under concurrency\n\n")
        .append("Latency percentiles at each thread count measured, and the throughput there.\n\n")
        .append("| query | threads | p50 | p95 | p99 | throughput |\n")
        .append("|---|---:|---:|---:|---:|---:|\n");
    for (QueryView q : measured) {
      for (ThroughputPoint t : sampled(q)) {
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
    if (sampled(q).isEmpty()) {
      return;
    }
    h.append("<table class=\"grid levels\"><thead><tr><th>threads</th><th>p50</th><th>p95</th>")
        .append("<th>p99</th><th>throughput</th></tr></thead><tbody>\n");
    for (ThroughputPoint t : sampled(q)) {
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

  /** The levels whose latency was sampled (runs before percentiles at every level have none). */
  private static List<ThroughputPoint> sampled(QueryView q) {
    return q.throughput().stream().filter(t -> t.p95Ms() != null).toList();
  }
}
