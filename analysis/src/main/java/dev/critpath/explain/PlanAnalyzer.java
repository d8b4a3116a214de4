package dev.critpath.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.critpath.inspect.Severity;
import dev.critpath.run.PlanFingerprint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)} output (or an auto_explain JSON plan) and
 * applies the {@link PlanRules}. Works on the JSON alone, so plans saved in a results directory can
 * be analysed again offline; table sizes, when known, sharpen the seq-scan rule.
 *
 * <p>EXPLAIN reports {@code Actual Rows} and {@code Actual Total Time} per loop, and {@code Rows
 * Removed by Filter} as a per-loop average: totals here multiply by {@code Actual Loops}. Inside a
 * parallel section a node's loops are its processes, which run at the same time, so its wall time
 * is the per-loop time, not the sum.
 */
public final class PlanAnalyzer {
  private final Map<String, Double> tableRows;
  private final List<PlanWarning> warnings = new ArrayList<>();
  private final List<PlanFacts.IndexUse> indexes = new ArrayList<>();
  private final List<PlanFacts.SeqScan> seqScans = new ArrayList<>();
  private double executionMs;
  private int count;

  private PlanAnalyzer(Map<String, Double> tableRows) {
    this.tableRows = tableRows;
  }

  /**
   * Analyses one plan.
   *
   * @param explain EXPLAIN's JSON output (the one-element array, or its object) or an auto_explain
   *     plan ({@code {"Query Text": ..., "Plan": ...}})
   * @param tableRows estimated rows per relation name (pg_class.reltuples), possibly empty
   */
  public static PlanAnalysis analyze(JsonNode explain, Map<String, Double> tableRows) {
    JsonNode top = explain instanceof ArrayNode && explain.size() > 0 ? explain.get(0) : explain;
    JsonNode root = top.path("Plan");
    if (root.isMissingNode()) {
      throw new IllegalArgumentException("not an EXPLAIN (FORMAT JSON) plan: no \"Plan\" field");
    }
    return new PlanAnalyzer(tableRows).run(top, root);
  }

  private PlanAnalysis run(JsonNode top, JsonNode root) {
    Node tree = build(root, null, 1);
    executionMs =
        top.has("Execution Time") ? top.get("Execution Time").asDouble() : tree.inclusiveMs;
    walk(tree, false);
    jit(top);
    StringBuilder shape = new StringBuilder();
    shape(tree, shape);
    PlanFacts facts =
        new PlanFacts(
            executionMs,
            top.has("Planning Time") ? top.get("Planning Time").asDouble() : null,
            Math.round(tree.rowsPerLoop * tree.loops),
            count,
            List.copyOf(indexes),
            List.copyOf(seqScans),
            root.path("Shared Hit Blocks").asLong(),
            root.path("Shared Read Blocks").asLong(),
            root.path("Shared Dirtied Blocks").asLong(),
            root.path("Shared Written Blocks").asLong(),
            root.path("Temp Read Blocks").asLong(),
            root.path("Temp Written Blocks").asLong(),
            optionalLong(top.path("Planning"), "Shared Hit Blocks"),
            optionalLong(top.path("Planning"), "Shared Read Blocks"),
            top.has("JIT") ? top.path("JIT").path("Timing").path("Total").asDouble() : null,
            optionalLong(root, "WAL Records"),
            optionalLong(root, "WAL Bytes"),
            triggerMs(top),
            settings(top));
    return new PlanAnalysis(
        facts,
        List.copyOf(warnings),
        PlanFingerprint.of(root),
        shape.toString(),
        top.has("Query Text") ? top.get("Query Text").asText().strip() : null);
  }

  /** One plan node with the numbers the rules need, totals over loops already worked out. */
  private final class Node {
    final JsonNode json;
    final int id;
    final List<Node> children = new ArrayList<>();
    final long loops;
    final double rowsPerLoop;
    final double planRows;
    final double inclusiveMs;
    double exclusiveMs;

    Node(JsonNode json, int id, int parallelism) {
      this.json = json;
      this.id = id;
      this.loops = json.path("Actual Loops").asLong(0);
      this.rowsPerLoop = json.path("Actual Rows").asDouble(0);
      this.planRows = json.path("Plan Rows").asDouble(0);
      double perLoop = json.path("Actual Total Time").asDouble(0);
      // parallel processes overlap in time: their wall time is one loop's, not the sum
      this.inclusiveMs = parallelism > 1 ? perLoop * loops / parallelism : perLoop * loops;
    }

