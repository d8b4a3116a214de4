package dev.critpath.report.writer;

import dev.critpath.report.model.Fmt;
import dev.critpath.report.model.Latency;
import java.util.ArrayList;
import java.util.List;

/** Rebins latency buckets into a fixed number of equal-width bins for a bar chart. */
final class HistogramBins {
  static final int BINS = 30;

  /** The last bin collects the slowest 0.1%, so one outlier does not squash the chart. */
  private static final double TAIL = 0.999;

  private HistogramBins() {}

  /** Bin labels (upper edges) and counts; empty lists when there is nothing to draw. */
  record Binned(List<String> labels, List<Long> counts) {}

  static Binned rebin(List<Latency.Bucket> buckets) {
    List<String> labels = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    long total = buckets.stream().mapToLong(Latency.Bucket::count).sum();
    if (total == 0) {
      return new Binned(labels, counts);
    }
    double lo = buckets.get(0).upToMs();
    double hi = lo;
    long seen = 0;
    for (Latency.Bucket b : buckets) {
      seen += b.count();
      hi = b.upToMs();
      if (seen >= TAIL * total) {
        break;
      }
    }
    double max = buckets.get(buckets.size() - 1).upToMs();
    if (hi <= lo) {
      labels.add("≤ " + Fmt.ms(max));
      counts.add(total);
      return new Binned(labels, counts);
    }
    double width = (hi - lo) / BINS;
    long[] bins = new long[BINS + (max > hi ? 1 : 0)];
    for (Latency.Bucket b : buckets) {
      int i =
          b.upToMs() > hi ? BINS : (int) Math.min(BINS - 1, Math.floor((b.upToMs() - lo) / width));
      bins[i] += b.count();
    }
    for (int i = 0; i < BINS; i++) {
      labels.add("≤ " + Fmt.ms(lo + (i + 1) * width));
      counts.add(bins[i]);
    }
    if (bins.length > BINS) {
      labels.add("> " + Fmt.ms(hi));
      counts.add(bins[BINS]);
    }
    return new Binned(labels, counts);
  }
}
