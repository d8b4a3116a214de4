package dev.critpath.http.metrics;

import dev.critpath.http.ScenarioResult;
import dev.critpath.http.scenario.MetricKind;
import dev.critpath.http.scenario.ScenarioSpec;
import dev.critpath.http.scenario.Threshold;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.LatencyTag;
import dev.critpath.run.Section;
import dev.critpath.run.ThresholdCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

/**
 * The metrics of one scenario file's run: folds every scenario once a second (time series), and
 * evaluates thresholds in k6's grammar over the totals, narrowed by tags like k6's sub-metrics.
 */
public final class MetricsRegistry {
  private final List<ScenarioMetrics> scenarios = new ArrayList<>();
  private final Histogram scratch = Histograms.scratch();
  private final Histogram intervalLatency = Histograms.scratch();
  private final Histogram intervalService = Histograms.scratch();
  private static final String SCENARIO_TAG = "scenario";
  private final long testStartNanos;
  private final Map<String, MetricKind> customKinds;
  private LatencyLog log;
  private String logFile;
  private long wallStartMillis;
  private long lastTickMillis;
  private Long clockNanos;

  /**
   * @param customKinds the kinds of the metrics the scenario file reads from response bodies
   */
  public MetricsRegistry(long testStartNanos, Map<String, MetricKind> customKinds) {
    this.testStartNanos = testStartNanos;
    this.customKinds = customKinds;
  }

  /**
   * A registry that a merge fills from logs instead of live requests: its clock stands where {@link
   * #setClock} puts it (rate aggregations divide by the time from the start to there).
   */
  public static MetricsRegistry restored(long testStartNanos, Map<String, MetricKind> customKinds) {
    MetricsRegistry r = new MetricsRegistry(testStartNanos, customKinds);
    r.clockNanos = testStartNanos;
    return r;
  }

  /** Moves a restored registry's clock (nanoseconds on the same scale as the test start). */
  public synchronized void setClock(long nanos) {
    clockNanos = nanos;
  }

  private long now() {
    return clockNanos != null ? clockNanos : System.nanoTime();
  }

  public synchronized ScenarioMetrics add(String scenario, Map<String, String> tags) {
    ScenarioMetrics m = new ScenarioMetrics(scenario, tags);
    scenarios.add(m);
    return m;
  }

  /**
   * Writes every second's histograms to {@code log} from now on, tagged {@code
   * http/<file>:<scenario>/<metric>} with the series' tags as qualifiers.
   *
   * @param wallStartMillis the wall-clock time of {@code testStartNanos}
   */
  public synchronized void logTo(LatencyLog log, String file, long wallStartMillis) {
    this.log = log;
    this.logFile = file;
    this.wallStartMillis = wallStartMillis;
    this.lastTickMillis = wallStartMillis;
  }

  /** Folds the last second of every scenario; called once a second by one thread. */
  public synchronized void tick() {
    long now = System.nanoTime();
    IntervalSink sink = null;
    if (log != null) {
      long from = lastTickMillis;
      long to = wallStartMillis + (now - testStartNanos) / 1_000_000;
      lastTickMillis = to;
      sink = (tags, metric, h) -> log.interval(tag(logFile, tags, metric), from, to, h);
    }
    for (ScenarioMetrics m : scenarios) {
      m.tick(now, testStartNanos, scratch, intervalLatency, intervalService, sink);
    }
    if (log != null) {
      log.flush();
    }
  }

  /** The log tag of one scenario's (or series') metric. */
  static LatencyTag tag(String file, Map<String, String> tags, String metric) {
    Map<String, String> qualifiers = new TreeMap<>(tags);
    String scenario = qualifiers.remove(SCENARIO_TAG);
    return LatencyTag.of(Section.HTTP, file + ":" + scenario, metric, qualifiers);
  }