    String type() {
      return json.path("Node Type").asText();
    }

    String label() {
      StringBuilder sb = new StringBuilder("#").append(id).append(' ').append(type());
      if (json.has("Index Name")) {
        sb.append(" using ").append(json.get("Index Name").asText());
      }
      if (json.has("Relation Name")) {
        sb.append(" on ").append(json.get("Relation Name").asText());
        String alias = json.path("Alias").asText("");
        if (!alias.isEmpty() && !alias.equals(json.get("Relation Name").asText())) {
          sb.append(' ').append(alias);
        }
      }
      if (json.has("CTE Name")) {
        sb.append(" on ").append(json.get("CTE Name").asText());
      }
      if (json.has("Function Name")) {
        sb.append(" on ").append(json.get("Function Name").asText());
      }
      return sb.toString();
    }
  }

  private Node build(JsonNode json, Node parent, int parallelism) {
    Node node = new Node(json, ++count, parallelism);
    int inner = parallelism;
    String type = node.type();
    if (type.equals("Gather") || type.equals("Gather Merge")) {
      int workers = json.path("Workers Launched").asInt(json.path("Workers Planned").asInt(0));
      inner = workers + 1; // the leader takes part by default
    }
    double childMs = 0;
    for (JsonNode child : json.path("Plans")) {
      Node c = build(child, node, inner);
      node.children.add(c);
      childMs += c.inclusiveMs;
    }
    node.exclusiveMs = Math.max(0, node.inclusiveMs - childMs);
    return node;
  }

  private void walk(Node n, boolean underLimit) {
    JsonNode j = n.json;
    String type = n.type();
    // plain EXPLAIN (what-if) has no actuals: its structure still counts
    boolean analyzed = j.has("Actual Loops");
    boolean executed = n.loops > 0;
    if (executed || !analyzed) {
      scans(n, type);
    }
    if (executed) {
      misestimate(n, underLimit);
      filters(n);
      spills(n, type);
      time(n);
      if (j.path("Workers Planned").asInt(0) > j.path("Workers Launched").asInt(0)
          && j.has("Workers Launched")) {
        warn(
            PlanRules.WORKERS,
            Severity.INFO,
            n,
            String.format(
                "%d of %d planned parallel workers started (max_parallel_workers is used up)",
                j.path("Workers Launched").asInt(), j.path("Workers Planned").asInt()),
            ev(
                "planned",
                j.path("Workers Planned").asInt(),
                "launched",
                j.path("Workers Launched").asInt()));
      }
    }
    boolean limit = underLimit || type.equals("Limit");
    for (Node c : n.children) {
      walk(c, limit);
    }
  }

  private void scans(Node n, String type) {
    JsonNode j = n.json;
    long rows = Math.round(n.rowsPerLoop * n.loops);
    if (j.has("Index Name")) {
      indexes.add(
          new PlanFacts.IndexUse(
              j.get("Index Name").asText(),
              j.path("Relation Name").asText(null),
              type,
              n.loops,
              rows));
    }
    if (type.equals("Seq Scan") || type.equals("Parallel Seq Scan")) {
      String relation = j.path("Relation Name").asText();
      long removed = Math.round(j.path("Rows Removed by Filter").asDouble(0) * n.loops);
      PlanFacts.SeqScan scan =
          new PlanFacts.SeqScan(relation, j.path("Alias").asText(relation), n.loops, rows, removed);
      seqScans.add(scan);
      Double tableSize = tableRows.get(relation);
      boolean large =
          scan.rowsRead() >= PlanRules.LARGE_TABLE_ROWS
              || (tableSize != null && tableSize >= PlanRules.LARGE_TABLE_ROWS);
      if (large) {
        warn(
            PlanRules.SEQ_SCAN_LARGE,
            Severity.WARN,
            n,
            String.format(
                "seq scan on %s read %,d rows in %,d loop%s%s",
                relation,
                scan.rowsRead(),
                n.loops,
                n.loops == 1 ? "" : "s",
                tableSize == null ? "" : String.format(" (table: ~%,.0f rows)", tableSize)),
            ev(
                "relation",
                relation,
                "rows_read",
                scan.rowsRead(),
                "loops",
                n.loops,
                "table_rows",
                tableSize));
      }
    }
    if (type.equals("Index Only Scan") && j.path("Heap Fetches").asLong(0) > 0) {
      // Heap Fetches is a total over all loops, unlike Actual Rows
      long fetches = j.get("Heap Fetches").asLong();
      double share = rows == 0 ? 1 : fetches / (double) rows;
      warn(
          PlanRules.HEAP_FETCHES,
          share >= PlanRules.HEAP_FETCH_WARN_SHARE && fetches >= PlanRules.HEAP_FETCH_WARN_MIN
              ? Severity.WARN
              : Severity.INFO,
          n,
          String.format(
              "index-only scan visited the table for %,d of %,d rows (%s): the visibility map is"
                  + " stale, VACUUM %s",
              fetches, rows, pct(share), j.path("Relation Name").asText()),
          ev("heap_fetches", fetches, "rows", rows, "share", share));
    }
    if (j.path("Lossy Heap Blocks").asLong(0) > 0) {
      warn(
          PlanRules.LOSSY_BITMAP,
          Severity.WARN,
          n,
          String.format(
              "bitmap went lossy for %,d heap blocks (every row in them rechecked): raise work_mem",
              j.get("Lossy Heap Blocks").asLong()),
          ev(
              "lossy_blocks",
              j.get("Lossy Heap Blocks").asLong(),
              "exact_blocks",
              j.path("Exact Heap Blocks").asLong()));
    }
  }

