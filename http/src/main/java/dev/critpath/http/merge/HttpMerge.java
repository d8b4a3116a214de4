package dev.critpath.http.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.UserError;
import dev.critpath.http.HttpResult;
import dev.critpath.http.HttpStage;
import dev.critpath.http.ScenarioResult;
import dev.critpath.http.engine.FileRunner;
import dev.critpath.http.metrics.MetricsRegistry;
import dev.critpath.http.metrics.ScenarioMetrics;
import dev.critpath.http.scenario.ScenarioFile;
import dev.critpath.http.scenario.ScenarioSpec;
import dev.critpath.http.scenario.Threshold;
import dev.critpath.io.Json;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.ThresholdCheck;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The http sections of N segment runs as one: every file's latency logs replayed in wall-clock
 * order into a {@link MetricsRegistry} (histograms added, never averaged), counters summed from the
 * segments' run.json, the per-second series aligned on wall-clock seconds, and the file's
 * thresholds evaluated by the same code as a live run, on the merged data. abortOnFail thresholds
 * are checked every 2 s of the replay, as during a run: the first failure is the merged verdict
 * (the segments themselves ran on).
 */
public final class HttpMerge {
  /** As FileRunner: abortOnFail thresholds are looked at every 2 s. */
  private static final long ABORT_EVAL_MILLIS = 2000;

  /** The replay clock's origin; not 0, which means "not started" to the metrics. */
  private static final long CLOCK_BASE_NANOS = 1_000_000_000L;

  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final int MAX_ERROR_SAMPLES = 5;

  /** Metrics the latency logs carry, so an abortOnFail on them can be judged during the replay. */
  private static final Set<String> LOGGED =
      Set.of(
          "http_req_duration",
          "http_req_service_time",
          "http_req_waiting",
          "http_req_connecting",
          "start_lag",
          "iteration_duration",
          "http_req_failed",
          "http_reqs");

  /**
   * One segment's http section.
   *
   * @param log its latency log ({@code http.hlog})
   */
  public record Segment(int index, JsonNode http, Path log) {
    String owner() {
      return "segment " + index;
    }

    JsonNode file(String name) {
      for (JsonNode f : http.path("files")) {
        if (name.equals(f.path("name").asText())) {
          return f;
        }
      }
      throw new UserError(owner() + " has no http result for " + name + ": merge its segments");
    }
  }

  private HttpMerge() {}

  /**
   * The merged http section; every interval also goes to {@code out}, as it was.
   *
   * @param env the environment scenario files are re-read with (their thresholds)
   */
  public static ObjectNode merge(List<Segment> segments, LatencyLog out, Map<String, String> env) {
    ObjectNode merged = segments.get(0).http().deepCopy();
    ArrayNode files = Json.mapper().createArrayNode();
    boolean passed = true;
    for (JsonNode first : segments.get(0).http().path("files")) {
      ObjectNode f = new FileMerge(first.path("name").asText(), segments, out, env).merge();
      passed &= HttpResult.PASS.equals(f.path("verdict").asText());
      files.add(f);
    }
    merged.set("files", files);
    merged.put("verdict", passed ? HttpResult.PASS : HttpResult.FAIL);
    merged.put("latencyLog", out.file().getFileName().toString());
    Instant start = null;
    Instant end = null;
    for (Segment s : segments) {
      Instant st = Instant.parse(s.http().path("startedAt").asText());
      Instant en = st.plusMillis(Math.round(s.http().path("durationSeconds").asDouble() * 1000));
      start = start == null || st.isBefore(start) ? st : start;
      end = end == null || en.isAfter(end) ? en : end;
    }
    merged.put("startedAt", start.toString());
    merged.put("durationSeconds", (end.toEpochMilli() - start.toEpochMilli()) / 1000.0);
    return merged;
  }

