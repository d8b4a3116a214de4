package dev.critpath.explain;

import java.util.List;

/**
 * The plan rules, their names (stable: reports and CI key on them) and thresholds, after PEV2's
 * heuristics. Every warning names the rule that fired; the thresholds are listed in docs/plans.md.
 */
public final class PlanRules {
  public static final String SEQ_SCAN_LARGE = "seq-scan-large-table";
  public static final String MISESTIMATE_10 = "row-misestimate-10x";
  public static final String MISESTIMATE_100 = "row-misestimate-100x";
  public static final String MISESTIMATE_1000 = "row-misestimate-1000x";
  public static final String FILTER_50 = "filter-removes-50pct";
  public static final String FILTER_90 = "filter-removes-90pct";
  public static final String SORT_SPILL = "sort-spills-to-disk";
  public static final String HASH_SPILL = "hash-spills-to-disk";
  public static final String LOSSY_BITMAP = "lossy-bitmap";
  public static final String HEAP_FETCHES = "index-only-heap-fetches";
  public static final String TIME_10 = "exclusive-time-10pct";
  public static final String TIME_40 = "exclusive-time-40pct";
  public static final String TIME_90 = "exclusive-time-90pct";
  public static final String JIT = "jit-overhead";
  public static final String WORKERS = "workers-not-launched";

  /** Every rule, in report order. */
  public static final List<String> ALL =
      List.of(
          SEQ_SCAN_LARGE,
          MISESTIMATE_10,
          MISESTIMATE_100,
          MISESTIMATE_1000,
          FILTER_50,
          FILTER_90,
          SORT_SPILL,
          HASH_SPILL,
          LOSSY_BITMAP,
          HEAP_FETCHES,
          TIME_10,
          TIME_40,
          TIME_90,
          JIT,
          WORKERS);

  /** A seq scan reading at least this many rows (or over a table this large) is a finding. */
  public static final long LARGE_TABLE_ROWS = 10_000;

  /** Estimate factors (actual/planned rows per loop, or the inverse). */
  public static final double MISESTIMATE_INFO = 10;

  public static final double MISESTIMATE_WARN = 100;
  public static final double MISESTIMATE_CRITICAL = 1000;

  /** Shares of rows read that a filter threw away. */
  public static final double FILTER_INFO_SHARE = 0.5;

  public static final double FILTER_WARN_SHARE = 0.9;

  /** Filters that removed fewer rows than this in all loops are not worth a line. */
  public static final long FILTER_MIN_REMOVED = 100;

  /**
   * Heap fetches of an index-only scan are a WARN from this share of its rows and this many fetches
   * (a few fetches right after a write are normal), else INFO.
   */
  public static final double HEAP_FETCH_WARN_SHARE = 0.1;

  public static final long HEAP_FETCH_WARN_MIN = 100;

  /** One node's exclusive share of the execution time. */
  public static final double TIME_INFO_SHARE = 0.1;

  public static final double TIME_MID_SHARE = 0.4;
  public static final double TIME_HIGH_SHARE = 0.9;

  /** Plans faster than this are not split into time shares: where 0.3 ms goes does not matter. */
  public static final double TIME_MIN_EXECUTION_MS = 1.0;

  /** JIT compile time above this share of the execution time. */
  public static final double JIT_MAX_SHARE = 0.1;

  private PlanRules() {}
}
