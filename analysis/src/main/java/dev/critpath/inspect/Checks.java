package dev.critpath.inspect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The index-health rules, their names (stable: reports and CI key on them) and thresholds. The
 * thresholds follow the tools DBAs already trust (pg-extras, PgHero, pg-index-health) and are
 * listed in the README's "Plans and index health" section.
 */
public final class Checks {
  public static final String INVALID = "invalid-index";
  public static final String DUPLICATE = "duplicate-index";
  public static final String REDUNDANT = "redundant-index";
  public static final String FK_WITHOUT_INDEX = "fk-without-index";
  public static final String UNUSED = "unused-index";
  public static final String RARELY_USED = "rarely-used-index";
  public static final String SEQ_SCAN_HEAVY = "seq-scan-heavy-table";
  public static final String CACHE_HIT = "cache-hit-ratio";
  public static final String INDEX_HIT = "index-hit-ratio";
  public static final String TABLE_BLOAT = "table-bloat";
  public static final String INDEX_BLOAT = "index-bloat";
  public static final String NULL_HEAVY = "null-heavy-index";
  public static final String NO_PRIMARY_KEY = "table-without-primary-key";
  public static final String SEQUENCE_OVERFLOW = "sequence-near-overflow";
  public static final String FK_TYPE_MISMATCH = "fk-type-mismatch";
  public static final String JSON_COLUMN = "json-column";
  public static final String NOT_VALID = "not-valid-constraint";

  /** pg-extras: an index on a table of at most this many pages is never worth flagging. */
  public static final long SMALL_TABLE_PAGES = 5;

  /** pg-extras: fewer scans than this since the statistics reset is "rarely used". */
  public static final long RARELY_USED_SCANS = 50;

  /** PgHero: tables with fewer live rows are cheap to scan; seq scans on them are fine. */
  public static final long SEQ_SCAN_MIN_LIVE_ROWS = 10_000;

  /** pg-index-health asks for more than 100 scans in all; seq scans alone must reach this. */
  public static final long SEQ_SCAN_MIN_SCANS = 50;

  /** PgHero: a table whose reads are less than this share index scans is seq-scan heavy. */
  public static final double SEQ_SCAN_MIN_INDEX_SHARE = 0.95;

  /** PgHero's cache-hit threshold (pg-extras uses 98.5%). */
  public static final double MIN_HIT_RATIO = 0.99;

  /**
   * A table loaded since the reset and scanned fewer times than this has the counters of its load,
   * not of traffic: its indexes' usage and its hit ratio are not judged.
   */
  public static final long MIN_TRAFFIC_SCANS = 50;

  /** A hit ratio over fewer block reads than this says nothing. */
  public static final long HIT_RATIO_MIN_BLOCKS = 1_000;

  /** Bloat and NULL rules look only at relations at least this large (1 MiB). */
  public static final long MIN_RELATION_BYTES = 1L << 20;

  /** Estimated waste must be at least this share of the relation ... */
  public static final double BLOAT_MIN_SHARE = 0.30;

  /** ... and at least this many bytes. */
  public static final long BLOAT_MIN_BYTES = 1L << 20;

  /** Waste share from which bloat is CRITICAL. */
  public static final double BLOAT_CRITICAL_SHARE = 0.70;

  /** A single-column index whose column is NULL in at least this share of rows. */
  public static final double NULL_HEAVY_FRACTION = 0.50;

  /** pg-index-health (and PgHero): a sequence with at most this share of its values left. */
  public static final double SEQUENCE_MIN_REMAINING_PERCENT = 10;

  /** ... CRITICAL from this share. */
  public static final double SEQUENCE_CRITICAL_REMAINING_PERCENT = 1;

  private static final Map<String, String> TITLES = new LinkedHashMap<>();

  static {
    TITLES.put(INVALID, "invalid indexes (NOT indisvalid)");
    TITLES.put(DUPLICATE, "duplicate indexes (same columns, method, expressions, predicate)");
    TITLES.put(REDUNDANT, "redundant indexes (a prefix of another index)");
    TITLES.put(FK_WITHOUT_INDEX, "foreign keys whose columns lead no index");
    TITLES.put(UNUSED, "unused indexes (0 scans since the statistics reset)");
    TITLES.put(RARELY_USED, "rarely used indexes (< " + RARELY_USED_SCANS + " scans)");
    TITLES.put(SEQ_SCAN_HEAVY, "tables read mostly by seq scan");
    TITLES.put(CACHE_HIT, "table cache hit ratio (< 99%)");
    TITLES.put(INDEX_HIT, "index cache hit ratio (< 99%)");
    TITLES.put(TABLE_BLOAT, "table bloat (estimate)");
    TITLES.put(INDEX_BLOAT, "btree index bloat (estimate)");
    TITLES.put(NULL_HEAVY, "indexes mostly on NULLs");
    TITLES.put(NO_PRIMARY_KEY, "tables without a primary key");
    TITLES.put(
        SEQUENCE_OVERFLOW,
        "sequences with <= " + (int) SEQUENCE_MIN_REMAINING_PERCENT + "% of their values left");
    TITLES.put(FK_TYPE_MISMATCH, "foreign keys whose column types differ from the referenced");
    TITLES.put(JSON_COLUMN, "json columns (jsonb is usually meant)");
    TITLES.put(NOT_VALID, "constraints added NOT VALID and never validated");
  }

  private Checks() {}

  /** Every rule, in report order. */
  public static Iterable<String> all() {
    return TITLES.keySet();
  }

  public static String title(String check) {
    return TITLES.getOrDefault(check, check);
  }
}
