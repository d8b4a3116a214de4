package dev.critpath.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.UserError;
import dev.critpath.catalog.CatalogQuery;
import dev.critpath.catalog.DatasetSummaries;
import dev.critpath.catalog.Expectation;
import dev.critpath.catalog.ParameterSource;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.dataset.DatasetSummary;
import dev.critpath.db.Database;
import dev.critpath.db.SqlState;
import dev.critpath.io.AtomicFiles;
import dev.critpath.io.Json;
import dev.critpath.run.RunDirectory;
import dev.critpath.schema.DatabaseMarker;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The explain stage: for each catalog query, the executed plans for its hottest and coldest
 * parameters and its generic plan, analysed, with the catalog's expectations checked; raw plans
 * saved as {@code explain/<query>[-variant].json} in the run directory.
 */
public final class ExplainRunner {
  /** The default seed for picking parameters: the same seed picks the same keys. */
  public static final long DEFAULT_SEED = 42;

  /** The auto-mode generic-plan probe runs the query six times; skipped for slower queries. */
  private static final double MAX_MS_FOR_GENERIC_PROBE = 2_000;

  /**
   * How to run.
   *
   * @param only query names (empty: all)
   * @param statementTimeout the timeout of each explained statement
   * @param whatIf run the what-if analysis (hypopg, or real indexes in rolled-back transactions)
   * @param allowUnmarked treat a database without critpath's marker as critpath's: execute write
   *     queries with EXPLAIN ANALYZE (rolled back) and let what-if build and drop indexes inside
   *     rolled-back transactions
   */
  public record Options(
      List<String> only,
      Duration statementTimeout,
      long seed,
      boolean whatIf,
      boolean allowUnmarked) {
    public static Options defaults(Duration statementTimeout) {
      return new Options(List.of(), statementTimeout, DEFAULT_SEED, true, false);
    }
  }

  private ExplainRunner() {}

  /**
   * Runs the stage.
   *
   * @param run where raw plans go (null: not saved)
   * @param progress one line per query as it goes
   * @throws UserError for an unknown query name or an expectation critpath cannot check
   */
  public static ExplainResult run(
      Database db, QueryCatalog catalog, Options options, RunDirectory run, PrintWriter progress)
      throws SQLException {
    List<CatalogQuery> queries = catalog.select(options.only());
    Map<String, List<ExpectationCheck>> checks = new HashMap<>();
    for (CatalogQuery q : queries) {
      List<ExpectationCheck> list = new ArrayList<>();
      for (Expectation e : q.expectations()) {
        list.add(ExpectationCheck.parse(e.text(), e.location()));
      }
      checks.put(q.name(), list);
    }
    try (Connection owner = db.connect();
        Connection captureConn = db.connect()) {
      DatasetSummary summary = DatasetSummaries.read(owner).orElse(null);
      PlanCapture capture = PlanCapture.open(captureConn, options.statementTimeout(), db.pooler());
      String database = value(owner, "SELECT current_database()");
      String version = value(owner, "SHOW server_version");
      boolean owned = owned(owner, options);
      List<QueryExplain> results = new ArrayList<>();
      for (CatalogQuery q : queries) {
        long start = System.nanoTime();
        String notExecuted =
            owned || !q.write().writes()
                ? null
                : "plain EXPLAIN, not executed: the query writes and "
                    + db.spec().display()
                    + " carries no critpath marker (it may be somebody's real data);"
                    + " --allow-unmarked runs it with EXPLAIN ANALYZE inside a rolled-back"
                    + " transaction";
        QueryExplain qe =
            explain(q, checks.get(q.name()), owner, capture, summary, options, notExecuted);
        if (run != null) {
          qe = save(qe, run);
        }
        results.add(qe);
        progress.printf(
            "explain: %-24s %s (%d ms)%n",
            q.name(),
            qe.error() != null ? "ERROR " + qe.error() : qe.failed() ? "expectation failed" : "ok",
            (System.nanoTime() - start) / 1_000_000);
        progress.flush();
      }
      String hypopg = "not run (--no-what-if)";
      List<WhatIf.Outcome> hidden = List.of();
      if (options.whatIf()) {
        WhatIf.Report report = WhatIf.run(owner, capture, queries, results, owned, progress);
        hypopg = report.status();
        results = report.queries();
        hidden = report.hiddenIndexes();
      }
      return ExplainResult.of(database, version, capture.nestedStatus(), hypopg, hidden, results);
    }
  }

