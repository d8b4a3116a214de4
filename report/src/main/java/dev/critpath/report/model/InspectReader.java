package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Reads run.json's "inspect" section: index findings and the problems it met. */
final class InspectReader {
  private InspectReader() {}

  static List<FindingView> indexFindings(JsonNode inspect, List<String> notes) {
    if (inspect == null) {
      return List.of();
    }
    for (String problem : J.strings(J.get(inspect, "problems"))) {
      notes.add("inspect: " + problem);
    }
    return FindingReader.findings(J.get(inspect, "findings"));
  }
}
