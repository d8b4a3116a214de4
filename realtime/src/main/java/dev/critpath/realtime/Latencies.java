package dev.critpath.realtime;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A latency distribution that many threads record into while it may be read at any time: an
 * HdrHistogram {@link Recorder} (wait-free recording), drained into a running total on read.
 */
final class Latencies {
  private final Recorder recorder = new Recorder(LatencySummary.MAX_TRACKABLE_MICROS, 3);
  private final Histogram total = new Histogram(LatencySummary.MAX_TRACKABLE_MICROS, 3);

  /** Records a duration given in nanoseconds (negative ones count as zero). */
  void recordNanos(long nanos) {
    long micros = Math.max(0, nanos / 1_000);
    recorder.recordValue(Math.min(micros, LatencySummary.MAX_TRACKABLE_MICROS));
  }

  synchronized LatencySummary summary() {
    total.add(recorder.getIntervalHistogram());
    return LatencySummary.of(total);
  }
}