  /**
   * Planned vs actual rows per loop. Below a Limit a node stops early, so there only underestimates
   * count.
   */
  private void misestimate(Node n, boolean underLimit) {
    double actual = Math.max(n.rowsPerLoop, 1);
    double planned = Math.max(n.planRows, 1);
    boolean under = actual > planned;
    if (!under && underLimit) {
      return;
    }
    double factor = under ? actual / planned : planned / actual;
    String rule;
    Severity severity;
    if (factor > PlanRules.MISESTIMATE_CRITICAL) {
      rule = PlanRules.MISESTIMATE_1000;
      severity = Severity.CRITICAL;
    } else if (factor > PlanRules.MISESTIMATE_WARN) {
      rule = PlanRules.MISESTIMATE_100;
      severity = Severity.WARN;
    } else if (factor > PlanRules.MISESTIMATE_INFO) {
      rule = PlanRules.MISESTIMATE_10;
      severity = Severity.INFO;
    } else {
      return;
    }
    if (n.type().equals("Function Scan")) {
      // the planner takes a function's row count from its declaration (ROWS, default 1000)
      warn(
          rule,
          Severity.INFO,
          n,
          String.format(
              "the function is declared to return %,.0f rows, it returned %,.0f: declare it"
                  + " with ROWS %,.0f (ALTER FUNCTION ... ROWS) if it joins with anything",
              n.planRows, n.rowsPerLoop, Math.max(1, n.rowsPerLoop)),
          ev("planned_rows", n.planRows, "actual_rows", n.rowsPerLoop, "factor", factor));
      return;
    }
    warn(
        rule,
        severity,
        n,
        String.format(
            "planner expected %,.0f row%s per loop, got %,.0f: %s by %,.0fx (stale statistics,"
                + " correlated columns or a parameter it could not see)",
            n.planRows,
            n.planRows == 1 ? "" : "s",
            n.rowsPerLoop,
            under ? "underestimated" : "overestimated",
            factor),
        ev(
            "planned_rows",
            n.planRows,
            "actual_rows",
            n.rowsPerLoop,
            "loops",
            n.loops,
            "factor",
            factor));
  }

  private void filters(Node n) {
    for (String field :
        List.of(
            "Rows Removed by Filter",
            "Rows Removed by Join Filter",
            "Rows Removed by Index Recheck")) {
      double removedPerLoop = n.json.path(field).asDouble(0);
      long removed = Math.round(removedPerLoop * n.loops);
      if (removed < PlanRules.FILTER_MIN_REMOVED) {
        continue;
      }
      double share = removedPerLoop / (removedPerLoop + n.rowsPerLoop);
      if (share <= PlanRules.FILTER_INFO_SHARE) {
        continue;
      }
      boolean high = share > PlanRules.FILTER_WARN_SHARE;
      warn(
          high ? PlanRules.FILTER_90 : PlanRules.FILTER_50,
          high ? Severity.WARN : Severity.INFO,
          n,
          String.format(
              "%s: %,d of %,d rows read (%s) were thrown away; an index on the filtered"
                  + " columns would skip them",
              field.toLowerCase(Locale.ROOT),
              removed,
              removed + Math.round(n.rowsPerLoop * n.loops),
              pct(share)),
          ev(
              "field",
              field,
              "removed",
              removed,
              "kept",
              Math.round(n.rowsPerLoop * n.loops),
              "share",
              share));
    }
  }

