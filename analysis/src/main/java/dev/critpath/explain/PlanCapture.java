package dev.critpath.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.catalog.CatalogQuery;
import dev.critpath.catalog.ParamBinding;
import dev.critpath.catalog.ReadOnlySql;
import dev.critpath.db.Libraries;
import dev.critpath.db.Pooler;
import dev.critpath.db.RequestContext;
import dev.critpath.db.SqlState;
import dev.critpath.io.Json;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Runs {@code EXPLAIN (ANALYZE, BUFFERS, SETTINGS, FORMAT JSON)} for catalog queries on one
 * dedicated connection, the way the benchmark runs them: inside a transaction, as the query's role
 * with its JWT claims. Every capture's transaction is rolled back, writes included (sequences still
 * advance, as with any rolled-back insert), and runs under a statement_timeout.
 *
 * <p>The statement is prepared ({@code PREPARE}) and explained through {@code EXECUTE}, so that
 * {@code plan_cache_mode} picks the custom plan (planned for these values) or the generic plan
 * (what a prepared statement switches to after five executions). Statements inside functions
 * (send_message, redeem_voucher, RLS helpers) are captured by auto_explain, whose JSON plans arrive
 * as notices, hence JDBC warnings.
 */
final class PlanCapture {
  private static final String STATEMENT = "critpath_explain";
  private static final String AUTO_STATEMENT = "critpath_explain_auto";

  /** Executions after which PostgreSQL may switch a prepared statement to its generic plan. */
  static final int CUSTOM_PLAN_TRIES = 5;

  private static final String NOTICE_PLAN = "plan:";

  private final Connection c;
  private final Duration timeout;
  private final boolean nested;
  private final String nestedStatus;

  private PlanCapture(Connection c, Duration timeout, boolean nested, String nestedStatus) {
    this.c = c;
    this.timeout = timeout;
    this.nested = nested;
    this.nestedStatus = nestedStatus;
  }

