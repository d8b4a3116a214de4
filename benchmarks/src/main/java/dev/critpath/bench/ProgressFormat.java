package dev.critpath.bench;

import dev.critpath.Secrets;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH's console output reduced to one line per benchmark (JMH prints dozens), keeping what JMH
 * printed for each benchmark so that a failure without a recorded reason can still be explained.
 * With {@code verbose} everything JMH prints is passed through as well.
 */
final class ProgressFormat implements OutputFormat {
  private final PrintWriter out;
  private final boolean verbose;
  private final Map<String, List<String>> printed = new HashMap<>();
  private String current;
  private long started;
  private Consumer<BenchmarkResult> finished = result -> {};

  ProgressFormat(PrintWriter out, boolean verbose) {
    this.out = out;
    this.verbose = verbose;
  }

  /** Called with each benchmark's result as it finishes (before JMH's whole run ends). */
  void onFinished(Consumer<BenchmarkResult> listener) {
    finished = listener;
  }

  /** What JMH printed while running {@code path}, e.g. a stack trace. */
  List<String> printedFor(String path) {
    return printed.getOrDefault(path, List.of());
  }

  @Override
  public void startBenchmark(BenchmarkParams params) {
    current = params.getParam("query");
    started = System.nanoTime();
    String what = params.getMode() == Mode.SampleTime ? "latency" : "throughput";
    out.printf(
        "   %-28s %-8s %-10s %2d thread%s ",
        current,
        params.getParam("variant"),
        what,
        params.getThreads(),
        params.getThreads() == 1 ? " " : "s");
    out.flush();
  }

  @Override
  public void endBenchmark(BenchmarkResult result) {
    if (result != null) {
      finished.accept(result); // kept before it is shown: what the console shows is saved
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (result == null) {
      out.printf("failed (%.0f s)%n", seconds);
    } else {
      var primary = result.getPrimaryResult();
      if (result.getParams().getMode() == Mode.SampleTime) {
        var stats = primary.getStatistics();
        out.printf(
            "p50 %.3f ms  p95 %.3f ms  p99 %.3f ms  (%.0f s)%n",
            stats.getPercentile(50) / 1000,
            stats.getPercentile(95) / 1000,
            stats.getPercentile(99) / 1000,
            seconds);
      } else {
        out.printf("%.0f ops/s  (%.0f s)%n", primary.getScore(), seconds);
      }
    }
    out.flush();
    current = null;
  }

  @Override
  public void println(String s) {
    keep(s);
    if (verbose) {
      out.println(Secrets.redact(s));
    }
  }

  @Override
  public void print(String s) {
    keep(s);
    if (verbose) {
      out.print(Secrets.redact(s));
    }
  }

  @Override
  public void verbosePrintln(String s) {
    println(s);
  }

  private void keep(String s) {
    if (current != null && s != null && !s.isBlank()) {
      printed.computeIfAbsent(current, k -> new ArrayList<>()).add(Secrets.redact(s.strip()));
    }
  }

  @Override
  public void write(int b) {
    if (verbose) {
      out.write(b);
    }
  }

  @Override
  public void write(byte[] b) {
    if (verbose) {
      out.write(new String(b, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Override
  public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {}

  @Override
  public void iterationResult(
      BenchmarkParams benchParams, IterationParams params, int iteration, IterationResult data) {}

  @Override
  public void startRun() {}

  @Override
  public void endRun(Collection<RunResult> result) {}

  @Override
  public void flush() {
    out.flush();
  }

  @Override
  public void close() {
    out.flush();
  }
}
