package dev.critpath.http.metrics;

import java.util.Map;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.HdrHistogram.Recorder;

/**
 * The responses of one request in one scenario with one outcome (status code or transport error
 * kind, cold or warm): corrected latency, service time and time to first byte, each as a recorder
 * the event loops write to without locks and a cumulative histogram the reporter folds intervals
 * into once a second.
 */
public final class Series {
  static final String LATENCY = "http_req_duration";
  static final String SERVICE = "http_req_service_time";
  static final String WAITING = "http_req_waiting";

  /** The metrics a series logs, by their k6 names. */
  static final java.util.Set<String> METRICS = java.util.Set.of(LATENCY, SERVICE, WAITING);

  final String request;
  final int status;
  final ErrorKind error;
  final boolean cold;
  final boolean failed;
  final Map<String, String> tags;

  private final Recorder latency = Histograms.recorder();
  private final Recorder service = Histograms.recorder();
  private final Recorder waiting = Histograms.recorder();
  final PackedHistogram latencyTotal = Histograms.cumulative();
  final PackedHistogram serviceTotal = Histograms.cumulative();
  final PackedHistogram waitingTotal = Histograms.cumulative();

  Series(
      String request,
      int status,
      ErrorKind error,
      boolean cold,
      boolean failed,
      Map<String, String> tags) {
    this.request = request;
    this.status = status;
    this.error = error;
    this.cold = cold;
    this.failed = failed;
    this.tags = tags;
  }

  /** Records one response; any thread. */
  public void record(long latencyNanos, long serviceNanos, long waitingNanos) {
    latency.recordValue(Histograms.micros(latencyNanos));
    service.recordValue(Histograms.micros(serviceNanos));
    if (waitingNanos >= 0) {
      waiting.recordValue(Histograms.micros(waitingNanos));
    }
  }

  /**
   * Moves what was recorded since the last call into the totals; adds it to the interval sums and
   * hands it to the sink (null: no log).
   */
  long fold(
      Histogram scratch, Histogram intervalLatency, Histogram intervalService, IntervalSink sink) {
    latency.getIntervalHistogramInto(scratch);
    long n = scratch.getTotalCount();
    latencyTotal.add(scratch);
    intervalLatency.add(scratch);
    log(sink, LATENCY, scratch);
    service.getIntervalHistogramInto(scratch);
    serviceTotal.add(scratch);
    intervalService.add(scratch);
    log(sink, SERVICE, scratch);
    waiting.getIntervalHistogramInto(scratch);
    waitingTotal.add(scratch);
    log(sink, WAITING, scratch);
    return n;
  }

  private void log(IntervalSink sink, String metric, Histogram interval) {
    if (sink != null) {
      sink.write(tags, metric, interval);
    }
  }

  /** Adds a logged interval of one of {@link #METRICS} to the totals (merging segment runs). */
  void restore(String metric, AbstractHistogram interval) {
    switch (metric) {
      case LATENCY -> latencyTotal.add(interval);
      case SERVICE -> serviceTotal.add(interval);
      case WAITING -> waitingTotal.add(interval);
      default -> throw new IllegalArgumentException("not a series metric: " + metric);
    }
  }

  long count() {
    return latencyTotal.getTotalCount();
  }
}