  /**
   * Prepares a connection (left with autocommit off) and finds out whether auto_explain works.
   * Through a transaction pooler a per-session LOAD would land on one shared backend and the
   * captures on others, so there only a preloaded auto_explain counts.
   */
  static PlanCapture open(Connection c, Duration timeout, Pooler pooler) throws SQLException {
    c.setAutoCommit(true);
    String why = null;
    boolean preloaded = Libraries.loaded(c, Libraries.AUTO_EXPLAIN);
    try (Statement st = c.createStatement()) {
      if (!preloaded && pooler.mode() == Pooler.Mode.TRANSACTION) {
        why = "LOAD 'auto_explain' is per session, and the pooler runs in transaction mode";
      } else if (!preloaded) {
        try {
          st.execute("LOAD 'auto_explain'");
        } catch (SQLException e) {
          why = firstLine(e);
        }
      }
    }
    c.setAutoCommit(false);
    if (why == null) {
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL auto_explain.log_nested_statements = on");
      } catch (SQLException e) {
        why = firstLine(e);
      } finally {
        c.rollback();
      }
    }
    String status =
        why == null
            ? "captured with auto_explain ("
                + (preloaded ? "preloaded" : "loaded per session")
                + ")"
            : "not captured: auto_explain is not usable here ("
                + why
                + "); fix: "
                + (pooler.mode() == Pooler.Mode.TRANSACTION
                    ? "connect through the session pooler port (5432 on Supabase) or directly, or"
                        + " preload auto_explain"
                    : "add auto_explain to shared_preload_libraries, or connect as a superuser");
    return new PlanCapture(c, timeout, why == null, status);
  }

  String nestedStatus() {
    return nestedStatus;
  }

  /**
   * Executes and explains the query once with these parameters, then rolls back; or, with {@code
   * execute} false, only plans it (plain EXPLAIN).
   *
   * @param generic true for the generic plan, false for the custom plan
   */
  CapturedPlan capture(
      CatalogQuery q, ParamSet params, String variant, boolean generic, boolean execute)
      throws SQLException {
    boolean prepared = false;
    try {
      begin(q, generic ? "force_generic_plan" : "force_custom_plan");
      if (nested && execute) {
        exec(
            "SET LOCAL auto_explain.log_min_duration = 0",
            "SET LOCAL auto_explain.log_analyze = on",
            "SET LOCAL auto_explain.log_buffers = on",
            "SET LOCAL auto_explain.log_timing = on",
            "SET LOCAL auto_explain.log_nested_statements = on",
            "SET LOCAL auto_explain.log_format = json",
            "SET LOCAL auto_explain.log_level = notice",
            "SET LOCAL client_min_messages = notice");
      }
      RequestContext.apply(c, q.role().pgRole(), params.subject());
      prepare(STATEMENT, q, params);
      prepared = true;
      String options =
          execute ? "ANALYZE, BUFFERS, SETTINGS" + (q.write().writes() ? ", WAL" : "") : "SETTINGS";
      String raw;
      List<JsonNode> nestedPlans;
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "EXPLAIN (" + options + ", FORMAT JSON) " + execute(STATEMENT, params))) {
        rs.next();
        raw = rs.getString(1);
        nestedPlans = nested && execute ? nestedPlans(st.getWarnings()) : List.of();
      }
      return new CapturedPlan(variant, params, null, List.of(), null, List.of(), raw, nestedPlans);
    } catch (SQLException e) {
      throw ReadOnlySql.undeclaredWrite(q, e);
    } finally {
      end(prepared ? STATEMENT : null);
    }
  }

  /**
   * Whether PostgreSQL, left to plan_cache_mode = auto, switches to the generic plan: executes the
   * prepared statement {@value #CUSTOM_PLAN_TRIES} + 1 times (each rolled back to a savepoint) and
   * reads pg_prepared_statements.generic_plans (PostgreSQL 14+; null before).
   */
  Boolean chosenAfterFiveRuns(CatalogQuery q, ParamSet params) throws SQLException {
    if (c.getMetaData().getDatabaseMajorVersion() < 14) {
      return null;
    }
    boolean prepared = false;
    try {
      begin(q, "auto");
      RequestContext.apply(c, q.role().pgRole(), params.subject());
      prepare(AUTO_STATEMENT, q, params);
      prepared = true;
      for (int i = 0; i <= CUSTOM_PLAN_TRIES; i++) {
        Savepoint sp = c.setSavepoint();
        try (Statement st = c.createStatement()) {
          st.execute(execute(AUTO_STATEMENT, params));
        }
        c.rollback(sp);
      }
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT generic_plans FROM pg_prepared_statements WHERE name = '"
                      + AUTO_STATEMENT
                      + "'")) {
        return rs.next() && rs.getLong(1) > 0;
      }
    } catch (SQLException e) {
      throw ReadOnlySql.undeclaredWrite(q, e);
    } finally {
      end(prepared ? AUTO_STATEMENT : null);
    }
  }

  /**
   * The plan (EXPLAIN without ANALYZE: nothing runs) of the query as its role, for the custom plan
   * of these parameters, inside the caller's transaction: what-if analysis calls it with indexes
   * hidden or hypothetical. Role and settings are undone by rolling back to a savepoint.
   */
  JsonNode estimate(CatalogQuery q, ParamSet params) throws SQLException {
    return explainInside(q, params, "FORMAT JSON");
  }

  /**
   * The query executed {@code runs} times with EXPLAIN ANALYZE inside the caller's transaction,
   * each run rolled back to a savepoint (writes included): the plan of the run with the median
   * execution time. What-if analysis calls it with real indexes built or dropped.
   */
  JsonNode measure(CatalogQuery q, ParamSet params, int runs) throws SQLException {
    List<JsonNode> plans = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      plans.add(explainInside(q, params, "ANALYZE, FORMAT JSON"));
    }
    plans.sort(
        java.util.Comparator.comparingDouble(
            p -> p.path(0).path("Execution Time").asDouble(Double.MAX_VALUE)));
    return plans.get(plans.size() / 2);
  }

  private JsonNode explainInside(CatalogQuery q, ParamSet params, String options)
      throws SQLException {
    Savepoint sp = c.setSavepoint();
    boolean prepared = false;
    try {
      exec("SET LOCAL plan_cache_mode = force_custom_plan");
      RequestContext.apply(c, q.role().pgRole(), params.subject());
      prepare(STATEMENT, q, params);
      prepared = true;
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery("EXPLAIN (" + options + ") " + execute(STATEMENT, params))) {
        rs.next();
        return Json.mapper().readTree(rs.getString(1));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("EXPLAIN returned something that is not JSON", e);
      }
    } finally {
      c.rollback(sp);
      if (prepared) {
        exec("DEALLOCATE " + STATEMENT);
      }
    }
  }

  Connection connection() {
    return c;
  }

  Duration timeout() {
    return timeout;
  }

  /** A query that declares no write runs read-only, although everything is rolled back. */
  private void begin(CatalogQuery q, String planCacheMode) throws SQLException {
    if (!q.write().writes()) {
      exec(ReadOnlySql.SET_READ_ONLY);
    }
    exec(
        "SET LOCAL statement_timeout = " + timeout.toMillis(),
        "SET LOCAL plan_cache_mode = " + planCacheMode);
  }

  /** Rolls the transaction back, whatever happened, and forgets the prepared statement. */
  private void end(String prepared) throws SQLException {
    c.rollback();
    if (prepared != null) {
      exec("DEALLOCATE " + prepared);
      c.rollback();
    }
  }

  /**
   * PREPAREs the statement, letting PostgreSQL infer the parameter types; where it cannot ({@code
   * SELECT $1}), with types taken from the values: the same decision and the same types as bench's
   * binding ({@link ParamBinding}).
   */
  private void prepare(String name, CatalogQuery q, ParamSet params) throws SQLException {
    String sql = c.nativeSQL(q.jdbcSql());
    if (params.placeholderValues().isEmpty()
        || ParamBinding.of(c, q.jdbcSql()).types() == ParamBinding.TypeSource.STATEMENT) {
      exec("PREPARE " + name + " AS " + sql);
      return;
    }
    String types =
        params.placeholderValues().stream()
            .map(ParamBinding::typeOf)
            .collect(Collectors.joining(", "));
    exec("PREPARE " + name + " (" + types + ") AS " + sql);
  }

  private static String execute(String name, ParamSet params) {
    if (params.placeholderValues().isEmpty()) {
      return "EXECUTE " + name;
    }
    return "EXECUTE "
        + name
        + "("
        + params.placeholderValues().stream()
            .map(ParamBinding::literal)
            .collect(Collectors.joining(", "))
        + ")";
  }

  /**
   * The auto_explain plans among the notices, in the order the statements finished; the outer
   * statement's own plan (auto_explain logs it too) is left out.
   */
  private static List<JsonNode> nestedPlans(SQLWarning warning) {
    List<JsonNode> out = new ArrayList<>();
    for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
      String msg = w.getMessage();
      int at = msg == null ? -1 : msg.indexOf(NOTICE_PLAN);
      if (at < 0 || !msg.startsWith("duration:")) {
        continue;
      }
      JsonNode plan;
      try {
        plan = Json.mapper().readTree(msg.substring(at + NOTICE_PLAN.length()));
      } catch (JsonProcessingException e) {
        continue; // not a JSON plan (log_format changed under us): nothing to analyse
      }
      String text = plan.path("Query Text").asText("").strip().toLowerCase(Locale.ROOT);
      if (text.startsWith("prepare " + STATEMENT) || text.startsWith("explain")) {
        continue;
      }
      out.add(plan);
    }
    return out;
  }

  private void exec(String... sqls) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String sql : sqls) {
        st.execute(sql);
      }
    }
  }

  private static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    return SqlState.INSUFFICIENT_PRIVILEGE.is(e) ? m + " (needs a superuser)" : m;
  }
}