  private void spills(Node n, String type) {
    JsonNode j = n.json;
    if ("Disk".equals(j.path("Sort Space Type").asText())) {
      warn(
          PlanRules.SORT_SPILL,
          Severity.WARN,
          n,
          String.format(
              "sort spilled %,d kB to disk (%s): raise work_mem for this query, or sort less",
              j.path("Sort Space Used").asLong(), j.path("Sort Method").asText()),
          ev(
              "sort_space_kb",
              j.path("Sort Space Used").asLong(),
              "sort_method",
              j.path("Sort Method").asText()));
    }
    int batches = Math.max(j.path("Hash Batches").asInt(0), j.path("HashAgg Batches").asInt(0));
    if (batches > 1) {
      warn(
          PlanRules.HASH_SPILL,
          Severity.WARN,
          n,
          String.format(
              "%s ran in %d batches (spilled to disk; %d planned): raise work_mem or"
                  + " hash_mem_multiplier",
              type,
              batches,
              j.path("Original Hash Batches").asInt(j.path("Planned Partitions").asInt(1))),
          ev("batches", batches, "disk_kb", j.path("Disk Usage").asLong()));
    }
  }

  private void time(Node n) {
    if (executionMs < PlanRules.TIME_MIN_EXECUTION_MS || n.exclusiveMs <= 0) {
      return;
    }
    double share = n.exclusiveMs / executionMs;
    String rule;
    if (share > PlanRules.TIME_HIGH_SHARE) {
      rule = PlanRules.TIME_90;
    } else if (share > PlanRules.TIME_MID_SHARE) {
      rule = PlanRules.TIME_40;
    } else if (share > PlanRules.TIME_INFO_SHARE) {
      rule = PlanRules.TIME_10;
    } else {
      return;
    }
    warn(
        rule,
        Severity.INFO,
        n,
        String.format(
            "%s of the execution time (%.2f of %.2f ms) is spent in this node itself",
            pct(share), n.exclusiveMs, executionMs),
        ev("exclusive_ms", n.exclusiveMs, "share", share));
  }

  private void jit(JsonNode top) {
    if (!top.has("JIT")) {
      return;
    }
    double jitMs = top.path("JIT").path("Timing").path("Total").asDouble(0);
    if (executionMs > 0 && jitMs / executionMs > PlanRules.JIT_MAX_SHARE) {
      warnings.add(
          new PlanWarning(
              PlanRules.JIT,
              Severity.WARN,
              "plan",
              String.format(
                  "JIT took %.1f ms of %.1f ms (%s): for short queries raise jit_above_cost or set"
                      + " jit = off",
                  jitMs, executionMs, pct(jitMs / executionMs)),
              ev("jit_ms", jitMs, "execution_ms", executionMs)));
    }
  }

  private void warn(
      String rule, Severity severity, Node n, String message, Map<String, Object> evidence) {
    warnings.add(new PlanWarning(rule, severity, n.label(), message, evidence));
  }

  private static void shape(Node n, StringBuilder out) {
    out.append(n.label().replaceFirst("^#\\d+ ", ""));
    if (!n.children.isEmpty()) {
      out.append(n.children.size() == 1 ? " → " : " (");
      for (int i = 0; i < n.children.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        shape(n.children.get(i), out);
      }
      if (n.children.size() > 1) {
        out.append(')');
      }
    }
  }

  private static Double triggerMs(JsonNode top) {
    double total = 0;
    boolean any = false;
    for (JsonNode t : top.path("Triggers")) {
      total += t.path("Time").asDouble(0);
      any = true;
    }
    return any ? total : null;
  }

  private static Map<String, String> settings(JsonNode top) {
    if (!top.has("Settings") || top.get("Settings").isEmpty()) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    top.get("Settings").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static Long optionalLong(JsonNode node, String field) {
    return node.has(field) ? node.get(field).asLong() : null;
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  /** An ordered evidence map; null values are left out. */
  static Map<String, Object> ev(Object... kv) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        out.put((String) kv[i], kv[i + 1]);
      }
    }
    return out;
  }
}
