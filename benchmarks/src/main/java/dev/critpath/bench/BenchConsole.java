package dev.critpath.bench;

import dev.critpath.run.ThresholdCheck;
import java.io.PrintWriter;

/** The results table the stage prints. */
final class BenchConsole {
  private final PrintWriter out;

  BenchConsole(PrintWriter out) {
    this.out = out;
  }

  void print(BenchReport report) {
    out.println("bench: results (ms at 1 thread; ops/s per thread count)");
    out.printf(
        "   %-28s %-8s %9s %9s %9s %9s  %s%n",
        "path", "variant", "p50", "p95", "p99", "server", "throughput");
    for (BenchReport.PathReport p : report.queries()) {
      for (BenchReport.VariantReport v : p.variants()) {
        if (v.latency() == null) {
          out.printf(
              "   %-28s %-8s %s: %s%n",
              p.name(), v.variant(), v.status(), v.reason() == null ? "" : v.reason());
          printConnectionErrors(p, v);
          continue;
        }
        StringBuilder thrpt = new StringBuilder();
        if (v.concurrency() != null) {
          for (BenchReport.Level l : v.concurrency()) {
            thrpt.append(String.format("%d:%.0f ", l.threads(), l.opsPerSec()));
          }
        }
        out.printf(
            "   %-28s %-8s %9.3f %9.3f %9.3f %9s  %s%n",
            p.name(),
            v.variant(),
            v.latency().p50(),
            v.latency().p95(),
            v.latency().p99(),
            v.server() == null ? "-" : String.format("%.3f", v.server().meanExecMs()),
            thrpt.toString().strip());
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
