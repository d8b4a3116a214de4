package dev.critpath.http.metrics;

import dev.critpath.http.ScenarioResult;
import dev.critpath.run.LatencySummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.HdrHistogram.Recorder;

/**
 * Everything one scenario records. Writers (event loops, schedulers) only touch recorders and
 * adders; the reporter thread folds them once a second into totals and a time-series row. Memory
 * stays flat however long the run: histograms, not samples, and one row per second.
 */
public final class ScenarioMetrics {
  private record SeriesKey(String request, int status, ErrorKind error, boolean cold) {}

  private record CheckKey(String request, String check) {}

  private record CustomKey(String metric, String request) {}

  static final String START_LAG = "start_lag";
  static final String ITERATION_DURATION = "iteration_duration";
  static final String CONNECTING = "http_req_connecting";

  final String name;
  final Map<String, String> tags;
  private final Map<SeriesKey, Series> series = new ConcurrentHashMap<>();
  private final Map<CheckKey, LongAdder[]> checks = new ConcurrentHashMap<>();
  private final Map<CustomKey, DoubleAdder[]> custom = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  private final Recorder startLag = Histograms.recorder();
  private final Recorder iterationDuration = Histograms.recorder();
  private final Recorder connecting = Histograms.recorder();
  final PackedHistogram startLagTotal = Histograms.cumulative();
  final PackedHistogram iterationDurationTotal = Histograms.cumulative();
  final PackedHistogram connectingTotal = Histograms.cumulative();

  public final LongAdder iterations = new LongAdder();
  public final LongAdder dropped = new LongAdder();
  public final LongAdder lateStarts = new LongAdder();
  public final LongAdder interrupted = new LongAdder();
  public final LongAdder coldStarts = new LongAdder();
  public final AtomicInteger activeVus = new AtomicInteger();
  public final AtomicInteger allocatedVus = new AtomicInteger();

  private static final int MAX_SAMPLES = 5;
  private final java.util.Queue<ScenarioResult.ErrorSample> samples =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final AtomicInteger sampleCount = new AtomicInteger();

  private final List<SecondRow> rows = new ArrayList<>();
  private long lastIterations;
  private long lastDropped;
  private long lastLate;
  volatile long startedNanos;
  volatile long finishedNanos;

  public ScenarioMetrics(String name, Map<String, String> tags) {
    this.name = name;
    Map<String, String> t = new LinkedHashMap<>(tags);
    t.put("scenario", name);
    this.tags = Map.copyOf(t);
  }

  public String name() {
    return name;
  }

  public void started(long nanos) {
    startedNanos = nanos;
  }

  public void finished(long nanos) {
    finishedNanos = nanos;
  }

  /**
   * The series for one outcome of a request.
   *
   * @param requestTags the request's own tags (name and method are added here)
   * @param status the HTTP status, 0 for a transport error
   */
  public Series series(
      String request,
      String method,
      Map<String, String> requestTags,
      int status,
      ErrorKind error,
      boolean cold,
      boolean failed) {
    return series.computeIfAbsent(
        new SeriesKey(request, status, error, cold),
        k -> {
          Map<String, String> t = new LinkedHashMap<>(tags);
          t.putAll(requestTags);
          t.put("name", request);
          t.put("method", method);
          t.put("status", Integer.toString(status));
          t.put("cold", Boolean.toString(cold));
          t.put("expected_response", Boolean.toString(!failed));
          if (error != null) {
            t.put("error", error.key);
          }
          return new Series(request, status, error, cold, failed, Map.copyOf(t));
        });
  }

  public void error(ErrorKind kind) {
    errors.computeIfAbsent(kind.key, k -> new LongAdder()).increment();
  }

  public void check(String request, String check, boolean passed) {
    checks
        .computeIfAbsent(
            new CheckKey(request, check), k -> new LongAdder[] {new LongAdder(), new LongAdder()})[
        passed ? 0 : 1]
        .increment();
  }

