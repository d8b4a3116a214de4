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
 * What-if index analysis, two ways:
 *
 * <ul>
 *   <li>on a database critpath owns (its marker, the embedded server's, or --allow-unmarked):
 *       <b>measured</b>. Each candidate index is built for real, or each index to hide dropped,
 *       inside a transaction (under a {@value #LOCK_TIMEOUT} lock_timeout: CREATE INDEX holds a
 *       SHARE lock on the table until the end), the affected catalog queries run with EXPLAIN
 *       ANALYZE (median of {@value #RUNS} runs, each rolled back to a savepoint), then everything
 *       is rolled back. A speed-up in milliseconds, not a cost estimate.
 *   <li>on anyone else's database, with hypopg: <b>planned only</b> (plain EXPLAIN, nothing
 *       executes), hypothetical indexes and hypopg_hide_index (hypopg 1.4+). hypopg, when available
 *       but not installed, is created inside the same rolled-back transactions.
 * </ul>
 *
 * Two questions: each index inspect calls unused, rarely used, duplicate or redundant is hidden in
 * turn and the catalog queries whose plans use it run again: does any of our paths need it? And for
 * each scan in a query's plan that a filter made read too much, or whose rows a sort had to order,
 * btree indexes on its columns are tried one at a time: what would the best one save?
 */
public final class WhatIf {
  /** How a suggestion's verdict starts when it clears Dexter's bar. */
  public static final String WORTH_CREATING = "worth creating";

  /** Dexter keeps a suggestion when the query costs at least this much ... */
  public static final double MIN_COST = 100;

  /** ... and the index saves at least this share of it (of its cost, or of its measured time). */
  public static final double MIN_SAVING = 0.5;

  /** Measured: a query faster than this is not worth an index (Dexter's cost bar, in time). */
  public static final double MIN_MS = 1.0;

  /** Each measurement is the median of this many EXPLAIN ANALYZE runs. */
  static final int RUNS = 3;

  private static final String LOCK_TIMEOUT = "1s";

  /** A re-planned cost within 1% of the original is the same cost. */
  private static final double SAME_COST = 1.01;

  /** Measured slower by less than this factor is noise, not a loss. */
  private static final double SLOWER = 1.2;

  /** The name a candidate index is built under (it never outlives its transaction). */
  private static final String CANDIDATE = "critpath_whatif_candidate";

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

  /** Measured with real indexes, or planned with hypothetical ones. */
  private enum Mode {
    REAL,
    HYPOPG
  }

  /**
   * One what-if result.
   *
   * @param kind "hide" (an existing index made invisible) or "hypothetical" (an index that does not
   *     exist; built for real and rolled back when measured)
   * @param index the index's name, or the candidate index's definition
   * @param query the catalog query run again (null in the per-index summary)
   * @param variant which of its captured plans (hot or cold parameters)
   * @param costBefore the planner's total cost as things are
   * @param costAfter the cost with the index hidden or added
   * @param msBefore measured execution time as things are (null when only planned)
   * @param msAfter measured execution time with the index hidden or added
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
      Double msBefore,
      Double msAfter,
      Boolean planChanged,
      String shapeAfter,
      String verdict) {

    static Outcome summary(String index, Boolean planChanged, String verdict) {
      return new Outcome(
          "hide", index, null, null, null, null, null, null, planChanged, null, verdict);
    }
  }

  /** The results: per-query outcomes merged into the queries, per-index verdicts, and a status. */
  record Report(String status, List<QueryExplain> queries, List<Outcome> hiddenIndexes) {}

  /** One run of a query: its plan, cost and (measured) time. */
  private record Run(JsonNode plan, PlanAnalysis analysis, double cost, Double ms) {}

  /**
   * One captured custom plan (hot or cold) run again as things are, with the indexes its plans
   * (nested statements' included) read.
   */
  private record Baseline(CatalogQuery query, CapturedPlan captured, Run run, Set<String> indexes) {
    ParamSet params() {
      return captured.params();
    }

    String label() {
      return query.name() + " " + captured.variant();
    }
  }

  /** How one what-if pass runs its queries and changes the indexes. */
  private record Probe(Mode mode, PlanCapture capture, boolean createExtension) {
    Connection c() {
      return capture.connection();
    }

    void begin() throws SQLException {
      exec(c(), "SET LOCAL statement_timeout = " + capture.timeout().toMillis());
      if (mode == Mode.REAL) {
        exec(c(), "SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
      } else if (createExtension) {
        exec(c(), "CREATE EXTENSION IF NOT EXISTS hypopg");
      }
    }

    Run run(CatalogQuery q, ParamSet params) throws SQLException {
      JsonNode plan =
          mode == Mode.REAL ? capture.measure(q, params, RUNS) : capture.estimate(q, params);
      PlanAnalysis analysis = PlanAnalyzer.analyze(plan, Map.of());
      return new Run(
          plan, analysis, cost(plan), mode == Mode.REAL ? analysis.facts().executionMs() : null);
    }

    void hide(String index) throws SQLException {
      if (mode == Mode.REAL) {
        exec(c(), "DROP INDEX " + index);
      } else {
        exec(c(), "SELECT hypopg_hide_index('" + index.replace("'", "''") + "'::regclass)");
      }
    }

    /** Creates the candidate; returns the name plans will show. */
    String add(String definition) throws SQLException {
      if (mode == Mode.REAL) {
        exec(
            c(),
            definition.replaceFirst("^CREATE INDEX ON ", "CREATE INDEX " + CANDIDATE + " ON "));
        return CANDIDATE;
      }
      try (PreparedStatement ps =
          c().prepareStatement("SELECT indexname FROM hypopg_create_index(?)")) {
        ps.setString(1, definition);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    }

    void end() throws SQLException {
      c().rollback();
      if (mode == Mode.HYPOPG) {
        reset(c());
      }
    }

    /** "cost 120 → 8 (-93%)", with the measured times when there are. */
    String change(Run before, Run after) {
      String cost = "cost " + WhatIf.change(before.cost(), after.cost());
      return mode == Mode.REAL
          ? String.format(Locale.ROOT, "%.2f → %.2f ms measured, ", before.ms(), after.ms()) + cost
          : cost;
    }

    /**
     * Whether the query got worse without an index: another plan the planner also finds costlier
     * (another index serving the same lookups at the same cost is no loss) and, when measured, that
     * is slower beyond noise.
     */
    boolean worse(Run before, Run after) {
      return !after.analysis().fingerprint().equals(before.analysis().fingerprint())
          && after.cost() > before.cost() * SAME_COST
          && (mode == Mode.HYPOPG || after.ms() > before.ms() * SLOWER);
    }

    /** The share of the query an added index saves, and whether it clears the bar. */
    double saving(Run before, Run after) {
      double b = mode == Mode.REAL ? before.ms() : before.cost();
      double a = mode == Mode.REAL ? after.ms() : after.cost();
      return b <= 0 ? 0 : (b - a) / b;
    }

    boolean worthIt(Run before, Run after) {
      boolean big = mode == Mode.REAL ? before.ms() >= MIN_MS : before.cost() >= MIN_COST;
      return big && saving(before, after) >= MIN_SAVING;
    }

    String bar(Run before) {
      return mode == Mode.REAL
          ? String.format(
              Locale.ROOT,
              "of %.2f ms (the bar: >= %.0f ms and >= %.0f%%)",
              before.ms(),
              MIN_MS,
              MIN_SAVING * 100)
          : String.format(
              Locale.ROOT,
              "of a cost of %.0f (Dexter's bar: cost >= %.0f and saving >= %.0f%%)",
              before.cost(),
              MIN_COST,
              MIN_SAVING * 100);
    }

    /** The better of two candidate outcomes: faster measured, or cheaper planned. */
    boolean better(Outcome o, Outcome best) {
      return mode == Mode.REAL
          ? o.msAfter() < best.msAfter() / SLOWER
          : o.costAfter() < best.costAfter() / SAME_COST;
    }
  }

  /**
   * Runs both questions.
   *
   * @param owned critpath may build and drop indexes here (inside rolled-back transactions)
   */
  static Report run(
      Connection owner,
      PlanCapture capture,
      List<CatalogQuery> queries,
      List<QueryExplain> results,
      boolean owned,
      PrintWriter progress)
      throws SQLException {
    String installed = value(owner, "SELECT extversion FROM pg_extension WHERE extname = 'hypopg'");
    String available =
        value(owner, "SELECT default_version FROM pg_available_extensions WHERE name = 'hypopg'");
    if (!owned && installed == null && available == null) {
      return new Report(
          "skipped: hypopg is not installed on this server (Debian/Ubuntu: apt-get install"
              + " postgresql-"
              + owner.getMetaData().getDatabaseMajorVersion()
              + "-hypopg), and without it what-if builds real indexes only on a database critpath"
              + " owns (its marker, or --allow-unmarked: inside rolled-back transactions)",
          results,
          List.of());
    }
    Probe probe = new Probe(owned ? Mode.REAL : Mode.HYPOPG, capture, installed == null);
    Connection c = capture.connection();
    Map<String, List<Outcome>> perQuery = new LinkedHashMap<>();
    List<Outcome> hidden = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    try {
      List<Baseline> baselines = new ArrayList<>();
      boolean canHide;
      probe.begin();
      try {
        canHide =
            probe.mode() == Mode.REAL || value(c, "SELECT to_regproc('hypopg_hide_index')") != null;
        for (CatalogQuery q : queries) {
          QueryExplain qe = find(results, q.name());
          if (qe == null || qe.error() != null) {
            continue;
          }
          for (CapturedPlan p : qe.plans()) {
            if (!p.variant().equals("generic")) {
              Run run = probe.run(q, p.params());
              Set<String> used = new LinkedHashSet<>();
              run.analysis().facts().indexesUsed().forEach(u -> used.add(u.index()));
              p.nested().forEach(n -> n.facts().indexesUsed().forEach(u -> used.add(u.index())));
              baselines.add(new Baseline(q, p, run, used));
            }
          }
        }
      } finally {
        c.rollback();
      }
      if (canHide) {
        hideCandidates(owner, probe, baselines, perQuery, hidden, progress);
      } else {
        notes.add(
            "hiding indexes needs hypopg 1.4+ (hypopg_hide_index) on a database critpath does not"
                + " own");
      }
      suggest(owner, probe, baselines, perQuery, progress);
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
        (probe.mode() == Mode.REAL
                ? "ran measured (a database critpath owns): candidate indexes built and hidden"
                    + " ones dropped for real inside rolled-back transactions, times are the"
                    + " median of "
                    + RUNS
                    + " EXPLAIN ANALYZE runs"
                : "ran with hypopg "
                    + (installed != null
                        ? installed
                        : available + " (created inside rolled-back transactions)")
                    + ", planner estimates only")
            + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
    return new Report(status, merge(results, perQuery), hidden);
  }

  private static void hideCandidates(
      Connection owner,
      Probe probe,
      List<Baseline> baselines,
      Map<String, List<Outcome>> perQuery,
      List<Outcome> hidden,
      PrintWriter progress)
      throws SQLException {
    // the scans explain just ran count as use: make them visible before judging "unused"
    StatsSnapshot.flush(probe.c());
    InspectResult inspect = Inspector.inspect(owner, Inspector.Options.defaults());
    Set<String> candidates = new LinkedHashSet<>();
    for (Finding f : inspect.findings()) {
      if (Set.of(Checks.UNUSED, Checks.RARELY_USED, Checks.DUPLICATE, Checks.REDUNDANT)
          .contains(f.check())) {
        candidates.add(f.object());
      }
    }
    Connection c = probe.c();
    for (String index : candidates) {
      // a plan that does not read the index cannot change when it is hidden
      List<Baseline> affected =
          baselines.stream().filter(b -> b.indexes().contains(unqualified(index))).toList();
      if (affected.isEmpty()) {
        hidden.add(Outcome.summary(index, false, "no catalog query's plan changes without it"));
        continue;
      }
      List<String> changed = new ArrayList<>();
      probe.begin();
      try {
        Savepoint sp = c.setSavepoint();
        try {
          probe.hide(index);
        } catch (SQLException e) {
          c.rollback(sp);
          hidden.add(
              Outcome.summary(index, null, "could not hide it: " + ExplainRunner.describe(e)));
          continue;
        }
        for (Baseline b : affected) {
          Run after = probe.run(b.query(), b.params());
          if (probe.worse(b.run(), after)) {
            String change = probe.change(b.run(), after);
            changed.add(b.label() + " (" + change + ")");
            perQuery
                .computeIfAbsent(b.query().name(), k -> new ArrayList<>())
                .add(
                    new Outcome(
                        "hide",
                        index,
                        b.query().name(),
                        b.captured().variant(),
                        b.run().cost(),
                        after.cost(),
                        b.run().ms(),
                        after.ms(),
                        true,
                        after.analysis().shape(),
                        "without " + index + " the plan changes, " + change));
          }
        }
      } finally {
        probe.end();
      }
      hidden.add(
          Outcome.summary(
              index,
              !changed.isEmpty(),
              changed.isEmpty()
                  ? "no catalog query's plan changes without it"
                  : "needed by: " + String.join(", ", changed)));
      progress.printf("what-if: hid %s: %s%n", index, hidden.get(hidden.size() - 1).verdict());
    }
  }

  private static void suggest(
      Connection owner,
      Probe probe,
      List<Baseline> baselines,
      Map<String, List<Outcome>> perQuery,
      PrintWriter progress)
      throws SQLException {
    for (Baseline b : baselines) {
      List<List<String>> groups = candidates(owner, parseRaw(b.captured().raw()));
      for (List<String> group : groups) {
        Outcome best = null;
        List<String> problems = new ArrayList<>();
        for (String definition : group) {
          Outcome o = tryIndex(probe, b, definition, problems);
          if (o != null && (best == null || probe.better(o, best))) {
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
                  b.run().cost(),
                  null,
                  b.run().ms(),
                  null,
                  false,
                  null,
                  problems.isEmpty()
                      ? "the planner would use none of them"
                      : "could not try them: " + String.join("; ", problems));
        }
        perQuery.computeIfAbsent(b.query().name(), k -> new ArrayList<>()).add(best);
        if (best.verdict().startsWith(WORTH_CREATING)) {
          progress.printf("what-if: %s for %s: %s%n", best.index(), b.label(), best.verdict());
        }
      }
    }
  }

  /** The query run again with one candidate index; null when the planner ignores it. */
  private static Outcome tryIndex(Probe probe, Baseline b, String definition, List<String> problems)
      throws SQLException {
    probe.begin();
    try {
      String name = probe.add(definition);
      Run after = probe.run(b.query(), b.params());
      if (after.analysis().facts().indexesUsed().stream().noneMatch(u -> u.index().equals(name))) {
        return null;
      }
      String verdict =
          probe.worthIt(b.run(), after)
              ? String.format(
                  Locale.ROOT,
                  WORTH_CREATING + ": %s (saves %.0f%%)",
                  probe.change(b.run(), after),
                  probe.saving(b.run(), after) * 100)
              : probe.saving(b.run(), after) <= 0
                  ? "used, but saves nothing: " + probe.change(b.run(), after)
                  : String.format(
                      Locale.ROOT,
                      "used, but saves only %.0f%% %s",
                      probe.saving(b.run(), after) * 100,
                      probe.bar(b.run()));
      return new Outcome(
          "hypothetical",
          definition,
          b.query().name(),
          b.captured().variant(),
          b.run().cost(),
          after.cost(),
          b.run().ms(),
          after.ms(),
          !after.analysis().fingerprint().equals(b.run().analysis().fingerprint()),
          after.analysis().shape(),
          verdict);
    } catch (SQLException e) {
      if (SqlState.isConnectionLoss(e)) {
        throw e;
      }
      problems.add(definition + ": " + ExplainRunner.describe(e));
      return null;
    } finally {
      probe.end();
    }
  }

  /** "public.messages_idx" → "messages_idx", as plans name indexes. */
  private static String unqualified(String index) {
    String name = index.substring(index.lastIndexOf('.') + 1);
    return name.startsWith("\"")
        ? name.substring(1, name.length() - 1).replace("\"\"", "\"")
        : name;
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