  /** One scenario file over every segment. */
  private static final class FileMerge {
    private final String name;
    private final List<Segment> segments;
    private final LatencyLog out;
    private final Map<String, String> env;
    private final Map<String, ScenarioMetrics> scenarios = new LinkedHashMap<>();
    private final Map<String, SeriesRows> rows = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private ScenarioFile file;
    private MetricsRegistry registry;
    private long startMillis;
    private String abort;

    FileMerge(String name, List<Segment> segments, LatencyLog out, Map<String, String> env) {
      this.name = name;
      this.segments = segments;
      this.out = out;
      this.env = env;
    }

    ObjectNode merge() {
      JsonNode first = segments.get(0).file(name);
      ObjectNode merged = first.deepCopy();
      for (Segment s : segments) {
        JsonNode f = s.file(name);
        if (!f.has("startedAt")) {
          // no load ran there (functional validation failed): nothing to add, the file failed
          merged.put("verdict", HttpResult.FAIL);
          merged.put("aborted", s.owner() + " ran no load: " + f.path("aborted").asText());
          return merged;
        }
      }
      file = load(first.path("source").asText(), first.path("sha256").asText());
      startMillis =
          segments.stream()
              .mapToLong(s -> Instant.parse(s.file(name).path("startedAt").asText()).toEpochMilli())
              .min()
              .orElseThrow();
      registry = MetricsRegistry.restored(CLOCK_BASE_NANOS, file.customMetrics());
      for (ScenarioSpec spec : file.scenarios().values()) {
        scenarios.put(spec.name(), registry.add(spec.name(), spec.tags()));
      }
      long endMillis = replay();
      registry.setClock(clock(endMillis));
      ArrayNode results = Json.mapper().createArrayNode();
      boolean silent = false;
      for (ScenarioSpec spec : file.scenarios().values()) {
        ScenarioMetrics m = scenarios.get(spec.name());
        m.restoreTotals(
            totals(spec.name()),
            rows.getOrDefault(spec.name(), new SeriesRows())
                .rows(startMillis, segments, name, spec),
            errorSamples(spec.name()));
        ScenarioResult r = registry.summarize(spec, m, FileRunner.config(spec));
        silent |= r.requests() == 0;
        results.add(Json.mapper().valueToTree(r));
      }
      List<ThresholdCheck> thresholds = registry.thresholds(file.thresholds());
      for (Threshold t : file.thresholds()) {
        if (t.abortOnFail() && abort == null && !LOGGED.contains(t.metric())) {
          checkAbort(t, (endMillis - startMillis) / 1000.0);
        }
      }
      for (Segment s : segments) {
        JsonNode f = s.file(name);
        if (f.hasNonNull("aborted")) {
          warnings.add(s.owner() + " stopped early: " + f.path("aborted").asText());
        }
      }
      if (first.has("waba")) {
        warnings.add(
            "the WhatsApp stand-in's compliance is judged per segment (each had its own): not"
                + " merged");
        merged.remove("waba");
      }
      boolean stoppedEarly = segments.stream().anyMatch(s -> s.file(name).hasNonNull("aborted"));
      boolean passed =
          !silent
              && abort == null
              && !stoppedEarly
              && thresholds.stream().allMatch(ThresholdCheck::passed);
      merged.put("startedAt", Instant.ofEpochMilli(startMillis).toString());
      merged.set("scenarios", results);
      merged.set("thresholds", Json.mapper().valueToTree(thresholds));
      if (abort != null) {
        merged.put("aborted", abort);
      } else {
        merged.remove("aborted");
      }
      if (!warnings.isEmpty()) {
        merged.set("warnings", Json.mapper().valueToTree(warnings));
      }
      merged.put("verdict", passed ? HttpResult.PASS : HttpResult.FAIL);
      return merged;
    }

