package dev.critpath.bench;

import dev.critpath.run.ThresholdCheck;
import java.io.PrintWriter;
import java.util.List;

/** The results table the stage prints. */
final class BenchConsole {
  private final PrintWriter out;

  BenchConsole(PrintWriter out) {
    this.out = out;
  }

  void print(BenchReport report) {
    out.println("bench: results (ms; 1 thread, then each thread count measured)");
    out.printf(
        "   %-28s %-8s %9s %9s %9s %9s %9s%n",
        "path", "variant", "p50", "p95", "p99", "server", "ops/s");
    for (BenchReport.PathReport p : report.queries()) {
      for (BenchReport.VariantReport v : p.variants()) {
        if (v.latency() == null) {
          out.printf(
              "   %-28s %-8s %s: %s%n",
              p.name(), v.variant(), v.status(), v.reason() == null ? "" : v.reason());
          printConnectionErrors(p, v);
          continue;
        }
        List<BenchReport.Level> levels = v.concurrency() == null ? List.of() : v.concurrency();
        String single =
            levels.stream()
                .filter(l -> l.threads() == 1)
                .map(l -> String.format("%.0f", l.opsPerSec()))
                .findFirst()
                .orElse("-");
        out.printf(
            "   %-28s %-8s %9.3f %9.3f %9.3f %9s %9s%n",
            p.name(),
            v.variant(),
            v.latency().p50(),
            v.latency().p95(),
            v.latency().p99(),
            v.server() == null ? "-" : String.format("%.3f", v.server().meanExecMs()),
            single);
        for (BenchReport.Level l : levels) {
          if (l.threads() > 1 && l.latency() != null) {
            out.printf(
                "   %-28s %8s %9.3f %9.3f %9.3f %9s %9.0f%n",
                "",
                l.threads() + " thr",
                l.latency().p50(),
                l.latency().p95(),
                l.latency().p99(),
                l.server() == null ? "-" : String.format("%.3f", l.server().meanExecMs()),
                l.opsPerSec());
          }
        }
        if (v.reason() != null) {
          out.printf("   %-28s %-8s failed: %s%n", p.name(), v.variant(), v.reason());
        }
        printConnectionErrors(p, v);
      }
      if (p.targets() != null) {
        for (ThresholdCheck t : p.targets()) {
          if (!Boolean.TRUE.equals(t.passed())) {
            out.printf(
                "   %-28s target %s %s%n",
                p.name(),
                t.text(),
                t.observed() == null
                    ? "not measured"
                    : String.format("missed: %.3f ms (%s)", t.observed(), t.source()));
          }
        }
      }
    }
    out.flush();
  }

  private void printConnectionErrors(BenchReport.PathReport p, BenchReport.VariantReport v) {
    if (v.connectionErrors() != null) {
      out.printf(
          "   %-28s %-8s %s (reconnected, measured on); first: %s%n",
          p.name(),
          v.variant(),
          lostCalls(v.connectionErrors().count()),
          v.connectionErrors().first());
    }
  }

  static String lostCalls(long n) {
    return n == 1 ? "1 call lost its connection" : n + " calls lost their connection";
  }
}
