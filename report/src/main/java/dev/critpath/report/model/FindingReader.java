package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads findings, as the inspect and explain sections write them. */
final class FindingReader {
  private FindingReader() {}

  /** Findings: {rule|check, severity, object|node|index|table, table, message, fix}. */
  static List<FindingView> findings(JsonNode node) {
    List<FindingView> out = new ArrayList<>();
    for (JsonNode f : J.list(node, "rule")) {
      String subject = J.str(f, "object", "node", "subject");
      String table = J.str(f, "table");
      if (subject == null) {
        subject = table;
      } else if (table != null && !subject.equals(table)) {
        subject = subject + " on " + table;
      }
      String fix = J.str(f, "fix");
      out.add(
          new FindingView(
              J.str(f, "rule", "check"),
              normalSeverity(J.str(f, "severity")),
              subject,
              J.str(f, "message"),
              fix == null || fix.isBlank() ? null : fix));
    }
    return out;
  }

  /** info, warn or error: the inspect and explain stages say INFO, WARN, CRITICAL. */
  private static String normalSeverity(String s) {
    if (s == null) {
      return "warn";
    }
    String l = s.toLowerCase(Locale.ROOT);
    if (l.startsWith("crit") || l.startsWith("err")) {
      return "error";
    }
    return l.startsWith("info") ? "info" : "warn";
  }
}