  /** The threshold's observed value, NaN when no sample matched. */
  public synchronized double evaluate(Threshold t) {
    Map<String, String> filter = t.tags();
    switch (t.metric()) {
      case "http_req_duration":
        return trend(t, seriesHistograms(filter, s -> s.latencyTotal));
      case "http_req_service_time":
        return trend(t, seriesHistograms(filter, s -> s.serviceTotal));
      case "http_req_waiting":
        return trend(t, seriesHistograms(filter, s -> s.waitingTotal));
      case "http_req_connecting":
        return trend(t, scenarioHistograms(filter, m -> m.connectingTotal));
      case "start_lag":
        return trend(t, scenarioHistograms(filter, m -> m.startLagTotal));
      case "iteration_duration":
        return trend(t, scenarioHistograms(filter, m -> m.iterationDurationTotal));
      case "http_req_failed":
        {
          long failed = 0;
          long total = 0;
          for (Series s : matchingSeries(filter)) {
            total += s.count();
            failed += s.failed ? s.count() : 0;
          }
          return total == 0 ? Double.NaN : (double) failed / total;
        }
      case "http_reqs":
        {
          long n = 0;
          for (Series s : matchingSeries(filter)) {
            n += s.count();
          }
          return counter(t, n);
        }
      case "checks":
        {
          long pass = 0;
          long total = 0;
          for (ScenarioMetrics m : scenarios) {
            for (ScenarioMetrics.CheckTally c : m.checks()) {
              Map<String, String> tags = new LinkedHashMap<>(m.tags);
              tags.put("name", c.request());
              tags.put("check", c.check());
              if (matches(tags, filter)) {
                pass += c.passes();
                total += c.passes() + c.fails();
              }
            }
          }
          return total == 0 ? Double.NaN : (double) pass / total;
        }
      case "iterations":
        return counter(t, scenarioCount(filter, m -> m.iterations.sum()));
      case "dropped_iterations":
        return counter(t, scenarioCount(filter, m -> m.dropped.sum()));
      case "late_starts":
        return counter(t, scenarioCount(filter, m -> m.lateStarts.sum()));
      case "cold_starts":
        return counter(t, scenarioCount(filter, m -> m.coldStarts.sum()));
      default:
        return custom(t);
    }
  }

  private double custom(Threshold t) {
    double trues = 0;
    double total = 0;
    for (ScenarioMetrics m : scenarios) {
      for (ScenarioMetrics.CustomTally c : m.customValues()) {
        Map<String, String> tags = new LinkedHashMap<>(m.tags);
        tags.put("name", c.request());
        if (c.metric().equals(t.metric()) && matches(tags, t.tags())) {
          trues += c.trues();
          total += c.total();
        }
      }
    }
    if (customKinds.get(t.metric()) == MetricKind.RATE) {
      return total == 0 ? Double.NaN : trues / total;
    }
    return counter(t, Math.round(trues));
  }

  private double counter(Threshold t, long count) {
    if ("rate".equals(t.aggregation())) {
      double seconds = (now() - testStartNanos) / 1e9;
      return seconds <= 0 ? 0 : count / seconds;
    }
    return count;
  }

  private static double trend(Threshold t, List<AbstractHistogram> parts) {
    Histogram merged = Histograms.scratch();
    for (AbstractHistogram h : parts) {
      merged.add(h);
    }
    if (merged.getTotalCount() == 0) {
      return Double.NaN;
    }
    switch (t.aggregation()) {
      case "avg":
        return merged.getMean() / 1000.0;
      case "min":
        return merged.getMinValue() / 1000.0;
      case "max":
        return merged.getMaxValue() / 1000.0;
      case "med":
        return merged.getValueAtPercentile(50) / 1000.0;
      default:
        return merged.getValueAtPercentile(t.percentile()) / 1000.0;
    }
  }

