package dev.critpath.explain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.catalog.CatalogQuery;
import dev.critpath.db.SqlState;
import dev.critpath.inspect.Checks;
import dev.critpath.inspect.Finding;
import dev.critpath.inspect.InspectResult;
import dev.critpath.inspect.Inspector;
import dev.critpath.inspect.StatsSnapshot;
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
 *   <li>for each scan in a query's plan that a filter made read too much, or whose rows a sort had
 *       to order, hypothetical btree indexes on its columns are created one at a time and the query
 *       re-planned: what would the best one save?
 * </ul>
 *
 * Hiding uses hypopg_hide_index (hypopg 1.4+). With an older hypopg, on a database critpath created
 * (or with --allow-unmarked), the index is dropped inside a transaction that is rolled back (under
 * a 1 s lock_timeout). hypopg itself, when available but not installed, is created inside the same
 * rolled-back transactions: nothing stays in the database.
 */
public final class WhatIf {
  /** How a suggestion's verdict starts when it clears Dexter's bar. */
  public static final String WORTH_CREATING = "worth creating";

  /** Dexter keeps a suggestion when the query costs at least this much ... */
  public static final double MIN_COST = 100;

  /** ... and the index saves at least this share of it. */
  public static final double MIN_SAVING = 0.5;

  private static final String LOCK_TIMEOUT = "1s";

  /** A re-planned cost within 1% of the original is the same cost. */
  private static final double SAME_COST = 1.01;

  /** "col = ...", "col < ...", "col ~~ ...", "col @@ ...", "col IS NULL" in a Filter. */
  private static final Pattern FILTER_COLUMN =
      Pattern.compile(
          "\\(*([a-z_][a-z0-9_]*)\\s*(= ANY|=|<>|<=|>=|<|>|~~\\*?|!~~\\*?|@@|IS NOT NULL|IS NULL)",
          Pattern.CASE_INSENSITIVE);

  private static final Set<String> EQUALITY = Set.of("=", "= ANY", "IS NULL");

  /** A Sort Key entry: "created_at DESC", "m.created_at", "messages.created_at DESC NULLS LAST". */
  private static final Pattern SORT_KEY =
      Pattern.compile(
          "(?:([a-z_][a-z0-9_]*)\\.)?([a-z_][a-z0-9_]*)((?: DESC)?(?: NULLS (?:FIRST|LAST))?)");

  private WhatIf() {}

  /**
   * One what-if result.
   *
   * @param kind "hide" (an existing index made invisible) or "hypothetical" (an index that does not
   *     exist)
   * @param index the index's name, or the hypothetical index's definition
   * @param query the catalog query re-planned (null in the per-index summary)
   * @param variant which of its captured plans (hot or cold parameters)
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
      String variant,
      Double costBefore,
      Double costAfter,
      Boolean planChanged,
      String shapeAfter,
      String verdict) {}

  /** The results: per-query outcomes merged into the queries, per-index verdicts, and a status. */
  record Report(String status, List<QueryExplain> queries, List<Outcome> hiddenIndexes) {}