  private static QueryExplain explain(
      CatalogQuery q,
      List<ExpectationCheck> checks,
      Connection owner,
      PlanCapture capture,
      DatasetSummary summary,
      Options options,
      String notExecuted)
      throws SQLException {
    boolean execute = notExecuted == null;
    List<CapturedPlan> plans = new ArrayList<>();
    QueryExplain.GenericPlan generic = null;
    String error = null;
    try {
      ParameterSource source = ParameterSource.prepare(q, owner, summary);
      List<ParamSet> sets = ParamSet.hotAndCold(q, source, options.seed());
      plans.add(capture.capture(q, sets.get(0), "hot", false, execute));
      if (sets.size() > 1) {
        plans.add(capture.capture(q, sets.get(1), "cold", false, execute));
      }
      CapturedPlan genericPlan = capture.capture(q, sets.get(0), "generic", true, execute);
      plans.add(genericPlan);
    } catch (UserError e) {
      error = e.getMessage();
    } catch (SQLException e) {
      if (SqlState.isConnectionLoss(e)) {
        throw e;
      }
      error = describe(e);
    }
    plans = analyse(owner, plans);
    List<CapturedPlan> kept = new ArrayList<>();
    CapturedPlan hot = null;
    for (CapturedPlan p : plans) {
      if (p.variant().equals("hot")) {
        hot = p;
      }
      if (!p.variant().equals("generic")) {
        kept.add(p);
      } else if (hot != null) {
        boolean differs = !p.analysis().fingerprint().equals(hot.analysis().fingerprint());
        Boolean chosen = null;
        String note = null;
        if (!execute) {
          note = "not run six times to see which plan auto mode picks: " + notExecuted;
        } else if (hot.analysis().facts().executionMs() <= MAX_MS_FOR_GENERIC_PROBE) {
          try {
            chosen = capture.chosenAfterFiveRuns(q, hot.params());
          } catch (SQLException e) {
            if (SqlState.isConnectionLoss(e)) {
              throw e;
            }
            note = "could not run it six times: " + describe(e);
          }
        } else {
          note = "not run six times to see which plan auto mode picks: the query is slow";
        }
        generic =
            new QueryExplain.GenericPlan(
                differs,
                hot.analysis().fingerprint(),
                p.analysis().fingerprint(),
                differs ? p.analysis().shape() : null,
                chosen,
                note);
        if (differs) {
          kept.add(p);
        }
      }
    }
    List<ExpectationCheck.Result> expectations = new ArrayList<>();
    if (error == null) {
      List<ExpectationCheck.Subject> subjects = new ArrayList<>();
      for (CapturedPlan p : kept) {
        // a differing generic plan only matters when the server actually switches to it
        if (!p.variant().equals("generic") || Boolean.TRUE.equals(generic.chosenAfterFiveRuns())) {
          subjects.add(new ExpectationCheck.Subject(p.variant(), p.analysis(), p.nested()));
        }
      }
      Set<String> sized = new LinkedHashSet<>();
      checks.stream()
          .map(ExpectationCheck::conditionTable)
          .filter(Objects::nonNull)
          .forEach(sized::add);
      Map<String, Double> rows = tableRows(owner, sized);
      for (ExpectationCheck check : checks) {
        expectations.add(check.check(subjects, rows::get));
      }
    } else {
      for (ExpectationCheck check : checks) {
        expectations.add(
            ExpectationCheck.Result.checked(check.text(), null, false, "not checked: " + error));
      }
    }
    return new QueryExplain(
        q.name(),
        q.about(),
        q.source(),
        q.sql(),
        q.role().id(),
        q.write().id(),
        kept,
        generic,
        expectations,
        null,
        error,
        notExecuted);
  }

