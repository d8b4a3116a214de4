package dev.critpath.explain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.catalog.CatalogQuery;
import dev.critpath.db.SqlState;
import dev.critpath.inspect.Checks;
import dev.critpath.inspect.Finding;
import dev.critpath.inspect.InspectResult;
import dev.critpath.inspect.Inspector;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What-if index analysis with hypopg, planning only (plain EXPLAIN: nothing executes):
 *
 * <ul>
 *   <li>each index inspect calls unused, rarely used, duplicate or redundant is hidden in turn and
 *       every catalog query re-planned: does any of our paths need it?
 *   <li>for each seq scan with a filter in a query's plan, a hypothetical btree index on the
 *       filtered columns is created and the query re-planned: what would it save?
 * </ul>
 *
 * Hiding uses hypopg_hide_index (hypopg 1.4+). With an older hypopg, on a database critpath created
 * (or with --allow-unmarked), the index is dropped inside a transaction that is rolled back (under
 * a 1 s lock_timeout). hypopg itself, when available but not installed, is created inside the same
 * rolled-back transactions: nothing stays in the database.
 */
public final class WhatIf {
  /** Dexter keeps a suggestion when the query costs at least this much ... */
  static final double MIN_COST = 100;

  /** ... and the index saves at least this share of it. */
  static final double MIN_SAVING = 0.5;

  private static final String LOCK_TIMEOUT = "1s";

  /** "col = ...", "col < ...", "col ~~ ...", "col @@ ...", "col IS NULL" in a Filter. */
  private static final Pattern FILTER_COLUMN =
      Pattern.compile(
          "\\(*([a-z_][a-z0-9_]*)\\s*(= ANY|=|<>|<=|>=|<|>|~~\\*?|!~~\\*?|@@|IS NOT NULL|IS NULL)",
          Pattern.CASE_INSENSITIVE);

  private static final Set<String> EQUALITY = Set.of("=", "= ANY", "IS NULL");

  private WhatIf() {}

  /**
   * One what-if result.
   *
   * @param kind "hide" (an existing index made invisible) or "hypothetical" (an index that does not
   *     exist)
   * @param index the index's name, or the hypothetical index's definition
   * @param query the catalog query re-planned (null in the per-index summary)
   * @param costBefore the planner's total cost as things are
   * @param costAfter the cost with the index hidden or added
   * @param planChanged whether the plan's shape changed
   * @param verdict one line for people
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Outcome(
      String kind,
      String index,
      String query,
      Double costBefore,
      Double costAfter,
      Boolean planChanged,
      String shapeAfter,
      String verdict) {}

  /** The results: per-query outcomes merged into the queries, per-index verdicts, and a status. */
  record Report(String status, List<QueryExplain> queries, List<Outcome> hiddenIndexes) {}

  private record Baseline(CatalogQuery query, ParamSet params, double cost, String fingerprint) {}

  static Report run(
      Connection owner,
      PlanCapture capture,
      List<CatalogQuery> queries,
      List<QueryExplain> results,
      ExplainRunner.Options options,
      PrintWriter progress)
      throws SQLException {
    String installed = value(owner, "SELECT extversion FROM pg_extension WHERE extname = 'hypopg'");
    String available =
        value(owner, "SELECT default_version FROM pg_available_extensions WHERE name = 'hypopg'");
    if (installed == null && available == null) {
      return new Report(
          "skipped: hypopg is not installed on this server (Debian/Ubuntu: apt-get install"
              + " postgresql-"
              + owner.getMetaData().getDatabaseMajorVersion()
              + "-hypopg)",
          results,
          List.of());
    }
    Connection c = capture.connection();
    Map<String, List<Outcome>> perQuery = new LinkedHashMap<>();
    List<Outcome> hidden = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    try {
      List<Baseline> baselines = new ArrayList<>();
      boolean canHide;
      begin(c, capture, installed == null);
      try {
        canHide = value(c, "SELECT to_regproc('hypopg_hide_index')") != null;
        for (CatalogQuery q : queries) {
          QueryExplain qe = find(results, q.name());
          if (qe == null || qe.error() != null || qe.plans().isEmpty()) {
            continue;
          }
          ParamSet params = qe.plans().get(0).params();
          PlanAnalysis plan = PlanAnalyzer.analyze(capture.estimate(q, params), Map.of());
          baselines.add(
              new Baseline(q, params, cost(capture.estimate(q, params)), plan.fingerprint()));
        }
      } finally {
        c.rollback();
      }
      boolean marked =
          value(owner, "SELECT to_regclass('critpath.marker')::text") != null
              || options.allowUnmarked();
      hideCandidates(
          owner,
          capture,
          baselines,
          canHide,
          marked,
          installed == null,
          perQuery,
          hidden,
          notes,
          progress);
      suggest(owner, capture, baselines, results, installed == null, perQuery, progress);
    } catch (SQLException e) {
      c.rollback();
      if (SqlState.isConnectionLoss(e)) {
        throw e;
      }
      return new Report(
          "stopped: " + ExplainRunner.describe(e) + " (results so far are kept)",
          merge(results, perQuery),
          hidden);
    }
    String status =
        "ran with hypopg "
            + (installed != null
                ? installed
                : available + " (created inside rolled-back transactions)")
            + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
    return new Report(status, merge(results, perQuery), hidden);
  }

