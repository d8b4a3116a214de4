package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One query as critpath.run_performance_tests() measured it inside the database (run.json's
 * "inDatabase" section): server-side numbers without network or driver, to set beside the JMH
 * path's client-side ones.
 *
 * @param pass null when the query has no target or could not run
 * @param error why it could not run, null when it ran
 */
public record InDatabaseRow(
    String query,
    int calls,
    Double p50Ms,
    Double p95Ms,
    String target,
    Boolean pass,
    String error) {

  /** The section's rows; empty when the run has none. */
  static List<InDatabaseRow> read(JsonNode section) {
    List<InDatabaseRow> rows = new ArrayList<>();
    for (JsonNode q : J.list(section == null ? null : section.get("queries"), "query")) {
      rows.add(
          new InDatabaseRow(
              J.str(q, "query"),
              q.path("calls").asInt(0),
              J.num(q, "p50Ms"),
              J.num(q, "p95Ms"),
              J.str(q, "target"),
              J.bool(q, "pass"),
              J.str(q, "error")));
    }
    return rows;
  }
}
