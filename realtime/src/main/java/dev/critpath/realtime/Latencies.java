package dev.critpath.realtime;

import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.LatencyTag;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A latency distribution that many threads record into while it may be read at any time: an
 * HdrHistogram {@link Recorder} (wait-free recording), drained into a running total on read.
 */
final class Latencies {
  /** Longest latency a histogram tracks; anything longer is clamped to it. */
  static final long MAX_TRACKABLE_MICROS = TimeUnit.MINUTES.toMicros(10);

  private final Recorder recorder = new Recorder(MAX_TRACKABLE_MICROS, LatencyLog.DIGITS);
  private final Histogram total = new Histogram(MAX_TRACKABLE_MICROS, LatencyLog.DIGITS);
  private final long createdMillis = System.currentTimeMillis();

  /** Records a duration given in nanoseconds (negative ones count as zero). */
  void recordNanos(long nanos) {
    long micros = Math.max(0, nanos / 1_000);
    recorder.recordValue(Math.min(micros, MAX_TRACKABLE_MICROS));
  }

  synchronized LatencySummary summary() {
    total.add(recorder.getIntervalHistogram());
    return LatencySummary.of(total);
  }

  /**
   * Writes the whole distribution as one interval, from this object's creation to now: a realtime
   * scenario is short and its total is one bounded histogram, so memory stays flat without
   * per-second intervals.
   */
  synchronized void log(LatencyLog log, LatencyTag tag) {
    total.add(recorder.getIntervalHistogram());
    log.interval(tag, createdMillis, System.currentTimeMillis(), total);
  }
}
