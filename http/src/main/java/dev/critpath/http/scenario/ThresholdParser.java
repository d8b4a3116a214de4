package dev.critpath.http.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The thresholds: section: per metric (with tag filters) a list of k6 threshold expressions. */
final class ThresholdParser {
  private static final Set<String> THRESHOLD_OBJECT =
      Set.of("threshold", "abortOnFail", "delayAbortEval");

  private ThresholdParser() {}

  static List<Threshold> parse(YamlNode node, Map<String, MetricKind> custom) {
    List<Threshold> out = new ArrayList<>();
    for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
      Map.Entry<String, Map<String, String>> metric;
      try {
        metric = Threshold.parseMetric(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw e.getValue().error(ex.getMessage());
      }
      MetricKind kind =
          MetricKind.BUILTIN.getOrDefault(metric.getKey(), custom.get(metric.getKey()));
      if (kind == null) {
        Set<String> known = new TreeSet<>(MetricKind.BUILTIN.keySet());
        known.addAll(custom.keySet());
        throw e.getValue()
            .error(
                "unknown metric \""
                    + metric.getKey()
                    + "\" (known: "
                    + String.join(", ", known)
                    + ")");
      }
      if (kind == MetricKind.SAMPLED && !metric.getValue().isEmpty()) {
        throw e.getValue()
            .error(
                metric.getKey()
                    + " is sampled on the server for the whole file: write it without a tag"
                    + " filter");
      }
      for (YamlNode item : e.getValue().items()) {
        String expression;
        boolean abort = false;
        Duration delay = Duration.ZERO;
        if (item.isObject()) {
          item.allowOnly(THRESHOLD_OBJECT, "a threshold");
          expression = item.get("threshold").require().text();
          abort = item.get("abortOnFail").bool(false);
          delay = YamlFields.nonNegative(item.get("delayAbortEval"), Duration.ZERO);
        } else {
          expression = item.text();
        }
        try {
          out.add(
              Threshold.parse(
                  metric.getKey(), metric.getValue(), kind, expression, abort, delay, item.line()));
        } catch (IllegalArgumentException ex) {
          throw item.error(ex.getMessage());
        }
      }
    }
    return List.copyOf(out);
  }
}
