package dev.critpath.report.model;

import java.util.List;

/**
 * One node of an EXPLAIN (ANALYZE, BUFFERS) plan, with times and rows already multiplied by loops.
 *
 * @param id position in depth-first order, 0 for the root
 * @param label what the node does, as EXPLAIN's text format says it ("Index Scan using x on t")
 * @param totalMs inclusive time of all loops, null without ANALYZE
 * @param exclusiveMs time spent in this node alone (total minus children), null without ANALYZE
 * @param rows actual rows of all loops, null without ANALYZE
 * @param planRows the planner's estimate of rows of all loops
 * @param details notable facts of the node (filter, sort method, rows removed, spills)
 */
public record PlanNode(
    int id,
    String nodeType,
    String label,
    String relation,
    String index,
    Double totalMs,
    Double exclusiveMs,
    Double rows,
    Double planRows,
    Long loops,
    Long sharedHit,
    Long sharedRead,
    List<String> details,
    List<PlanNode> children) {

  /** Estimated vs actual rows, as a factor ≥ 1; null when unknown. */
  public Double misestimate() {
    if (rows == null || planRows == null) {
      return null;
    }
    double actual = Math.max(rows, 1);
    double planned = Math.max(planRows, 1);
    return Math.max(actual / planned, planned / actual);
  }
}