  /**
   * Whether critpath may execute writes and build or drop indexes (always rolled back) here: the
   * database carries its marker (the embedded server's and every database critpath migrated do), or
   * the user said so.
   */
  static boolean owned(Connection owner, Options options) throws SQLException {
    return options.allowUnmarked() || DatabaseMarker.read(owner) == DatabaseMarker.State.MARKED;
  }

  /** Analyses the raw plans, with the planner's row counts of the tables they scan. */
  private static List<CapturedPlan> analyse(Connection owner, List<CapturedPlan> plans)
      throws SQLException {
    Set<String> relations = new LinkedHashSet<>();
    List<JsonNode> parsed = new ArrayList<>();
    for (CapturedPlan p : plans) {
      JsonNode tree = parse(p.raw());
      parsed.add(tree);
      collectRelations(tree, relations);
      p.nestedRaw().forEach(n -> collectRelations(n, relations));
    }
    Map<String, Double> rows = tableRows(owner, relations);
    List<CapturedPlan> out = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      CapturedPlan p = plans.get(i);
      List<PlanAnalysis> nested = new ArrayList<>();
      for (JsonNode n : p.nestedRaw()) {
        nested.add(PlanAnalyzer.analyze(n, rows));
      }
      out.add(p.withAnalysis(PlanAnalyzer.analyze(parsed.get(i), rows), nested));
    }
    return out;
  }

  private static Map<String, Double> tableRows(Connection owner, Set<String> relations)
      throws SQLException {
    Map<String, Double> out = new HashMap<>();
    try (PreparedStatement ps =
        owner.prepareStatement("SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)")) {
      for (String r : relations) {
        ps.setString(1, r);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getDouble(1) >= 0) {
            out.put(r, rs.getDouble(1));
          }
        }
      }
    }
    return out;
  }

  private static void collectRelations(JsonNode node, Set<String> out) {
    if (node.has("Relation Name")) {
      out.add(node.get("Relation Name").asText());
    }
    node.forEach(child -> collectRelations(child, out));
  }

  /** Writes the raw plans: the hot plan as {@code <query>.json}, others with their variant. */
  private static QueryExplain save(QueryExplain qe, RunDirectory run) {
    List<CapturedPlan> saved = new ArrayList<>();
    for (CapturedPlan p : qe.plans()) {
      String base = "explain/" + qe.name() + (p.variant().equals("hot") ? "" : "-" + p.variant());
      String file = base + ".json";
      AtomicFiles.writeString(run.file(file), p.raw());
      List<String> nestedFiles = new ArrayList<>();
      for (int i = 0; i < p.nestedRaw().size(); i++) {
        String nf = base + "-nested-" + (i + 1) + ".json";
        AtomicFiles.writeString(run.file(nf), Json.write(p.nestedRaw().get(i)));
        nestedFiles.add(nf);
      }
      saved.add(p.withFiles(file, nestedFiles));
    }
    return new QueryExplain(
        qe.name(),
        qe.about(),
        qe.source(),
        qe.sql(),
        qe.role(),
        qe.write(),
        saved,
        qe.generic(),
        qe.expectations(),
        qe.whatIf(),
        qe.error(),
        qe.notExecuted());
  }

  private static JsonNode parse(String raw) {
    try {
      return Json.mapper().readTree(raw);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("EXPLAIN returned something that is not JSON", e);
    }
  }

  static String describe(SQLException e) {
    String m =
        e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
    if (m.startsWith("ERROR: ")) {
      m = m.substring(7);
    }
    if (SqlState.QUERY_CANCELED.is(e)) {
      return m + " (raise --statement-timeout to give it longer)";
    }
    return m + (e.getSQLState() == null ? "" : " [SQLSTATE " + e.getSQLState() + "]");
  }

  private static String value(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
