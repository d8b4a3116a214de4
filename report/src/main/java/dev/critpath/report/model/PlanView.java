package dev.critpath.report.model;

import java.util.List;

/**
 * A query's captured plan, as far as reports and comparisons need it.
 *
 * @param file the raw plan's path relative to the run directory (explain/&lt;query&gt;.json)
 * @param fingerprint identifies the plan's shape; equal fingerprints mean the same plan
 * @param shape the shape in words, one node per step ("Limit → Index Scan using x on t")
 * @param indexesUsed every index the plan reads
 * @param root the plan tree, null when only facts were recorded
 * @param hotNodeId id of the node with the largest exclusive time, -1 when unknown
 */
public record PlanView(
    String file,
    String fingerprint,
    String shape,
    List<String> indexesUsed,
    PlanNode root,
    int hotNodeId,
    Double executionMs,
    Double planningMs) {

  public static PlanView none() {
    return new PlanView(null, null, null, List.of(), null, -1, null, null);
  }

  public boolean isEmpty() {
    return fingerprint == null && shape == null && root == null && indexesUsed.isEmpty();
  }
}
