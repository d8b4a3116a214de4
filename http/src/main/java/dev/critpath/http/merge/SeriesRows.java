package dev.critpath.http.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.http.metrics.SecondRow;
import dev.critpath.http.scenario.ScenarioSpec;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.LatencyTag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;
import org.HdrHistogram.Histogram;

/**
 * One scenario's per-second series over every segment, aligned on wall-clock seconds from the
 * merged file's start: latency percentiles of each second from the logged intervals (added, so
 * exact), requests and failures from their counts, VUs, iterations, drops and late starts summed
 * from the segments' own rows. A second is keyed by the end of the interval, as a live run's rows
 * are. Only the numbers of a closed second are kept, so memory is one small row per second.
 */
final class SeriesRows {
  private static final String LATENCY = "http_req_duration";
  private static final String SERVICE = "http_req_service_time";

  /** One second being closed: its latency and service time over every series, added. */
  record Second(Histogram latency, Histogram service, long[] requestsFailed) {
    Second(Histogram latency, Histogram service) {
      this(latency, service, new long[2]);
    }

    void add(LatencyTag tag, Histogram h) {
      if (LATENCY.equals(tag.metric())) {
        latency.add(h);
        requestsFailed[0] += h.getTotalCount();
        if ("false".equals(tag.qualifiers().get("expected_response"))) {
          requestsFailed[1] += h.getTotalCount();
        }
      } else if (SERVICE.equals(tag.metric())) {
        service.add(h);
      }
    }
  }

  /** A closed second's numbers; counters from the segments' rows are added later. */
  private static final class Row {
    long requests;
    long failed;
    Double p50;
    Double p95;
    Double p99;
    Double max;
    Double serviceP99;
    int vus;
    long iterations;
    long dropped;
    long lateStarts;
  }

  private final TreeMap<Long, Row> seconds = new TreeMap<>();

  void close(long second, Second s) {
    Row r = seconds.computeIfAbsent(second, k -> new Row());
    r.requests += s.requestsFailed()[0];
    r.failed += s.requestsFailed()[1];
    if (s.latency().getTotalCount() > 0) {
      r.p50 = LatencySummary.ms(s.latency().getValueAtPercentile(50));
      r.p95 = LatencySummary.ms(s.latency().getValueAtPercentile(95));
      r.p99 = LatencySummary.ms(s.latency().getValueAtPercentile(99));
      r.max = LatencySummary.ms(s.latency().getMaxValue());
    }
    if (s.service().getTotalCount() > 0) {
      r.serviceP99 = LatencySummary.ms(s.service().getValueAtPercentile(99));
    }
  }

  /**
   * The merged rows, once the segments' own rows added their counters.
   *
   * @param secondOf the merged second a wall-clock time (epoch ms) falls in
   */
  List<SecondRow> rows(
      LongUnaryOperator secondOf,
      List<HttpMerge.Segment> segments,
      String file,
      ScenarioSpec spec) {
    for (HttpMerge.Segment seg : segments) {
      JsonNode f = seg.file(file);
      JsonNode sc = HttpMerge.scenario(f, spec.name());
      if (sc == null) {
        continue;
      }
      long fileStart = Instant.parse(f.path("startedAt").asText()).toEpochMilli();
      for (JsonNode row : sc.path("timeSeries")) {
        long wall = fileStart + Math.round(row.path("t").asDouble() * 1000);
        Row r = seconds.computeIfAbsent(secondOf.applyAsLong(wall), k -> new Row());
        r.vus += row.path("vus").asInt();
        r.iterations += row.path("iterations").asLong();
        r.dropped += row.path("dropped").asLong();
        r.lateStarts += row.path("lateStarts").asLong();
      }
    }
    List<SecondRow> out = new ArrayList<>();
    seconds.forEach(
        (t, r) ->
            out.add(
                new SecondRow(
                    t,
                    r.requests,
                    r.failed,
                    r.p50,
                    r.p95,
                    r.p99,
                    r.max,
                    r.serviceP99,
                    r.vus,
                    r.iterations,
                    r.dropped,
                    r.lateStarts)));
    return out;
  }
}
