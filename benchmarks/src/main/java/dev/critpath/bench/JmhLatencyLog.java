package dev.critpath.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.io.Json;
import dev.critpath.io.OutputPaths;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencyTag;
import dev.critpath.run.Section;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * jmh.json's sample-mode distributions as the bench latency log ({@code bench.hlog}): each entry's
 * {@code rawDataHistogram} (every sampled call time with its count, all forks and iterations)
 * turned into one HdrHistogram in microseconds, tagged {@code bench/<query>:<variant>/sample} with
 * the thread count as a qualifier. JMH keeps no wall-clock times, so each interval spans the bench
 * stage up to the moment the log was written. Other modes carry no distribution and are skipped.
 */
final class JmhLatencyLog {
  private static final String SAMPLE_MODE = "sample";

  private JmhLatencyLog() {}

  /**
   * Rewrites {@code file} from the merged jmh.json text.
   *
   * @return how many distributions it holds
   */
  static int write(String jmhJson, Path file, Instant stageStart) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(jmhJson);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int written = 0;
    long now = System.currentTimeMillis();
    // rewritten after every plan: a reader sees the previous log or the new one, never half
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (LatencyLog log = LatencyLog.create(tmp, stageStart)) {
      for (JsonNode entry : root) {
        if (!SAMPLE_MODE.equals(entry.path("mode").asText())) {
          continue;
        }
        Histogram h = histogram(entry.path("primaryMetric"));
        JsonNode params = entry.path("params");
        String subject =
            params.path("query").asText(entry.path("benchmark").asText())
                + ":"
                + params.path("variant").asText("");
        Map<String, String> q = Map.of("threads", Integer.toString(entry.path("threads").asInt(1)));
        log.interval(
            LatencyTag.of(Section.BENCH, subject, SAMPLE_MODE, q),
            stageStart.toEpochMilli(),
            now,
            h);
        written += h.getTotalCount() > 0 ? 1 : 0;
      }
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw OutputPaths.cannotWrite(file, e);
    }
    return written;
  }

  /** Every (time, count) pair of every fork and iteration, in microseconds. */
  static Histogram histogram(JsonNode metric) {
    double toMicros = microsPerUnit(metric.path("scoreUnit").asText());
    Histogram h = LatencyLog.histogram();
    for (JsonNode fork : metric.path("rawDataHistogram")) {
      for (JsonNode iteration : fork) {
        for (JsonNode pair : iteration) {
          long micros = Math.max(0, Math.round(pair.get(0).asDouble() * toMicros));
          h.recordValueWithCount(micros, pair.get(1).asLong());
        }
      }
    }
    return h;
  }

  /** Microseconds per unit of a JMH time score unit (ns/op, us/op, ms/op, s/op). */
  static double microsPerUnit(String scoreUnit) {
    String unit = scoreUnit.contains("/") ? scoreUnit.substring(0, scoreUnit.indexOf('/')) : "";
    return switch (unit) {
      case "ns" -> 1e-3;
      case "us" -> 1;
      case "ms" -> 1e3;
      case "s" -> 1e6;
      default -> throw new IllegalArgumentException("not a time unit: " + scoreUnit);
    };
  }
}