  private static void hideCandidates(
      Connection owner,
      PlanCapture capture,
      List<Baseline> baselines,
      boolean canHide,
      boolean marked,
      boolean createExtension,
      Map<String, List<Outcome>> perQuery,
      List<Outcome> hidden,
      List<String> notes,
      PrintWriter progress)
      throws SQLException {
    InspectResult inspect = Inspector.inspect(owner, Inspector.Options.defaults());
    Set<String> candidates = new LinkedHashSet<>();
    for (Finding f : inspect.findings()) {
      if (Set.of(Checks.UNUSED, Checks.RARELY_USED, Checks.DUPLICATE, Checks.REDUNDANT)
          .contains(f.check())) {
        candidates.add(f.object());
      }
    }
    if (candidates.isEmpty()) {
      return;
    }
    if (!canHide && !marked) {
      notes.add(
          "hiding indexes needs hypopg 1.4+ (hypopg_hide_index); this one cannot, and dropping"
              + " inside a rolled-back transaction is only done on databases critpath created"
              + " (--allow-unmarked)");
      return;
    }
    Connection c = capture.connection();
    for (String index : candidates) {
      List<String> changed = new ArrayList<>();
      begin(c, capture, createExtension);
      try {
        Savepoint sp = c.setSavepoint();
        try {
          if (canHide) {
            exec(c, "SELECT hypopg_hide_index('" + index.replace("'", "''") + "'::regclass)");
          } else {
            exec(c, "SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'", "DROP INDEX " + index);
          }
        } catch (SQLException e) {
          c.rollback(sp);
          hidden.add(
              new Outcome(
                  "hide",
                  index,
                  null,
                  null,
                  null,
                  null,
                  null,
                  "could not hide it: " + ExplainRunner.describe(e)));
          continue;
        }
        for (Baseline b : baselines) {
          JsonNode plan = capture.estimate(b.query(), b.params());
          PlanAnalysis after = PlanAnalyzer.analyze(plan, Map.of());
          if (!after.fingerprint().equals(b.fingerprint())) {
            double cost = cost(plan);
            changed.add(b.query().name() + " (cost " + change(b.cost(), cost) + ")");
            perQuery
                .computeIfAbsent(b.query().name(), k -> new ArrayList<>())
                .add(
                    new Outcome(
                        "hide",
                        index,
                        b.query().name(),
                        b.cost(),
                        cost,
                        true,
                        after.shape(),
                        "without " + index + " the plan changes, cost " + change(b.cost(), cost)));
          }
        }
      } finally {
        c.rollback();
      }
      hidden.add(
          new Outcome(
              "hide",
              index,
              null,
              null,
              null,
              !changed.isEmpty(),
              null,
              changed.isEmpty()
                  ? "no catalog query's plan changes without it"
                  : "needed by: " + String.join(", ", changed)));
      progress.printf("what-if: hid %s: %s%n", index, hidden.get(hidden.size() - 1).verdict());
    }
  }

