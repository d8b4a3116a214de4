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
import dev.critpath.http.metrics.ServerThresholds;
import dev.critpath.http.scenario.ScenarioFile;
import dev.critpath.http.scenario.ScenarioSpec;
import dev.critpath.http.scenario.Threshold;
import dev.critpath.io.Json;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.LatencyTag;
import dev.critpath.run.ThresholdCheck;
import dev.critpath.sampler.ServerMetric;
import dev.critpath.sampler.StageLoad;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

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
  private static final double MILLIS_PER_SECOND = 1000.0;

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
   * @param server the segments' http stage on the server, merged; null when none was sampled
   */
  public static ObjectNode merge(
      List<Segment> segments, LatencyLog out, Map<String, String> env, StageLoad server) {
    ObjectNode merged = segments.get(0).http().deepCopy();
    ArrayNode files = Json.mapper().createArrayNode();
    boolean passed = true;
    for (JsonNode first : segments.get(0).http().path("files")) {
      ObjectNode f = new FileMerge(first.path("name").asText(), segments, out, env, server).merge();
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
    private final StageLoad server;
    private final Map<String, ScenarioMetrics> scenarios = new LinkedHashMap<>();
    private final Map<String, SeriesRows> rows = new HashMap<>();

    /**
     * Closed seconds not yet in the registry, per tag (plain histograms, one add per tag and
     * second: the registry's packed totals are slow to add to, and only abortOnFail needs them
     * before the end).
     */
    private final Map<LatencyTag, Histogram> pending = new HashMap<>();

    /** Wall-clock seconds not yet complete: every tag's intervals that end in them, added. */
    private final TreeMap<Long, Map<LatencyTag, Histogram>> window = new TreeMap<>();

    private final ArrayDeque<Histogram> spare = new ArrayDeque<>();
    private boolean judgesAbortOnTheFly;
    private final List<String> warnings = new ArrayList<>();
    private ScenarioFile file;
    private MetricsRegistry registry;
    private long startMillis;
    private String abort;

    FileMerge(
        String name,
        List<Segment> segments,
        LatencyLog out,
        Map<String, String> env,
        StageLoad server) {
      this.name = name;
      this.segments = segments;
      this.out = out;
      this.env = env;
      this.server = server;
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
                .rows(this::second, segments, name, spec),
            errorSamples(spec.name()));
        ScenarioResult r = registry.summarize(spec, m, FileRunner.config(spec));
        silent |= r.requests() == 0;
        results.add(Json.mapper().valueToTree(r));
      }
      List<ThresholdCheck> thresholds =
          new ArrayList<>(
              registry.thresholds(
                  file.thresholds().stream().filter(t -> !ServerThresholds.isServer(t)).toList()));
      thresholds.addAll(serverThresholds(endMillis));
      for (Threshold t : file.thresholds()) {
        if (t.abortOnFail() && abort == null && !judgedDuringReplay(t)) {
          checkAbort(t, endMillis);
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
              && thresholds.stream().allMatch(t -> Boolean.TRUE.equals(t.passed()));
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

    /**
     * The file's server thresholds, judged as a live run judges them, on the merged samples of its
     * load (from its first segment's start to its last one's end, plus the last sample's slack).
     */
    private List<ThresholdCheck> serverThresholds(long endMillis) {
      List<Threshold> onServer =
          file.thresholds().stream().filter(ServerThresholds::isServer).toList();
      if (server == null) {
        return ServerThresholds.evaluate(
            onServer, m -> Optional.of(ServerThresholds.NOT_SAMPLED), List.of());
      }
      return ServerThresholds.evaluate(
          onServer,
          server::hidden,
          server.between(
              Instant.ofEpochMilli(startMillis),
              Instant.ofEpochMilli(endMillis + (long) MILLIS_PER_SECOND)));
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
      judgesAbortOnTheFly =
          file.thresholds().stream().anyMatch(t -> t.abortOnFail() && judgedDuringReplay(t));
      PriorityQueue<Head> heads =
          new PriorityQueue<>(Comparator.comparingLong(h -> h.current.endMillis()));
      List<LatencyLog.Cursor> cursors = new ArrayList<>();
      long last = startMillis;
      try {
        for (Segment s : segments) {
          LatencyLog.Cursor c = LatencyLog.Cursor.open(s.log(), s.owner());
          cursors.add(c);
          Head h = new Head(c, s.owner());
          if (h.advance()) {
            heads.add(h);
          }
        }
        long nextEval = startMillis + ABORT_EVAL_MILLIS;
        while (!heads.isEmpty()) {
          Head h = heads.poll();
          LatencyLog.Interval i = h.current;
          closeSecondsBefore(i.endMillis());
          while (judgesAbortOnTheFly && i.endMillis() > nextEval) {
            abortCheck(nextEval);
            nextEval += ABORT_EVAL_MILLIS;
          }
          apply(i);
          last = Math.max(last, i.endMillis());
          if (h.advance()) {
            heads.add(h);
          }
        }
        closeSecondsBefore(Long.MAX_VALUE);
        flushPending();
        if (judgesAbortOnTheFly) {
          abortCheck(last);
        }
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

    /** The wall-clock second (1-based from the file's start) an interval ending then counts in. */
    private long second(long endMillis) {
      return Math.max(1, (long) Math.ceil((endMillis - startMillis) / MILLIS_PER_SECOND));
    }

    private long secondEnd(long second) {
      return startMillis + second * (long) MILLIS_PER_SECOND;
    }

    private Histogram borrow() {
      Histogram h = spare.poll();
      return h != null ? h : LatencyLog.histogram();
    }

    /**
     * Completes every second that ends before {@code endMillis}: intervals arrive in end order, so
     * no later one falls in it. Its tags go to the merged log (one interval per tag per second, the
     * segments added) and its latency to the scenario's row.
     */
    private void closeSecondsBefore(long endMillis) {
      while (!window.isEmpty() && secondEnd(window.firstKey()) < endMillis) {
        Map.Entry<Long, Map<LatencyTag, Histogram>> second = window.pollFirstEntry();
        long to = secondEnd(second.getKey());
        long from = to - (long) MILLIS_PER_SECOND;
        Map<String, SeriesRows.Second> perScenario = new HashMap<>();
        for (Map.Entry<LatencyTag, Histogram> e : second.getValue().entrySet()) {
          LatencyTag tag = e.getKey();
          Histogram h = e.getValue();
          out.interval(tag, from, to, h);
          pending.computeIfAbsent(tag, k -> LatencyLog.histogram()).add(h);
          String scenario = tag.subject().substring(name.length() + 1);
          perScenario
              .computeIfAbsent(scenario, k -> new SeriesRows.Second(borrow(), borrow()))
              .add(tag, h);
          h.reset();
          spare.push(h);
        }
        perScenario.forEach(
            (scenario, sec) -> {
              rows.computeIfAbsent(scenario, k -> new SeriesRows()).close(second.getKey(), sec);
              sec.latency().reset();
              sec.service().reset();
              spare.push(sec.latency());
              spare.push(sec.service());
            });
      }
    }

    /** Brings the registry up to date with what arrived since the last time. */
    private void flushPending() {
      for (Map.Entry<LatencyTag, Histogram> e : pending.entrySet()) {
        Histogram h = e.getValue();
        if (h.getTotalCount() == 0) {
          continue;
        }
        String scenario = e.getKey().subject().substring(name.length() + 1);
        Map<String, String> tags = new HashMap<>(e.getKey().qualifiers());
        tags.put("scenario", scenario);
        scenarios.get(scenario).restore(tags, e.getKey().metric(), h);
        h.reset();
      }
    }

    /** A cursor with the next interval of this file. */
    private final class Head {
      final LatencyLog.Cursor cursor;
      final String owner;
      LatencyLog.Interval current;

      Head(LatencyLog.Cursor cursor, String owner) {
        this.cursor = cursor;
        this.owner = owner;
      }

      boolean advance() {
        for (LatencyLog.Interval i = cursor.next(); i != null; i = cursor.next()) {
          if (i.tag().section().equals("http") && i.tag().subject().startsWith(name + ":")) {
            if (current != null && i.endMillis() < current.endMillis()) {
              // a live run writes every second's intervals in turn; the replay relies on it
              throw new UserError(
                  owner
                      + ": its latency log is not in time order (an interval of "
                      + i.tag().encode()
                      + " ends before the one above it): it was not written by critpath's http"
                      + " stage, re-run that segment");
            }
            current = i;
            return true;
          }
        }
        return false;
      }
    }

    private void apply(LatencyLog.Interval i) {
      LatencyTag tag = i.tag();
      if (!scenarios.containsKey(tag.subject().substring(name.length() + 1))) {
        return; // the file hash matched, so only a renamed scenario could get here
      }
      window
          .computeIfAbsent(second(i.endMillis()), k -> new HashMap<>())
          .computeIfAbsent(tag, k -> borrow())
          .add(i.histogram());
    }

    private void abortCheck(long atMillis) {
      if (abort != null) {
        return;
      }
      flushPending();
      registry.setClock(clock(atMillis));
      for (Threshold t : file.thresholds()) {
        if (t.abortOnFail() && judgedDuringReplay(t)) {
          checkAbort(t, atMillis);
        }
      }
    }

    /**
     * Whether the replay has {@code t}'s data second by second: a metric the latency logs carry, or
     * a server metric of the merged samples (the others are judged once, on the totals).
     */
    private boolean judgedDuringReplay(Threshold t) {
      return LOGGED.contains(t.metric()) || (ServerThresholds.isServer(t) && server != null);
    }

    private void checkAbort(Threshold t, long atMillis) {
      double elapsed = (atMillis - startMillis) / 1000.0;
      if (abort != null || elapsed < t.delayAbortEval().toMillis() / 1000.0) {
        return;
      }
      double v = value(t, atMillis);
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

    /**
     * {@code t}'s aggregate on the merged stream so far: the replayed client metrics, or the merged
     * server samples up to {@code atMillis} (NaN, not evaluated, where no segment saw the metric).
     */
    private double value(Threshold t, long atMillis) {
      if (!ServerThresholds.isServer(t)) {
        return registry.evaluate(t);
      }
      if (server == null
          || server.hidden(ServerMetric.named(t.metric()).orElseThrow()).isPresent()) {
        return Double.NaN;
      }
      return ServerThresholds.value(
          t, server.between(Instant.ofEpochMilli(startMillis), Instant.ofEpochMilli(atMillis)));
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
