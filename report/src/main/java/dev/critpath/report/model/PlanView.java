package dev.critpath.report.model;

import java.util.List;

/**
 * A query's captured plan, as far as reports and comparisons need it.
 *
 * @param file the raw plan's path relative to the run directory (explain/&lt;query&gt;.json)
 * @param fingerprint identifies the plan's shape ({@link dev.critpath.run.PlanFingerprint}, as the
 *     explain stage records it); equal fingerprints mean the same plan
 * @param shape the shape in words, one node per step ("Limit → Index Scan using x on t")
 * @param fromRawPlan whether the shape was computed here from the raw plan (then two runs' shapes
 *     compare alike whatever critpath version captured them), or taken from the explain stage's
 *     analysis (whose shape text differs, so only fingerprints compare across the two)
 * @param indexesUsed every index the plan reads
 * @param root the plan tree, null when only facts were recorded
 * @param hotNodeId id of the node with the largest exclusive time, -1 when unknown
 */
public record PlanView(
    String file,
    String fingerprint,
    String shape,
    boolean fromRawPlan,
    List<String> indexesUsed,
    PlanNode root,
    int hotNodeId,
    Double executionMs,
    Double planningMs,
    Double sharedHit,
    Double sharedRead) {

  public static PlanView none() {
    return new PlanView(null, null, null, false, List.of(), null, -1, null, null, null, null);
  }

  /** Shared buffers the whole statement touched (hit + read), null when unknown. */
  public Double sharedBuffers() {
    if (sharedHit == null && sharedRead == null) {
      return null;
    }
    return (sharedHit == null ? 0 : sharedHit) + (sharedRead == null ? 0 : sharedRead);
  }

  public boolean isEmpty() {
    return fingerprint == null && shape == null && root == null && indexesUsed.isEmpty();
  }
}
