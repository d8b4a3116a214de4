package dev.critpath.http.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.http.metrics.SecondRow;
import dev.critpath.http.scenario.ScenarioSpec;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencySummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.HdrHistogram.PackedHistogram;

/**
 * One scenario's per-second series over every segment, aligned on wall-clock seconds from the
 * merged file's start: latency percentiles from the logged intervals (added, so exact), requests
 * and failures from their counts, VUs, iterations, drops and late starts summed from the segments'
 * own rows. A second is keyed by the end of the interval, as a live run's rows are.
 */
final class SeriesRows {
  private static final String LATENCY = "http_req_duration";
  private static final String SERVICE = "http_req_service_time";
  private static final double MILLIS_PER_SECOND = 1000.0;

  /** One wall-clock second; packed histograms: a long run keeps one per second. */
  private static final class Second {
    final PackedHistogram latency = new PackedHistogram(LatencyLog.DIGITS);
    final PackedHistogram service = new PackedHistogram(LatencyLog.DIGITS);
    long requests;
    long failed;
    int vus;
    long iterations;
    long dropped;
    long lateStarts;
  }

  private final TreeMap<Long, Second> seconds = new TreeMap<>();

  private Second at(long wallMillis, long startMillis) {
    long key = Math.max(1, (long) Math.ceil((wallMillis - startMillis) / MILLIS_PER_SECOND));
    return seconds.computeIfAbsent(key, k -> new Second());
  }

  void add(LatencyLog.Interval i, long startMillis) {
    String metric = i.tag().metric();
    if (LATENCY.equals(metric)) {
      Second s = at(i.endMillis(), startMillis);
      s.latency.add(i.histogram());
      long n = i.histogram().getTotalCount();
      s.requests += n;
      s.failed += "false".equals(i.tag().qualifiers().get("expected_response")) ? n : 0;
    } else if (SERVICE.equals(metric)) {
      at(i.endMillis(), startMillis).service.add(i.histogram());
    }
  }

  /** The merged rows, after the segments' own rows added their counters. */
  List<SecondRow> rows(
      long startMillis, List<HttpMerge.Segment> segments, String file, ScenarioSpec spec) {
    for (HttpMerge.Segment seg : segments) {
      JsonNode f = seg.file(file);
      JsonNode sc = HttpMerge.scenario(f, spec.name());
      if (sc == null) {
        continue;
      }
      long fileStart = Instant.parse(f.path("startedAt").asText()).toEpochMilli();
      for (JsonNode row : sc.path("timeSeries")) {
        Second s = at(fileStart + Math.round(row.path("t").asDouble() * 1000), startMillis);
        s.vus += row.path("vus").asInt();
        s.iterations += row.path("iterations").asLong();
        s.dropped += row.path("dropped").asLong();
        s.lateStarts += row.path("lateStarts").asLong();
      }
    }
    List<SecondRow> out = new ArrayList<>();
    seconds.forEach(
        (t, s) -> {
          boolean any = s.latency.getTotalCount() > 0;
          out.add(
              new SecondRow(
                  t,
                  s.requests,
                  s.failed,
                  any ? LatencySummary.ms(s.latency.getValueAtPercentile(50)) : null,
                  any ? LatencySummary.ms(s.latency.getValueAtPercentile(95)) : null,
                  any ? LatencySummary.ms(s.latency.getValueAtPercentile(99)) : null,
                  any ? LatencySummary.ms(s.latency.getMaxValue()) : null,
                  s.service.getTotalCount() > 0
                      ? LatencySummary.ms(s.service.getValueAtPercentile(99))
                      : null,
                  s.vus,
                  s.iterations,
                  s.dropped,
                  s.lateStarts));
        });
    return out;
  }
}