    private ScenarioFile load(String source, String sha256) {
      String recorded = HttpStage.sha256(source);
      if (!recorded.equals(sha256)) {
        throw new UserError(
            "scenario file "
                + source
                + " changed since the segments ran (its sha256 differs): merge with the version"
                + " they ran");
      }
      String name = source.startsWith("bundled:") ? source.substring("bundled:".length()) : source;
      return HttpStage.load(List.of(name), env).get(0);
    }

    private long clock(long wallMillis) {
      return CLOCK_BASE_NANOS + (wallMillis - startMillis) * NANOS_PER_MILLI;
    }

    /** Every segment's intervals of this file in end-time order; returns the last end. */
    private long replay() {
      PriorityQueue<Head> heads =
          new PriorityQueue<>(Comparator.comparingLong(h -> h.current.endMillis()));
      List<LatencyLog.Cursor> cursors = new ArrayList<>();
      long last = startMillis;
      try {
        for (Segment s : segments) {
          LatencyLog.Cursor c = LatencyLog.Cursor.open(s.log(), s.owner());
          cursors.add(c);
          Head h = new Head(c);
          if (h.advance()) {
            heads.add(h);
          }
        }
        long nextEval = startMillis + ABORT_EVAL_MILLIS;
        while (!heads.isEmpty()) {
          Head h = heads.poll();
          LatencyLog.Interval i = h.current;
          while (i.endMillis() > nextEval) {
            abortCheck(nextEval);
            nextEval += ABORT_EVAL_MILLIS;
          }
          apply(i);
          last = Math.max(last, i.endMillis());
          if (h.advance()) {
            heads.add(h);
          }
        }
        abortCheck(last);
      } finally {
        cursors.forEach(LatencyLog.Cursor::close);
      }
      for (Segment s : segments) {
        JsonNode f = s.file(name);
        long fileStart = Instant.parse(f.path("startedAt").asText()).toEpochMilli();
        for (JsonNode sc : f.path("scenarios")) {
          double end = sc.path("startSeconds").asDouble() + sc.path("durationSeconds").asDouble();
          last = Math.max(last, fileStart + Math.round(end * 1000));
        }
      }
      return last;
    }

    /** A cursor with the next interval of this file. */
    private final class Head {
      final LatencyLog.Cursor cursor;
      LatencyLog.Interval current;

      Head(LatencyLog.Cursor cursor) {
        this.cursor = cursor;
      }

      boolean advance() {
        for (LatencyLog.Interval i = cursor.next(); i != null; i = cursor.next()) {
          if (i.tag().section().equals("http") && i.tag().subject().startsWith(name + ":")) {
            current = i;
            return true;
          }
        }
        return false;
      }
    }

    private void apply(LatencyLog.Interval i) {
      String scenario = i.tag().subject().substring(name.length() + 1);
      ScenarioMetrics m = scenarios.get(scenario);
      if (m == null) {
        return; // the file hash matched, so only a renamed scenario could get here
      }
      Map<String, String> tags = new HashMap<>(i.tag().qualifiers());
      tags.put("scenario", scenario);
      m.restore(tags, i.tag().metric(), i.histogram());
      out.interval(i.tag(), i.startMillis(), i.endMillis(), i.histogram());
      rows.computeIfAbsent(scenario, k -> new SeriesRows()).add(i, startMillis);
    }

    private void abortCheck(long atMillis) {
      if (abort != null) {
        return;
      }
      registry.setClock(clock(atMillis));
      double elapsed = (atMillis - startMillis) / 1000.0;
      for (Threshold t : file.thresholds()) {
        if (t.abortOnFail() && LOGGED.contains(t.metric())) {
          checkAbort(t, elapsed);
        }
      }
    }

    private void checkAbort(Threshold t, double elapsed) {
      if (abort != null || elapsed < t.delayAbortEval().toMillis() / 1000.0) {
        return;
      }
      double v = registry.evaluate(t);
      if (!Double.isNaN(v) && !t.holds(v)) {
        abort =
            t.key()
                + " "
                + t.expression()
                + " failed on the merged stream at "
                + Math.round(elapsed)
                + " s (observed "
                + LatencySummary.round(v)
                + "); the segments ran on, the numbers below are of their whole runs";
      }
    }

