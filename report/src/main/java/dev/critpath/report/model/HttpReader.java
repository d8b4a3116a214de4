package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads run.json's "http" section. */
final class HttpReader {
  private HttpReader() {}

  /** http: {files: [{name, description, scenarios: [...], thresholds: [...], verdict}]}. */
  static List<HttpFile> files(JsonNode http) {
    List<HttpFile> out = new ArrayList<>();
    if (http == null) {
      return out;
    }
    for (JsonNode f : J.list(J.get(http, "files"), "name")) {
      List<CheckResult> checks = new ArrayList<>();
      JsonNode validation = J.get(f, "validation");
      if (validation != null && J.bool(validation, "passed") != null) {
        checks.add(
            new CheckResult(
                CheckResult.Kind.RUN,
                "functional validation",
                J.bool(validation, "passed") ? Status.PASS : Status.FAIL,
                null,
                J.str(validation, "message", "reason", "summary")));
      }
      for (JsonNode t : J.list(J.get(f, "thresholds"), "metric")) {
        Double observed = J.num(t, "observed");
        checks.add(
            ThresholdReader.check(
                t, observed == null ? null : Fmt.num(observed), J.str(t, "note")));
      }
      List<String> notes = new ArrayList<>();
      if (J.str(f, "aborted") != null) {
        notes.add("aborted: " + J.str(f, "aborted"));
      }
      notes.addAll(J.strings(J.get(f, "warnings")));
      List<HttpScenario> scenarios = new ArrayList<>();
      for (JsonNode s : J.list(J.get(f, "scenarios"), "name")) {
        List<HttpScenario.TimePoint> timeline = new ArrayList<>();
        for (JsonNode row : J.list(J.get(s, "timeSeries"), "t")) {
          Double t = J.num(row, "t");
          if (t != null) {
            Double requests = J.num(row, "requests");
            Double failed = J.num(row, "failed");
            timeline.add(
                new HttpScenario.TimePoint(
                    t,
                    requests,
                    J.num(row, "p95"),
                    requests == null || failed == null || requests == 0
                        ? null
                        : failed / requests));
          }
        }
        Long requests = J.lng(s, "requests");
        Double failedRate = J.num(s, "failedRate");
        scenarios.add(
            new HttpScenario(
                J.str(s, "name"),
                J.str(s, "executor"),
                requests,
                requests == null || failedRate == null ? null : Math.round(requests * failedRate),
                J.num(s, "requestsPerSecond"),
                J.lng(s, "droppedIterations"),
                LatencyReader.latency(J.get(s, "latency")),
                timeline));
      }
      out.add(
          new HttpFile(
              J.str(f, "name"),
              J.str(f, "description"),
              J.str(f, "verdict"),
              scenarios,
              checks,
              notes));
    }
    return out;
  }
}
