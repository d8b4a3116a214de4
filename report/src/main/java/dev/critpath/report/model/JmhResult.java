package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.UserError;
import dev.critpath.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of JMH's own JSON (jmh.json): identity (benchmark + mode + params), threads, and the
 * per-fork per-iteration scores a comparison uses as replicates. Scores are normalised to
 * milliseconds per operation for time modes and operations per second for throughput.
 *
 * @param iterations scores by fork, then by iteration (sample mode: each iteration's mean)
 * @param histogram sample mode only: every recorded (latency ms, count) pair of all forks, sorted
 */
public record JmhResult(
    String benchmark,
    String mode,
    int threads,
    int forks,
    Map<String, String> params,
    double score,
    Double scoreError,
    Map<String, Double> percentiles,
    List<List<Double>> iterations,
    List<Latency.Bucket> histogram) {

  /** Throughput is higher-is-better; avgt, sample and ss are times, lower-is-better. */
  public boolean higherIsBetter() {
    return "thrpt".equals(mode);
  }

  /** The benchmark method's simple name ("messageFetch" of "dev.x.QueryBench.messageFetch"). */
  public String method() {
    int dot = benchmark.lastIndexOf('.');
    return dot < 0 ? benchmark : benchmark.substring(dot + 1);
  }

  /** Reads jmh.json; an absent file reads as no results. */
  public static List<JmhResult> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UserError(
          file + " is not valid JSON (" + e.getOriginalMessage() + "): re-run the benchmark");
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new UserError(file + " is not JMH's JSON output (expected an array of results)");
    }
    List<JmhResult> out = new ArrayList<>();
    for (JsonNode r : root) {
      out.add(parse(r));
    }
    return out;
  }

  static JmhResult parse(JsonNode r) {
    String mode = J.str(r, "mode");
    JsonNode metric = r.path("primaryMetric");
    String unit = J.str(metric, "scoreUnit");
    double factor = factor(unit, mode);
    Map<String, String> params = new TreeMap<>();
    JsonNode p = r.get("params");
    if (p != null && p.isObject()) {
      p.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
    }
    Map<String, Double> percentiles = new LinkedHashMap<>();
    JsonNode pct = metric.get("scorePercentiles");
    if (pct != null && pct.isObject()) {
      pct.fields()
          .forEachRemaining(
              e -> {
                if (e.getValue().isNumber()) {
                  percentiles.put(e.getKey(), e.getValue().asDouble() * factor);
                }
              });
    }
    List<List<Double>> iterations = new ArrayList<>();
    TreeMap<Double, Long> merged = new TreeMap<>();
    JsonNode raw = metric.get("rawData");
    JsonNode hist = metric.get("rawDataHistogram");
    if (raw != null && raw.isArray()) {
      for (JsonNode fork : raw) {
        List<Double> scores = new ArrayList<>();
        fork.forEach(v -> scores.add(v.asDouble() * factor));
        iterations.add(scores);
      }
    } else if (hist != null && hist.isArray()) {
      for (JsonNode fork : hist) {
        List<Double> scores = new ArrayList<>();
        for (JsonNode iteration : fork) {
          double sum = 0;
          long count = 0;
          for (JsonNode pair : iteration) {
            double value = pair.get(0).asDouble() * factor;
            long n = pair.get(1).asLong();
            sum += value * n;
            count += n;
            merged.merge(value, n, Long::sum);
          }
          if (count > 0) {
            scores.add(sum / count);
          }
        }
        iterations.add(scores);
      }
    }
    List<Latency.Bucket> histogram = new ArrayList<>();
    merged.forEach((value, count) -> histogram.add(new Latency.Bucket(value, count)));
    Double error = J.num(metric, "scoreError");
    return new JmhResult(
        J.str(r, "benchmark"),
        mode,
        r.path("threads").asInt(1),
        r.path("forks").asInt(1),
        params,
        metric.path("score").asDouble() * factor,
        error == null ? null : error * factor,
        percentiles,
        iterations,
        histogram);
  }

  /** Factor from JMH's score unit to ms/op (time modes) or ops/s (throughput). */
  static double factor(String unit, String mode) {
    if (unit == null) {
      return 1;
    }
    String[] parts = unit.split("/");
    if (parts.length != 2) {
      return 1;
    }
    if ("thrpt".equals(mode) || parts[0].equals("ops")) {
      // ops per time unit -> ops per second
      return 1000.0 / millis(parts[1]);
    }
    return millis(parts[0]);
  }

  private static double millis(String timeUnit) {
    switch (timeUnit) {
      case "ns":
        return 1e-6;
      case "us":
        return 1e-3;
      case "ms":
        return 1;
      case "s":
        return 1000;
      case "min":
        return 60_000;
      case "hr":
        return 3_600_000;
      default:
        return 1;
    }
  }
}