    /** The scenario's counters over every segment. */
    private ScenarioMetrics.Restored totals(String scenario) {
      long iterations = 0;
      long dropped = 0;
      long late = 0;
      long interrupted = 0;
      long cold = 0;
      int vus = 0;
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      Map<String, Long> errors = new LinkedHashMap<>();
      Map<List<String>, long[]> checks = new LinkedHashMap<>();
      Map<String, double[]> custom = new LinkedHashMap<>();
      for (Segment s : segments) {
        JsonNode f = s.file(name);
        JsonNode sc = scenario(f, scenario);
        if (sc == null) {
          continue;
        }
        iterations += sc.path("iterations").asLong();
        dropped += sc.path("droppedIterations").asLong();
        late += sc.path("lateStarts").asLong();
        interrupted += sc.path("interruptedIterations").asLong();
        cold += sc.path("coldWarm").path("coldStarts").asLong();
        vus += sc.path("maxVus").asInt();
        long fileStart = Instant.parse(f.path("startedAt").asText()).toEpochMilli();
        long st = fileStart + Math.round(sc.path("startSeconds").asDouble() * 1000);
        first = Math.min(first, st);
        last = Math.max(last, st + Math.round(sc.path("durationSeconds").asDouble() * 1000));
        sc.path("errors")
            .fields()
            .forEachRemaining(e -> errors.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        for (JsonNode c : sc.path("checks")) {
          long[] pf =
              checks.computeIfAbsent(
                  List.of(c.path("request").asText(), c.path("name").asText()), k -> new long[2]);
          pf[0] += c.path("passes").asLong();
          pf[1] += c.path("fails").asLong();
        }
        sc.path("metricTallies")
            .fields()
            .forEachRemaining(
                e -> {
                  double[] t = custom.computeIfAbsent(e.getKey(), k -> new double[2]);
                  t[0] += e.getValue().path(0).asDouble();
                  t[1] += e.getValue().path(1).asDouble();
                });
      }
      List<ScenarioMetrics.CheckTally> checkList = new ArrayList<>();
      checks.forEach(
          (k, v) -> checkList.add(new ScenarioMetrics.CheckTally(k.get(0), k.get(1), v[0], v[1])));
      List<ScenarioMetrics.CustomTally> customList = new ArrayList<>();
      custom.forEach(
          (k, v) -> {
            int brace = k.indexOf("{name:");
            customList.add(
                new ScenarioMetrics.CustomTally(
                    k.substring(0, brace), k.substring(brace + 6, k.length() - 1), v[0], v[1]));
          });
      boolean started = first != Long.MAX_VALUE;
      return new ScenarioMetrics.Restored(
          iterations,
          dropped,
          late,
          interrupted,
          cold,
          vus,
          errors,
          checkList,
          customList,
          started ? clock(first) : 0,
          started ? clock(last) : 0);
    }

    private List<ScenarioResult.ErrorSample> errorSamples(String scenario) {
      List<ScenarioResult.ErrorSample> out = new ArrayList<>();
      for (Segment s : segments) {
        JsonNode sc = scenario(s.file(name), scenario);
        if (sc == null) {
          continue;
        }
        for (JsonNode e : sc.path("errorSamples")) {
          if (out.size() < MAX_ERROR_SAMPLES) {
            out.add(Json.mapper().convertValue(e, ScenarioResult.ErrorSample.class));
          }
        }
      }
      return out;
    }
  }

  static JsonNode scenario(JsonNode file, String scenario) {
    for (JsonNode sc : file.path("scenarios")) {
      if (scenario.equals(sc.path("name").asText())) {
        return sc;
      }
    }
    return null;
  }
}