  /** Adds to a custom rate ({@code trues} of {@code total}) or counter ({@code total} = 0). */
  public void custom(String metric, String request, double trues, double total) {
    DoubleAdder[] a =
        custom.computeIfAbsent(
            new CustomKey(metric, request),
            k -> new DoubleAdder[] {new DoubleAdder(), new DoubleAdder()});
    a[0].add(trues);
    a[1].add(total);
  }

  /** Whether another failure sample is still wanted (the first few are kept). */
  public boolean wantsSample() {
    return sampleCount.get() < MAX_SAMPLES;
  }

  public void sample(ScenarioResult.ErrorSample sample) {
    if (sampleCount.getAndIncrement() < MAX_SAMPLES) {
      samples.add(sample);
    }
  }

  List<ScenarioResult.ErrorSample> samples() {
    return List.copyOf(samples);
  }

  public void startLag(long nanos) {
    startLag.recordValue(Histograms.micros(nanos));
  }

  public void iterationDuration(long nanos) {
    iterationDuration.recordValue(Histograms.micros(nanos));
  }

  public void connecting(long nanos) {
    connecting.recordValue(Histograms.micros(nanos));
  }

  /** Folds the last second into the totals and, once the scenario started, appends a row. */
  synchronized void tick(
      long nowNanos,
      long testStartNanos,
      Histogram scratch,
      Histogram lat,
      Histogram svc,
      IntervalSink sink) {
    lat.reset();
    svc.reset();
    long requests = 0;
    long failed = 0;
    for (Series s : series.values()) {
      long n = s.fold(scratch, lat, svc, sink);
      requests += n;
      if (s.failed) {
        failed += n;
      }
    }
    fold(startLag, startLagTotal, START_LAG, scratch, sink);
    fold(iterationDuration, iterationDurationTotal, ITERATION_DURATION, scratch, sink);
    fold(connecting, connectingTotal, CONNECTING, scratch, sink);
    if (startedNanos == 0 || (finishedNanos != 0 && requests == 0)) {
      return;
    }
    long it = iterations.sum();
    long dr = dropped.sum();
    long la = lateStarts.sum();
    boolean any = lat.getTotalCount() > 0;
    rows.add(
        new SecondRow(
            Math.round((nowNanos - testStartNanos) / 1e8) / 10.0,
            requests,
            failed,
            any ? LatencySummary.ms(lat.getValueAtPercentile(50)) : null,
            any ? LatencySummary.ms(lat.getValueAtPercentile(95)) : null,
            any ? LatencySummary.ms(lat.getValueAtPercentile(99)) : null,
            any ? LatencySummary.ms(lat.getMaxValue()) : null,
            any ? LatencySummary.ms(svc.getValueAtPercentile(99)) : null,
            activeVus.get(),
            it - lastIterations,
            dr - lastDropped,
            la - lastLate));
    lastIterations = it;
    lastDropped = dr;
    lastLate = la;
  }

  private void fold(
      Recorder from, PackedHistogram total, String metric, Histogram scratch, IntervalSink sink) {
    from.getIntervalHistogramInto(scratch);
    total.add(scratch);
    if (sink != null) {
      sink.write(tags, metric, scratch);
    }
  }

  /** The newest time-series row, or null before the first. */
  public synchronized SecondRow lastRow() {
    return rows.isEmpty() ? null : rows.get(rows.size() - 1);
  }

  /** Whether the scenario started and has not finished. */
  public boolean isRunning() {
    return startedNanos != 0 && finishedNanos == 0;
  }

  synchronized List<SecondRow> rows() {
    return List.copyOf(rows);
  }

  Iterable<Series> allSeries() {
    return series.values();
  }