  private static void suggest(
      Connection owner,
      PlanCapture capture,
      List<Baseline> baselines,
      List<QueryExplain> results,
      boolean createExtension,
      Map<String, List<Outcome>> perQuery,
      PrintWriter progress)
      throws SQLException {
    Connection c = capture.connection();
    for (Baseline b : baselines) {
      QueryExplain qe = find(results, b.query().name());
      Set<String> definitions = new LinkedHashSet<>();
      for (CapturedPlan p : qe.plans()) {
        if (!p.variant().equals("generic")) {
          definitions.addAll(candidates(owner, parseRaw(p.raw())));
        }
      }
      for (String definition : definitions) {
        begin(c, capture, createExtension);
        try {
          String name;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT indexname FROM hypopg_create_index(?)")) {
            ps.setString(1, definition);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              name = rs.getString(1);
            }
          }
          JsonNode plan = capture.estimate(b.query(), b.params());
          PlanAnalysis after = PlanAnalyzer.analyze(plan, Map.of());
          double cost = cost(plan);
          boolean used = after.facts().indexesUsed().stream().anyMatch(u -> u.index().equals(name));
          double saving = b.cost() <= 0 ? 0 : (b.cost() - cost) / b.cost();
          String verdict;
          if (!used) {
            verdict = "the planner would not use it";
          } else if (b.cost() >= MIN_COST && saving >= MIN_SAVING) {
            verdict =
                String.format(
                    Locale.ROOT,
                    "worth creating: cost %s (saves %.0f%%)",
                    change(b.cost(), cost),
                    saving * 100);
          } else {
            verdict =
                String.format(
                    Locale.ROOT,
                    "used, but saves only %.0f%% of a cost of %.0f (Dexter's bar: cost >= %.0f and"
                        + " saving >= %.0f%%)",
                    saving * 100,
                    b.cost(),
                    MIN_COST,
                    MIN_SAVING * 100);
          }
          perQuery
              .computeIfAbsent(b.query().name(), k -> new ArrayList<>())
              .add(
                  new Outcome(
                      "hypothetical",
                      definition,
                      b.query().name(),
                      b.cost(),
                      cost,
                      !after.fingerprint().equals(b.fingerprint()),
                      after.shape(),
                      verdict));
          progress.printf("what-if: %s for %s: %s%n", definition, b.query().name(), verdict);
        } catch (SQLException e) {
          if (SqlState.isConnectionLoss(e)) {
            throw e;
          }
          perQuery
              .computeIfAbsent(b.query().name(), k -> new ArrayList<>())
              .add(
                  new Outcome(
                      "hypothetical",
                      definition,
                      b.query().name(),
                      b.cost(),
                      null,
                      null,
                      null,
                      "hypopg could not plan with it: " + ExplainRunner.describe(e)));
        } finally {
          c.rollback();
        }
      }
    }
  }

  /**
   * Hypothetical btree indexes for the seq scans of a plan whose filter threw rows away: one on the
   * filter's equality columns followed by one range column, when they are plain columns of the
   * scanned table.
   */
  static List<String> candidates(Connection owner, JsonNode plan) throws SQLException {
    List<String> out = new ArrayList<>();
    collectScans(plan, owner, out);
    return out;
  }

  private static void collectScans(JsonNode node, Connection owner, List<String> out)
      throws SQLException {
    if (node.isObject()
        && node.path("Node Type").asText().endsWith("Seq Scan")
        && node.has("Filter")
        && node.path("Rows Removed by Filter").asDouble(0) > 0) {
      String relation = node.path("Relation Name").asText();
      Set<String> columns = columns(owner, relation);
      List<String> equality = new ArrayList<>();
      List<String> range = new ArrayList<>();
      Matcher m = FILTER_COLUMN.matcher(node.get("Filter").asText());
      while (m.find()) {
        String col = m.group(1);
        if (!columns.contains(col) || equality.contains(col) || range.contains(col)) {
          continue;
        }
        if (EQUALITY.contains(m.group(2).toUpperCase(Locale.ROOT)) || m.group(2).equals("=")) {
          equality.add(col);
        } else if (m.group(2).matches("<=|>=|<|>")) {
          range.add(col);
        }
      }
      List<String> key = new ArrayList<>(equality);
      if (!range.isEmpty()) {
        key.add(range.get(0));
      }
      if (!key.isEmpty()) {
        String table =
            value(owner, "SELECT to_regclass('" + relation.replace("'", "''") + "')::text");
        out.add(
            "CREATE INDEX ON "
                + (table == null ? relation : table)
                + " ("
                + String.join(", ", key)
                + ")");
      }
    }
    for (JsonNode child : node) {
      collectScans(child, owner, out);
    }
  }

  private static Set<String> columns(Connection owner, String relation) throws SQLException {
    Set<String> out = new LinkedHashSet<>();
    try (PreparedStatement ps =
        owner.prepareStatement(
            "SELECT attname::text FROM pg_attribute WHERE attrelid = to_regclass(?)"
                + " AND attnum > 0 AND NOT attisdropped")) {
      ps.setString(1, relation);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private static void begin(Connection c, PlanCapture capture, boolean createExtension)
      throws SQLException {
    exec(c, "SET LOCAL statement_timeout = " + capture.timeout().toMillis());
    if (createExtension) {
      exec(c, "CREATE EXTENSION IF NOT EXISTS hypopg");
    }
  }

  private static List<QueryExplain> merge(
      List<QueryExplain> results, Map<String, List<Outcome>> perQuery) {
    List<QueryExplain> out = new ArrayList<>();
    for (QueryExplain qe : results) {
      List<Outcome> outcomes = perQuery.get(qe.name());
      out.add(outcomes == null ? qe : qe.withWhatIf(List.copyOf(outcomes)));
    }
    return out;
  }

  private static QueryExplain find(List<QueryExplain> results, String name) {
    return results.stream().filter(q -> q.name().equals(name)).findFirst().orElse(null);
  }

  private static double cost(JsonNode explain) {
    JsonNode top = explain.isArray() ? explain.get(0) : explain;
    return top.path("Plan").path("Total Cost").asDouble();
  }

  private static String change(double before, double after) {
    return String.format(
        Locale.ROOT,
        "%.0f → %.0f (%+.0f%%)",
        before,
        after,
        before <= 0 ? 0 : (after - before) / before * 100);
  }

  private static JsonNode parseRaw(String raw) {
    try {
      return dev.critpath.io.Json.mapper().readTree(raw);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void exec(Connection c, String... sqls) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String sql : sqls) {
        st.execute(sql);
      }
    }
  }

  private static String value(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
