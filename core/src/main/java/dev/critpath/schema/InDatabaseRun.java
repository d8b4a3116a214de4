package dev.critpath.schema;

import dev.critpath.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One call of {@code critpath.run_performance_tests()}, as a SQL-editor user makes it, recorded as
 * run.json's {@link dev.critpath.run.Section#IN_DATABASE} section so reports put its numbers beside
 * the JMH paths'.
 *
 * @param runId the run id the function stored its rows under
 * @param calls timed executions per query
 * @param queries one row per catalog query, in catalog order
 */
public record InDatabaseRun(String runId, int calls, List<Row> queries) {
  /**
   * One query's numbers: server-side only (no network, no driver), each call in a rolled-back
   * subtransaction.
   *
   * @param pass null when the query has no target or could not run
   * @param error why it could not run, null when it ran
   */
  public record Row(
      String query,
      int calls,
      Double p50Ms,
      Double p95Ms,
      String target,
      Double observedMs,
      Boolean pass,
      String error) {}

  /** Runs the installed function with {@code calls} executions per query. */
  public static InDatabaseRun run(Database db, int calls) throws SQLException {
    List<Row> rows = new ArrayList<>();
    String runId = null;
    try (Connection c = db.connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT * FROM critpath.run_performance_tests(?)")) {
      ps.setInt(1, calls);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          runId = rs.getString("run_id");
          rows.add(
              new Row(
                  rs.getString("query"),
                  rs.getInt("calls_made"),
                  (Double) rs.getObject("p50_ms"),
                  (Double) rs.getObject("p95_ms"),
                  rs.getString("target"),
                  (Double) rs.getObject("observed_ms"),
                  (Boolean) rs.getObject("pass"),
                  rs.getString("error")));
        }
      }
    }
    return new InDatabaseRun(runId, calls, rows);
  }

  /** The queries that could not run. */
  public List<Row> errors() {
    return queries.stream().filter(r -> r.error() != null).toList();
  }
}
