package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.Secrets;
import dev.critpath.run.Section;
import java.util.LinkedHashMap;
import java.util.Map;

/** Run-level facts: how the benchmarks were measured, cache hit ratios, the HTTP target. */
final class FactsReader {
  private FactsReader() {}

  static Map<String, String> facts(JsonNode sections) {
    Map<String, String> facts = new LinkedHashMap<>();
    JsonNode pooler = J.get(sections.get(Section.ENVIRONMENT.key()), "pooler");
    if (pooler != null) {
      facts.put(
          RunReader.CONNECTION_FACT,
          J.str(pooler, "mode")
              + " ("
              + J.str(pooler, "detectedBy")
              + "); server-side prepared statements "
              + (pooler.path("serverPreparedStatements").asBoolean(true) ? "on" : "off")
              + (J.str(pooler, "preparedStatementsBy") == null
                  ? ""
                  : " (" + J.str(pooler, "preparedStatementsBy") + ")"));
    }
    String serverStats = J.str(sections.get(Section.BENCH.key()), "serverStats");
    if (serverStats != null && serverStats.startsWith("unavailable")) {
      // the bench table's server columns are blank: say why where they are read
      facts.put(
          RunReader.NOT_CAPTURED_FACT + " (bench)",
          "server-side time per query: "
              + serverStats.substring(serverStats.indexOf(':') + 1).strip());
    }
    for (JsonNode lost : J.list(sections.get(Section.NOT_CAPTURED.key()), "stage")) {
      String fix = J.str(lost, "fix");
      facts.merge(
          RunReader.NOT_CAPTURED_FACT + " (" + J.str(lost, "stage") + ")",
          J.str(lost, "what")
              + ": "
              + J.str(lost, "why")
              + (fix == null ? "" : " (fix: " + fix + ")"),
          (a, b) -> a + "; " + b);
    }
    JsonNode settings = J.get(sections.get(Section.BENCH.key()), "settings");
    if (settings != null) {
      String profile = J.str(sections.get(Section.BENCH.key()), "profile");
      facts.put(
          "measurement",
          (profile == null ? "" : "profile " + profile + ": ")
              + J.str(settings, "forks")
              + ("1".equals(J.str(settings, "forks")) ? " fork × " : " forks × ")
              + J.str(settings, "measurementIterations")
              + " iterations of "
              + J.str(settings, "measurementTime")
              + " after "
              + J.str(settings, "warmupIterations")
              + " × "
              + J.str(settings, "warmupTime")
              + " warmup; threads "
              + String.join(", ", J.strings(J.get(settings, "threads"))));
    }
    JsonNode ratios = J.get(sections.get(Section.INSPECT.key()), "hitRatios");
    if (ratios != null) {
      Double table = J.num(ratios, "table");
      Double index = J.num(ratios, "index");
      facts.put(
          "cache hit ratio",
          "tables "
              + (table == null ? Fmt.NONE : Fmt.percent(table))
              + ", indexes "
              + (index == null ? Fmt.NONE : Fmt.percent(index)));
    }
    JsonNode http = sections.get(Section.HTTP.key());
    if (http != null && J.str(http, "baseUrl") != null) {
      facts.put(
          "HTTP target", J.str(http, "target") + " " + Secrets.redact(J.str(http, "baseUrl")));
    }
    return facts;
  }
}
