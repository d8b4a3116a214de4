package dev.critpath.http.metrics;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;
import org.HdrHistogram.Recorder;

/**
 * The one histogram configuration: microseconds, 3 significant digits (as wrk2). Recorders are
 * plain auto-resizing concurrent histograms (the packed concurrent variant can livelock a writer
 * while the reader flips intervals); totals, touched by one thread only, are packed.
 */
final class Histograms {
  static final int DIGITS = 3;

  /** Longer values are clamped: a request never legitimately takes an hour. */
  static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

  private Histograms() {}

  static Recorder recorder() {
    return new Recorder(DIGITS);
  }

  static PackedHistogram cumulative() {
    return new PackedHistogram(DIGITS);
  }

  static Histogram scratch() {
    return new Histogram(DIGITS);
  }

  static long micros(long nanos) {
    return Math.max(0, Math.min(MAX_MICROS, nanos / 1000));
  }
}
