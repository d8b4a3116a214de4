package dev.critpath.explain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What one executed plan did. Block counts are the whole statement's (the root node's, which
 * include its children and any function the statement called); times in milliseconds.
 *
 * @param executionMs the server's execution time (for auto_explain plans: the root node's time)
 * @param planningMs null for auto_explain plans, which do not report it
 * @param rows rows the statement returned (root node rows times loops)
 * @param indexesUsed every index an index, index-only or bitmap index scan read
 * @param seqScans every seq scan, with the rows it returned and threw away
 * @param jitMs JIT compile time, or null when JIT did not run
 * @param walBytes WAL written (EXPLAIN's WAL option, writes only), or null
 * @param settings planner settings that differ from the defaults (EXPLAIN's SETTINGS option)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlanFacts(
    double executionMs,
    Double planningMs,
    long rows,
    int nodes,
    List<IndexUse> indexesUsed,
    List<SeqScan> seqScans,
    long sharedHit,
    long sharedRead,
    long sharedDirtied,
    long sharedWritten,
    long tempRead,
    long tempWritten,
    Long planningSharedHit,
    Long planningSharedRead,
    Double jitMs,
    Long walRecords,
    Long walBytes,
    Double triggerMs,
    Map<String, String> settings) {

  /** Shared buffers the statement touched: hits plus reads. */
  public long sharedBuffers() {
    return sharedHit + sharedRead;
  }

  /**
   * One index scan node.
   *
   * @param rows rows it returned over all loops
   */
  public record IndexUse(String index, String relation, String nodeType, long loops, long rows) {}

  /**
   * One seq scan node.
   *
   * @param rows rows it returned over all loops
   * @param removed rows its filter threw away over all loops
   */
  public record SeqScan(String relation, String alias, long loops, long rows, long removed) {
    /** Rows the scan read: returned plus removed. */
    public long rowsRead() {
      return rows + removed;
    }
  }
}