  /** One captured custom plan (hot or cold) re-planned without ANALYZE, as things are. */
  private record Baseline(
      CatalogQuery query, CapturedPlan captured, double cost, String fingerprint) {
    ParamSet params() {
      return captured.params();
    }

    String label() {
      return query.name() + " " + captured.variant();
    }
  }

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
          if (qe == null || qe.error() != null) {
            continue;
          }
          for (CapturedPlan p : qe.plans()) {
            if (!p.variant().equals("generic")) {
              JsonNode plan = capture.estimate(q, p.params());
              baselines.add(
                  new Baseline(
                      q, p, cost(plan), PlanAnalyzer.analyze(plan, Map.of()).fingerprint()));
            }
          }
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
      suggest(owner, capture, baselines, installed == null, perQuery, progress);
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
    // the scans explain just ran count as use: make them visible before judging "unused"
    StatsSnapshot.flush(capture.connection());
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
                  null,
                  "could not hide it: " + ExplainRunner.describe(e)));
          continue;
        }
        for (Baseline b : baselines) {
          JsonNode plan = capture.estimate(b.query(), b.params());
          PlanAnalysis after = PlanAnalyzer.analyze(plan, Map.of());
          double cost = cost(plan);
          // another index serving the same lookups at the same cost is no loss
          if (!after.fingerprint().equals(b.fingerprint()) && cost > b.cost() * SAME_COST) {
            changed.add(b.label() + " (cost " + change(b.cost(), cost) + ")");
            perQuery
                .computeIfAbsent(b.query().name(), k -> new ArrayList<>())
                .add(
                    new Outcome(
                        "hide",
                        index,
                        b.query().name(),
                        b.captured().variant(),
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
      boolean createExtension,
      Map<String, List<Outcome>> perQuery,
      PrintWriter progress)
      throws SQLException {
    for (Baseline b : baselines) {
      List<List<String>> groups = candidates(owner, parseRaw(b.captured().raw()));
      for (List<String> group : groups) {
        Outcome best = null;
        List<String> problems = new ArrayList<>();
        for (String definition : group) {
          Outcome o = tryHypothetical(capture, b, definition, createExtension, problems);
          if (o != null && (best == null || o.costAfter() < best.costAfter() / SAME_COST)) {
            best = o;
          }
        }
        if (best == null) {
          best =
              new Outcome(
                  "hypothetical",
                  String.join("; ", group),
                  b.query().name(),
                  b.captured().variant(),
                  b.cost(),
                  null,
                  false,
                  null,
                  problems.isEmpty()
                      ? "the planner would use none of them"
                      : "hypopg could not plan with them: " + String.join("; ", problems));
        }
        perQuery.computeIfAbsent(b.query().name(), k -> new ArrayList<>()).add(best);
        if (best.verdict().startsWith(WORTH_CREATING)) {
          progress.printf("what-if: %s for %s: %s%n", best.index(), b.label(), best.verdict());
        }
      }
    }
  }

  /** The query re-planned with one hypothetical index; null when the planner ignores it. */
  private static Outcome tryHypothetical(
      PlanCapture capture,
      Baseline b,
      String definition,
      boolean createExtension,
      List<String> problems)
      throws SQLException {
    Connection c = capture.connection();
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
      if (after.facts().indexesUsed().stream().noneMatch(u -> u.index().equals(name))) {
        return null;
      }
      double cost = cost(plan);
      double saving = b.cost() <= 0 ? 0 : (b.cost() - cost) / b.cost();
      String verdict =
          b.cost() >= MIN_COST && saving >= MIN_SAVING
              ? String.format(
                  Locale.ROOT,
                  WORTH_CREATING + ": cost %s (saves %.0f%%)",
                  change(b.cost(), cost),
                  saving * 100)
              : String.format(
                  Locale.ROOT,
                  "used, but saves only %.0f%% of a cost of %.0f (Dexter's bar: cost >= %.0f and"
                      + " saving >= %.0f%%)",
                  saving * 100,
                  b.cost(),
                  MIN_COST,
                  MIN_SAVING * 100);
      return new Outcome(
          "hypothetical",
          definition,
          b.query().name(),
          b.captured().variant(),
          b.cost(),
          cost,
          !after.fingerprint().equals(b.fingerprint()),
          after.shape(),
          verdict);
    } catch (SQLException e) {
      if (SqlState.isConnectionLoss(e)) {
        throw e;
      }
      problems.add(definition + ": " + ExplainRunner.describe(e));
      return null;
    } finally {
      c.rollback();
      reset(c);
    }
  }

  /**
   * Hypothetical btree indexes, one group per scan that a filter made read too much or whose rows a
   * Sort above had to order: each equality column of its conditions alone, all of them (plus one
   * range column), and the equality columns followed by the sort keys (an index in that order saves
   * the sort and, under a LIMIT, most of the reading). Only plain columns of the scanned table are
   * used.
   */
  static List<List<String>> candidates(Connection owner, JsonNode plan) throws SQLException {
    List<List<String>> out = new ArrayList<>();
    collectScans(plan, owner, List.of(), out);
    return out;
  }

  private static void collectScans(
      JsonNode node, Connection owner, List<String> sortKeys, List<List<String>> out)
      throws SQLException {
    if (node.isArray()) {
      for (JsonNode child : node) {
        collectScans(child, owner, sortKeys, out);
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    JsonNode plan = node.has("Plan") ? node.get("Plan") : node;
    String type = plan.path("Node Type").asText();
    List<String> keys = sortKeys;
    if (type.equals("Sort") || type.equals("Incremental Sort")) {
      keys = new ArrayList<>();
      for (JsonNode k : plan.path("Sort Key")) {
        keys.add(k.asText());
      }
    } else if (!type.equals("Limit") && !type.equals("Result") && !type.isEmpty()) {
      keys = List.of(); // a join or aggregate in between: the sort order is not the scan's
    }
    boolean scan =
        type.endsWith("Seq Scan") || type.equals("Index Scan") || type.equals("Bitmap Heap Scan");
    boolean filtered = plan.path("Rows Removed by Filter").asDouble(0) > 0;
    if (scan && (filtered || !sortKeys.isEmpty())) {
      List<String> group = scanCandidates(owner, plan, sortKeys);
      if (!group.isEmpty()) {
        out.add(group);
      }
    }
    if (node.has("Plan")) {
      collectScans(plan, owner, keys, out);
      return;
    }
    for (JsonNode child : plan.path("Plans")) {
      collectScans(child, owner, keys, out);
    }
  }

  private static List<String> scanCandidates(Connection owner, JsonNode scan, List<String> sortKeys)
      throws SQLException {
    String relation = scan.path("Relation Name").asText();
    String alias = scan.path("Alias").asText(relation);
    Set<String> columns = columns(owner, relation);
    List<String> equality = new ArrayList<>();
    List<String> range = new ArrayList<>();
    String conditions =
        String.join(
            " AND ",
            scan.path("Index Cond").asText(""),
            scan.path("Recheck Cond").asText(""),
            scan.path("Filter").asText(""));
    Matcher m = FILTER_COLUMN.matcher(conditions);
    while (m.find()) {
      String col = m.group(1);
      if (!columns.contains(col) || equality.contains(col) || range.contains(col)) {
        continue;
      }
      if (EQUALITY.contains(m.group(2).toUpperCase(Locale.ROOT))) {
        equality.add(col);
      } else if (m.group(2).matches("<=|>=|<|>")) {
        range.add(col);
      }
    }
    List<String> sort = new ArrayList<>();
    for (String key : sortKeys) {
      Matcher k = SORT_KEY.matcher(key.strip());
      if (!k.matches()
          || (k.group(1) != null && !k.group(1).equals(alias) && !k.group(1).equals(relation))
          || !columns.contains(k.group(2))) {
        sort.clear();
        break;
      }
      sort.add(k.group(2) + (k.group(3) == null ? "" : k.group(3)));
    }
    Set<List<String>> keys = new LinkedHashSet<>();
    equality.forEach(col -> keys.add(List.of(col)));
    List<String> all = new ArrayList<>(equality);
    if (!range.isEmpty()) {
      all.add(range.get(0));
    }
    if (!all.isEmpty()) {
      keys.add(all);
    }
    if (!sort.isEmpty()) {
      for (String first : equality) {
        List<String> withSort = new ArrayList<>(List.of(first));
        withSort.addAll(sort);
        keys.add(withSort);
      }
      List<String> allWithSort = new ArrayList<>(equality);
      allWithSort.addAll(sort);
      keys.add(allWithSort);
    }
    String table = value(owner, "SELECT to_regclass('" + relation.replace("'", "''") + "')::text");
    List<String> out = new ArrayList<>();
    for (List<String> key : keys) {
      out.add(
          "CREATE INDEX ON "
              + (table == null ? relation : table)
              + " ("
              + String.join(", ", key)
              + ")");
    }
    return out;
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

  /**
   * Forgets the hypothetical indexes: they live in this backend's memory, not in the transaction
   * that was rolled back. (With hypopg created inside that transaction, the functions are gone too;
   * the library stays loaded and its list is cleared through a fresh transaction.)
   */
  private static void reset(Connection c) throws SQLException {
    if (value(c, "SELECT to_regproc('hypopg_reset')") == null) {
      exec(c, "CREATE EXTENSION IF NOT EXISTS hypopg");
    }
    exec(c, "SELECT hypopg_reset()");
    c.rollback();
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