  Map<String, Long> errors() {
    Map<String, Long> out = new java.util.TreeMap<>();
    errors.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** One check's outcomes so far. */
  public record CheckTally(String request, String check, long passes, long fails) {}

  /** One custom metric of one request so far: trues of total for a rate, the sum for a counter. */
  public record CustomTally(String metric, String request, double trues, double total) {}

  List<CheckTally> checks() {
    List<CheckTally> out = new ArrayList<>();
    checks.forEach(
        (k, v) -> out.add(new CheckTally(k.request(), k.check(), v[0].sum(), v[1].sum())));
    return out;
  }

  List<CustomTally> customValues() {
    List<CustomTally> out = new ArrayList<>();
    custom.forEach(
        (k, v) -> out.add(new CustomTally(k.metric(), k.request(), v[0].sum(), v[1].sum())));
    return out;
  }

  /**
   * Adds a logged interval to the totals (merging segment runs): a series metric goes to the series
   * its qualifiers name (request, status, error, cold, expected_response), created on first use.
   *
   * @param tags the interval's qualifiers plus {@code scenario}
   */
  public synchronized void restore(Map<String, String> tags, String metric, AbstractHistogram h) {
    switch (metric) {
      case START_LAG -> startLagTotal.add(h);
      case ITERATION_DURATION -> iterationDurationTotal.add(h);
      case CONNECTING -> connectingTotal.add(h);
      default -> {
        if (!Series.METRICS.contains(metric)) {
          return; // a metric this version does not know: kept in the merged log only
        }
        String request = tags.getOrDefault("name", "");
        int status = Integer.parseInt(tags.getOrDefault("status", "0"));
        ErrorKind error = ErrorKind.ofKey(tags.get("error"));
        boolean cold = Boolean.parseBoolean(tags.get("cold"));
        boolean failed = "false".equals(tags.get("expected_response"));
        series
            .computeIfAbsent(
                new SeriesKey(request, status, error, cold),
                k -> new Series(request, status, error, cold, failed, Map.copyOf(tags)))
            .restore(metric, h);
      }
    }
  }

  /**
   * Sets what a merge summed from the segments' run.json: counters, checks, errors, custom metrics,
   * the aligned time series, the wall-clock span (nanoseconds on the registry's clock).
   */
  public synchronized void restoreTotals(
      Restored r, List<SecondRow> mergedRows, List<ScenarioResult.ErrorSample> errorSamples) {
    iterations.add(r.iterations());
    dropped.add(r.dropped());
    lateStarts.add(r.lateStarts());
    interrupted.add(r.interrupted());
    coldStarts.add(r.coldStarts());
    allocatedVus.addAndGet(r.maxVus());
    r.errors().forEach((k, n) -> errors.computeIfAbsent(k, x -> new LongAdder()).add(n));
    for (CheckTally c : r.checks()) {
      LongAdder[] a =
          checks.computeIfAbsent(
              new CheckKey(c.request(), c.check()),
              k -> new LongAdder[] {new LongAdder(), new LongAdder()});
      a[0].add(c.passes());
      a[1].add(c.fails());
    }
    for (CustomTally c : r.custom()) {
      custom(c.metric(), c.request(), c.trues(), c.total());
    }
    startedNanos = r.startedNanos();
    finishedNanos = r.finishedNanos();
    rows.clear();
    rows.addAll(mergedRows);
    for (ScenarioResult.ErrorSample e : errorSamples) {
      sample(e);
    }
  }

  /** A scenario's counters summed over segments, for {@link #restoreTotals}. */
  public record Restored(
      long iterations,
      long dropped,
      long lateStarts,
      long interrupted,
      long coldStarts,
      int maxVus,
      Map<String, Long> errors,
      List<CheckTally> checks,
      List<CustomTally> custom,
      long startedNanos,
      long finishedNanos) {}

  /** Seconds between the scenario's start and its end (or now). */
  double elapsedSeconds(long nowNanos) {
    if (startedNanos == 0) {
      return 0;
    }
    long end = finishedNanos != 0 ? finishedNanos : nowNanos;
    return Math.max(0, (end - startedNanos) / 1e9);
  }
}
