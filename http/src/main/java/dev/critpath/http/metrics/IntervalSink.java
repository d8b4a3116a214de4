package dev.critpath.http.metrics;

import java.util.Map;
import org.HdrHistogram.Histogram;

/** Where each second's interval histograms go besides the totals: the run's latency log. */
interface IntervalSink {
  /**
   * @param tags the series' or scenario's tags (with {@code scenario})
   * @param metric the k6 metric name the histogram measures (http_req_duration, start_lag, ...)
   */
  void write(Map<String, String> tags, String metric, Histogram interval);
}