  private List<Series> matchingSeries(Map<String, String> filter) {
    List<Series> out = new ArrayList<>();
    for (ScenarioMetrics m : scenarios) {
      for (Series s : m.allSeries()) {
        if (matches(s.tags, filter)) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private List<AbstractHistogram> seriesHistograms(
      Map<String, String> filter, Function<Series, AbstractHistogram> which) {
    List<AbstractHistogram> out = new ArrayList<>();
    for (Series s : matchingSeries(filter)) {
      out.add(which.apply(s));
    }
    return out;
  }

  private List<AbstractHistogram> scenarioHistograms(
      Map<String, String> filter, Function<ScenarioMetrics, AbstractHistogram> which) {
    List<AbstractHistogram> out = new ArrayList<>();
    for (ScenarioMetrics m : scenarios) {
      if (matches(m.tags, filter)) {
        out.add(which.apply(m));
      }
    }
    return out;
  }

  private long scenarioCount(Map<String, String> filter, Function<ScenarioMetrics, Long> which) {
    long n = 0;
    for (ScenarioMetrics m : scenarios) {
      if (matches(m.tags, filter)) {
        n += which.apply(m);
      }
    }
    return n;
  }

  private static boolean matches(Map<String, String> tags, Map<String, String> filter) {
    for (Map.Entry<String, String> f : filter.entrySet()) {
      if (!f.getValue().equals(tags.get(f.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Every threshold's outcome now. */
  public synchronized List<ThresholdCheck> thresholds(List<Threshold> thresholds) {
    List<ThresholdCheck> out = new ArrayList<>();
    for (Threshold t : thresholds) {
      double v = evaluate(t);
      boolean noData = Double.isNaN(v);
      out.add(
          t.checked(
              unit(t),
              noData ? null : LatencySummary.round(v),
              !noData && t.holds(v),
              noData ? "no samples matched " + t.key() : null));
    }
    return out;
  }

  /** Trends are in ms; a rate is a share of a rate metric, or a counter's per second. */
  private String unit(Threshold t) {
    return switch (t.aggregation()) {
      case "count" -> ThresholdCheck.COUNT;
      case "rate" ->
          MetricKind.BUILTIN.getOrDefault(t.metric(), customKinds.get(t.metric()))
                  == MetricKind.COUNTER
              ? ThresholdCheck.PER_SECOND
              : ThresholdCheck.RATIO;
      default -> ThresholdCheck.MS;
    };
  }

  /** One request's series of a scenario, summed. */
  private static final class RequestTotals {
    final Histogram latency = Histograms.scratch();
    final Histogram service = Histograms.scratch();
    long count;
    long failed;
    String method;

    void add(Series s, long n) {
      latency.add(s.latencyTotal);
      service.add(s.serviceTotal);
      count += n;
      failed += s.failed ? n : 0;
      method = s.tags.get("method");
    }

    ScenarioResult.RequestResult result(String name) {
      return new ScenarioResult.RequestResult(
          name,
          method,
          count,
          count == 0 ? 0 : LatencySummary.round((double) failed / count),
          LatencySummary.of(latency),
          LatencySummary.of(service));
    }
  }

  /** The result of one scenario from its totals. */
  public synchronized ScenarioResult summarize(
      ScenarioSpec spec, ScenarioMetrics m, Map<String, Object> config) {
    Histogram latency = Histograms.scratch();
    Histogram service = Histograms.scratch();
    Histogram waiting = Histograms.scratch();
    Histogram cold = Histograms.scratch();
    Histogram warm = Histograms.scratch();
    Map<String, Long> statusCodes = new TreeMap<>();
    Map<String, RequestTotals> byRequest = new LinkedHashMap<>();
    long requests = 0;
    long failed = 0;
    for (Series s : m.allSeries()) {
      long n = s.count();
      requests += n;
      failed += s.failed ? n : 0;
      latency.add(s.latencyTotal);
      service.add(s.serviceTotal);
      waiting.add(s.waitingTotal);
      (s.cold ? cold : warm).add(s.latencyTotal);
      if (s.status > 0) {
        statusCodes.merge(Integer.toString(s.status), n, Long::sum);
      }
      byRequest.computeIfAbsent(s.request, k -> new RequestTotals()).add(s, n);
    }
    List<ScenarioResult.RequestResult> perRequest = new ArrayList<>();
    byRequest.forEach((name, r) -> perRequest.add(r.result(name)));
    List<ScenarioResult.CheckResult> checks = new ArrayList<>();
    for (ScenarioMetrics.CheckTally c : m.checks()) {
      checks.add(new ScenarioResult.CheckResult(c.request(), c.check(), c.passes(), c.fails()));
    }
    Map<String, Double> custom = new TreeMap<>();
    Map<String, List<Double>> tallies = new TreeMap<>();
    for (ScenarioMetrics.CustomTally c : m.customValues()) {
      String key = c.metric() + "{name:" + c.request() + "}";
      custom.put(key, c.total() > 0 ? LatencySummary.round(c.trues() / c.total()) : c.trues());
      tallies.put(key, List.of(c.trues(), c.total()));
    }
    double seconds = m.elapsedSeconds(now());
    long iterations = m.iterations.sum();
    long coldStarts = m.coldStarts.sum();
    return new ScenarioResult(
        spec.name(),
        spec.executor().k6Name,
        spec.phase(),
        spec.tags(),
        config,
        spec.network(),
        m.startedNanos == 0 ? 0 : LatencySummary.round((m.startedNanos - testStartNanos) / 1e9),
        LatencySummary.round(seconds),
        requests,
        seconds == 0 ? 0 : LatencySummary.round(requests / seconds),
        iterations,
        seconds == 0 ? 0 : LatencySummary.round(iterations / seconds),
        m.dropped.sum(),
        m.lateStarts.sum(),
        m.interrupted.sum(),
        m.allocatedVus.get(),
        requests == 0 ? 0 : LatencySummary.round((double) failed / requests),
        LatencySummary.of(latency),
        LatencySummary.of(service),
        LatencySummary.of(waiting),
        spec.executor().openModel ? LatencySummary.of(m.startLagTotal) : null,
        LatencySummary.of(m.iterationDurationTotal),
        LatencySummary.of(m.connectingTotal),
        coldStarts == 0
            ? null
            : new ScenarioResult.ColdWarm(
                coldStarts, LatencySummary.of(cold), LatencySummary.of(warm)),
        statusCodes,
        m.errors(),
        checks,
        perRequest,
        custom.isEmpty() ? null : custom,
        tallies.isEmpty() ? null : tallies,
        m.rows(),
        m.samples().isEmpty() ? null : m.samples());
  }
}
