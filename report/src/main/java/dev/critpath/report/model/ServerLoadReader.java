package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.sampler.ServerMetric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads run.json's server section: {stages: [{stage, cpu, summary, samples, notCaptured}]}. */
final class ServerLoadReader {
  private ServerLoadReader() {}

  static List<ServerStage> read(JsonNode section) {
    List<ServerStage> out = new ArrayList<>();
    for (JsonNode s : J.list(J.get(section, "stages"), "stage")) {
      Map<String, ServerStage.Stat> summary = new LinkedHashMap<>();
      JsonNode sum = J.get(s, "summary");
      for (ServerMetric m : ServerMetric.values()) {
        JsonNode stat = J.get(sum, m.key());
        if (stat != null && J.num(stat, "max") != null) {
          summary.put(
              m.key(),
              new ServerStage.Stat(
                  J.num(stat, "max"), J.num(stat, "mean") == null ? 0 : J.num(stat, "mean")));
        }
      }
      List<Double> seconds = new ArrayList<>();
      Map<String, List<Double>> series = new LinkedHashMap<>();
      summary.keySet().forEach(k -> series.put(k, new ArrayList<>()));
      for (JsonNode sample : J.list(J.get(s, "samples"), "t")) {
        seconds.add(J.num(sample, "t"));
        JsonNode metrics = J.get(sample, "metrics");
        series.forEach((k, values) -> values.add(J.num(metrics, k)));
      }
      List<String> lost = new ArrayList<>();
      for (JsonNode n : J.list(J.get(s, "notCaptured"), "what")) {
        String fix = J.str(n, "fix");
        lost.add(
            J.str(n, "what") + ": " + J.str(n, "why") + (fix == null ? "" : " (fix: " + fix + ")"));
      }
      out.add(
          new ServerStage(
              J.str(s, "stage"),
              J.str(s, "cpu"),
              J.num(J.get(s, "samplerCost"), "share"),
              summary,
              seconds,
              series,
              lost));
    }
    return out;
  }
}
