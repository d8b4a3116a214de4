package dev.critpath.http.metrics;

import java.util.Map;
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

  /** Moves what was recorded since the last call into the totals; adds it to the interval sums. */
  long fold(Histogram scratch, Histogram intervalLatency, Histogram intervalService) {
    latency.getIntervalHistogramInto(scratch);
    long n = scratch.getTotalCount();
    latencyTotal.add(scratch);
    intervalLatency.add(scratch);
    service.getIntervalHistogramInto(scratch);
    serviceTotal.add(scratch);
    intervalService.add(scratch);
    waiting.getIntervalHistogramInto(scratch);
    waitingTotal.add(scratch);
    return n;
  }

  long count() {
    return latencyTotal.getTotalCount();
  }
}
