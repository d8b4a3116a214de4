package dev.critpath.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** The structural and usage rules over a {@link SchemaModel} and a {@link StatsSnapshot}. */
final class IndexRules {
  /** indoption bits: DESC and NULLS FIRST. A backward scan flips both. */
  private static final long DIRECTION_BITS = 3;

  private IndexRules() {}

  static List<Finding> invalid(SchemaModel model) {
    List<Finding> out = new ArrayList<>();
    for (IndexDef ix : model.indexes()) {
      if (ix.valid()) {
        continue;
      }
      String why =
          ix.ready()
              ? "a CREATE INDEX CONCURRENTLY or REINDEX failed part-way"
              : "a CREATE INDEX CONCURRENTLY failed or is still running";
      out.add(
          new Finding(
              Checks.INVALID,
              Severity.CRITICAL,
              ix.qualifiedName(),
              ix.qualifiedTable(),
              "invalid index ("
                  + why
                  + "): queries never use it, yet every write still maintains it"
                  + (ix.unique()
                      ? "; a unique build fails again while duplicate rows remain: remove them,"
                          + " then REINDEX INDEX CONCURRENTLY "
                          + ix.qualifiedName()
                      : ""),
              evidence("size_bytes", ix.sizeBytes(), "ready", ix.ready()),
              ix.unique() ? "" : "REINDEX INDEX CONCURRENTLY " + ix.qualifiedName() + ";"));
    }
    return out;
  }

  /**
   * Exact duplicates: same table, method, columns (or expressions), operator classes, collations,
   * sort options and predicate. Of each group the index that enforces the most (primary key, then a
   * constraint, then uniqueness; then the oldest) is kept, the others are reported.
   */
  static List<Finding> duplicates(SchemaModel model) {
    List<Finding> out = new ArrayList<>();
    for (List<IndexDef> table : byTable(model).values()) {
      Set<Long> reported = new HashSet<>();
      for (IndexDef a : table) {
        if (reported.contains(a.oid())) {
          continue;
        }
        List<IndexDef> group = new ArrayList<>();
        group.add(a);
        for (IndexDef b : table) {
          if (b != a && !reported.contains(b.oid()) && exact(a, b)) {
            group.add(b);
          }
        }
        if (group.size() < 2) {
          continue;
        }
        group.sort(KEEP_FIRST);
        IndexDef keep = group.get(0);
        for (IndexDef dup : group.subList(1, group.size())) {
          reported.add(dup.oid());
          out.add(
              new Finding(
                  Checks.DUPLICATE,
                  Severity.WARN,
                  dup.qualifiedName(),
                  dup.qualifiedTable(),
                  "same definition as "
                      + keep.name()
                      + ("p".equals(keep.constraintType()) ? " (the primary key)" : "")
                      + ": "
                      + TextTable.bytes(dup.sizeBytes())
                      + " and a write overhead for nothing",
                  evidence(
                      "kept",
                      keep.qualifiedName(),
                      "definition",
                      dup.definition(),
                      "kept_definition",
                      keep.definition(),
                      "size_bytes",
                      dup.sizeBytes()),
                  IndexFixes.drop(dup)));
        }
      }
    }
    return out;
  }

  /**
   * Prefix-redundant btree indexes (PgHero's rule): another valid btree index on the same table
   * starts with the same key columns (same operator classes, collations and sort order, or all of
   * them reversed, since btree scans backwards), has the same predicate and covers its INCLUDE
   * columns. An index that enforces uniqueness or a constraint is never redundant.
   */
  static List<Finding> redundant(SchemaModel model, Set<String> alreadyDuplicate) {
    List<Finding> out = new ArrayList<>();
    for (List<IndexDef> table : byTable(model).values()) {
      for (IndexDef a : table) {
        if (a.enforces() || alreadyDuplicate.contains(a.qualifiedName())) {
          continue;
        }
        table.stream()
            .filter(b -> b != a && !exact(a, b) && covers(b, a))
            .filter(b -> !alreadyDuplicate.contains(b.qualifiedName()))
            .min(Comparator.comparingInt((IndexDef b) -> b.columns().size()))
            .ifPresent(
                b ->
                    out.add(
                        new Finding(
                            Checks.REDUNDANT,
                            Severity.WARN,
                            a.qualifiedName(),
                            a.qualifiedTable(),
                            "("
                                + String.join(", ", a.keyColumns())
                                + ") is a prefix of "
                                + b.name()
                                + " ("
                                + String.join(", ", b.keyColumns())
                                + "): "
                                + b.name()
                                + " serves the same lookups",
                            evidence(
                                "covered_by",
                                b.qualifiedName(),
                                "definition",
                                a.definition(),
                                "covering_definition",
                                b.definition(),
                                "size_bytes",
                                a.sizeBytes()),
                            IndexFixes.drop(a))));
      }
    }
    return out;
  }

  /** Foreign keys whose columns are not the leading columns (in any order) of a valid index. */
  static List<Finding> foreignKeysWithoutIndex(SchemaModel model) {
    Map<Long, List<IndexDef>> byTable =
        model.indexes().stream().collect(Collectors.groupingBy(IndexDef::tableOid));
    List<Finding> out = new ArrayList<>();
    for (ForeignKey fk : model.foreignKeys()) {
      boolean indexed =
          byTable.getOrDefault(fk.tableOid(), List.of()).stream().anyMatch(ix -> leads(ix, fk));
      if (indexed) {
        continue;
      }
      String cols = String.join(", ", fk.columns().stream().map(Sql::ident).toList());
      out.add(
          new Finding(
              Checks.FK_WITHOUT_INDEX,
              Severity.WARN,
              fk.qualifiedTable() + "." + fk.name(),
              fk.qualifiedTable(),
              "foreign key ("
                  + cols
                  + ") → "
                  + fk.referencedTable()
                  + " has no index starting with its columns: every delete or key update on "
                  + fk.referencedTable()
                  + " scans "
                  + fk.table()
                  + (fk.tableTuples() > 0
                      ? " (" + String.format("%,.0f", fk.tableTuples()) + " rows)"
                      : ""),
              evidence(
                  "constraint",
                  fk.name(),
                  "columns",
                  fk.columns(),
                  "references",
                  fk.referencedTable(),
                  "table_rows",
                  (long) Math.max(0, fk.tableTuples())),
              IndexFixes.create(
                  fk.schema(), fk.table(), cols, null, model.partitionsOf(fk.tableOid()))));
    }
    return out;
  }

  /**
   * pg-extras' unused rule on the cumulative counters: a non-enforcing index on a table of more
   * than {@value Checks#SMALL_TABLE_PAGES} pages with 0 scans (WARN) or fewer than {@value
   * Checks#RARELY_USED_SCANS} (INFO). An index that backs a foreign key lookup is INFO either way:
   * deletes on the referenced table need it even when no query reads it. A partitioned index counts
   * its partitions' scans. Indexes another rule already drops are left to it; an index another rule
   * keeps in place of the ones it drops gets no DROP, so that applying every fix of a run leaves
   * one copy.
   *
   * @param droppedElsewhere indexes the duplicate and redundant rules drop
   * @param keptElsewhere indexes those rules keep in their place (index → the dropped one)
   */
  static List<Finding> unused(
      SchemaModel model,
      StatsSnapshot stats,
      String window,
      Set<String> droppedElsewhere,
      Map<String, String> keptElsewhere) {
    List<Finding> out = new ArrayList<>();
    for (IndexDef ix : model.indexes()) {
      StatsSnapshot.IndexCounters counters = counters(stats, ix);
      if (counters == null
          || droppedElsewhere.contains(ix.qualifiedName())
          || !ix.valid()
          || ix.enforces()
          || ix.tablePages() <= Checks.SMALL_TABLE_PAGES
          || counters.scans() >= Checks.RARELY_USED_SCANS) {
        continue;
      }
      boolean never = counters.scans() == 0;
      String fk =
          model.foreignKeys().stream()
              .filter(f -> f.tableOid() == ix.tableOid() && leads(ix, f))
              .map(ForeignKey::name)
              .findFirst()
              .orElse(null);
      String replaces = keptElsewhere.get(ix.qualifiedName());
      // a table nobody has read since it was loaded cannot tell which of its indexes are needed
      StatsSnapshot.TableCounters table = stats.tables().get(ix.tableOid());
      boolean justLoaded = table != null && table.justLoaded();
      Severity severity = never && fk == null && !justLoaded ? Severity.WARN : Severity.INFO;
      out.add(
          new Finding(
              never ? Checks.UNUSED : Checks.RARELY_USED,
              severity,
              ix.qualifiedName(),
              ix.qualifiedTable(),
              counters.scans()
                  + " scan"
                  + (counters.scans() == 1 ? "" : "s")
                  + " "
                  + window
                  + ", "
                  + TextTable.bytes(ix.sizeBytes())
                  + (fk == null
                      ? ""
                      : "; backs foreign key " + fk + " (deletes on the referenced table use it)")
                  + (justLoaded
                      ? "; its table was loaded since the reset and has hardly been read (a bulk"
                          + " load): run the workload before judging"
                      : "")
                  + (replaces == null
                      ? ""
                      : "; it is kept in place of "
                          + replaces
                          + ", which another rule drops: decide on it after that")
                  + "; counters are per server: check replicas before dropping",
              evidence(
                  "scans",
                  counters.scans(),
                  "size_bytes",
                  ix.sizeBytes(),
                  "last_scan",
                  counters.lastScan(),
                  "backs_foreign_key",
                  fk,
                  "kept_in_place_of",
                  replaces),
              fk == null && replaces == null && !justLoaded ? IndexFixes.drop(ix) : ""));
    }
    return out;
  }

  /** An index's counters; a partitioned index's are the sums of its partitions' indexes. */
  static StatsSnapshot.IndexCounters counters(StatsSnapshot stats, IndexDef ix) {
    if (!ix.partitioned()) {
      return stats.indexes().get(ix.oid());
    }
    long scans = 0;
    long read = 0;
    long fetched = 0;
    java.time.Instant last = null;
    for (long leaf : ix.leaves()) {
      StatsSnapshot.IndexCounters c = stats.indexes().get(leaf);
      if (c == null) {
        return null;
      }
      scans += c.scans();
      read += c.tuplesRead();
      fetched += c.tuplesFetched();
      if (c.lastScan() != null && (last == null || c.lastScan().isAfter(last))) {
        last = c.lastScan();
      }
    }
    return new StatsSnapshot.IndexCounters(
        ix.oid(), ix.schema(), ix.table(), ix.name(), scans, read, fetched, last, null, null);
  }

  /**
   * Tables read mostly by seq scan: at least {@value Checks#SEQ_SCAN_MIN_LIVE_ROWS} live rows, at
   * least {@value Checks#SEQ_SCAN_MIN_SCANS} seq scans, and index scans below 95% of all scans
   * (PgHero's share, without its blind spot for tables that never use an index).
   */
  static List<Finding> seqScanHeavy(StatsSnapshot stats, Set<Long> tableOids, String window) {
    List<Finding> out = new ArrayList<>();
    for (StatsSnapshot.TableCounters t : stats.tables().values()) {
      if (!tableOids.contains(t.oid())
          || t.liveTuples() < Checks.SEQ_SCAN_MIN_LIVE_ROWS
          || t.seqScans() < Checks.SEQ_SCAN_MIN_SCANS) {
        continue;
      }
      double indexShare = t.indexScans() / (double) (t.indexScans() + t.seqScans());
      if (indexShare >= Checks.SEQ_SCAN_MIN_INDEX_SHARE) {
        continue;
      }
      long avgRows = t.seqTuplesRead() / t.seqScans();
      String name = Sql.qualified(t.schema(), t.name());
      out.add(
          new Finding(
              Checks.SEQ_SCAN_HEAVY,
              Severity.WARN,
              name,
              name,
              String.format(
                  "%,d seq scans read %,d rows each on average (%,d live rows); index scans are"
                      + " %s of reads %s",
                  t.seqScans(), avgRows, t.liveTuples(), TextTable.percent(indexShare), window),
              evidence(
                  "seq_scans",
                  t.seqScans(),
                  "seq_tuples_read",
                  t.seqTuplesRead(),
                  "index_scans",
                  t.indexScans(),
                  "live_rows",
                  t.liveTuples(),
                  "index_share",
                  indexShare),
              "find the queries (./run.sh explain, pg_stat_statements) and index their filters"));
    }
    return out;
  }

  /** The database-wide hit ratio of heap or index blocks; null when too few blocks were read. */
  static Finding hitRatio(
      String check, String what, long hit, long read, List<String> worstTables, String window) {
    long total = hit + read;
    if (total < Checks.HIT_RATIO_MIN_BLOCKS) {
      return null;
    }
    double ratio = hit / (double) total;
    if (ratio >= Checks.MIN_HIT_RATIO) {
      return null;
    }
    return new Finding(
        check,
        Severity.WARN,
        "database",
        "",
        what
            + " hit ratio "
            + TextTable.percent(ratio)
            + " (below 99%) over "
            + String.format("%,d", total)
            + " block reads "
            + window
            + (worstTables.isEmpty()
                ? ""
                : "; most reads from disk: " + String.join(", ", worstTables)),
        evidence("hit_ratio", ratio, "blocks_hit", hit, "blocks_read", read),
        "raise shared_buffers (or the instance's memory) or read less: the working set does not"
            + " fit in cache");
  }

  static Finding bloat(String check, Estimates.Estimate e, String kind) {
    if (!e.estimated()
        || e.wastedShare() < Checks.BLOAT_MIN_SHARE
        || e.wastedBytes() < Checks.BLOAT_MIN_BYTES) {
      return null;
    }
    String physical = Sql.qualified(e.schema(), e.name());
    String object = e.partitionOf() == null ? physical : e.partitionOf();
    boolean index = Checks.INDEX_BLOAT.equals(check);
    return new Finding(
        check,
        e.wastedShare() >= Checks.BLOAT_CRITICAL_SHARE ? Severity.CRITICAL : Severity.WARN,
        object,
        Sql.qualified(e.schema(), e.table()),
        String.format(
                "%s of %s (%s) is estimated to be free space",
                TextTable.bytes(e.wastedBytes()),
                TextTable.bytes(e.pages() * e.blockSize()),
                TextTable.percent(e.wastedShare()))
            + " ("
            + kind
            + (e.partitionOf() == null ? "" : ", in its partition index " + physical)
            + ")"
            + (index
                ? ""
                : "; VACUUM makes it reusable, pg_repack or VACUUM FULL (locks the table) gives"
                    + " it back"),
        evidence(
            "partition_index",
            e.partitionOf() == null ? null : physical,
            "pages",
            e.pages(),
            "expected_pages",
            e.expectedPages(),
            "wasted_bytes",
            e.wastedBytes(),
            "wasted_share",
            e.wastedShare()),
        (index ? "REINDEX INDEX CONCURRENTLY " : "VACUUM (ANALYZE) ") + physical + ";");
  }

  static Finding nullHeavy(SchemaModel model, IndexDef ix, Estimates.NullShare share) {
    if (ix.sizeBytes() < Checks.MIN_RELATION_BYTES) {
      return null;
    }
    String col = Sql.ident(share.column());
    return new Finding(
        Checks.NULL_HEAVY,
        Severity.WARN,
        ix.qualifiedName(),
        ix.qualifiedTable(),
        TextTable.percent(share.nullFraction())
            + " of "
            + col
            + " is NULL; a partial index leaves those rows out ("
            + TextTable.bytes(ix.sizeBytes())
            + " now), if no query looks for NULLs through it",
        evidence("null_fraction", share.nullFraction(), "size_bytes", ix.sizeBytes()),
        IndexFixes.create(
                ix.schema(),
                ix.table(),
                col,
                col + " IS NOT NULL",
                model.partitionsOf(ix.tableOid()))
            + "\n"
            + IndexFixes.drop(ix));
  }

  /** Whether {@code big} serves every lookup {@code small} serves (see {@link #redundant}). */
  static boolean covers(IndexDef big, IndexDef small) {
    if (!big.valid()
        || !"btree".equals(big.method())
        || !"btree".equals(small.method())
        || !Objects.equals(big.predicate(), small.predicate())
        || small.keyCount() > big.keyCount()) {
      return false;
    }
    int n = small.keyCount();
    if (!small.keyColumns().equals(big.keyColumns().subList(0, n))
        || !Arrays.equals(small.opclasses(), Arrays.copyOf(big.opclasses(), n))
        || !Arrays.equals(small.collations(), Arrays.copyOf(big.collations(), n))
        || !sameOrReversed(small.options(), big.options(), n)) {
      return false;
    }
    return new HashSet<>(big.columns()).containsAll(small.includeColumns());
  }

  static boolean exact(IndexDef a, IndexDef b) {
    return a.valid()
        && b.valid()
        && a.method().equals(b.method())
        && a.keyCount() == b.keyCount()
        && a.columns().equals(b.columns())
        && Arrays.equals(a.opclasses(), b.opclasses())
        && Arrays.equals(a.collations(), b.collations())
        && Arrays.equals(a.options(), b.options())
        && Objects.equals(a.predicate(), b.predicate());
  }

  /** Whether {@code ix} can find a foreign key's rows: its leading key columns are the FK's. */
  static boolean leads(IndexDef ix, ForeignKey fk) {
    int n = fk.attnums().length;
    if (!ix.valid()
        || ix.predicate() != null
        || ix.keyCount() < n
        || !("btree".equals(ix.method()) || ("hash".equals(ix.method()) && n == 1))) {
      return false;
    }
    long[] leading = Arrays.copyOf(ix.attnums(), n);
    long[] wanted = fk.attnums().clone();
    Arrays.sort(leading);
    Arrays.sort(wanted);
    return Arrays.equals(leading, wanted);
  }

  private static boolean sameOrReversed(long[] small, long[] big, int n) {
    boolean same = true;
    boolean reversed = true;
    for (int i = 0; i < n; i++) {
      same &= (small[i] & DIRECTION_BITS) == (big[i] & DIRECTION_BITS);
      reversed &= (small[i] & DIRECTION_BITS) == ((big[i] ^ DIRECTION_BITS) & DIRECTION_BITS);
    }
    return same || reversed;
  }

  /** Primary key first, then constraint-backing, then unique, then the oldest. */
  private static final Comparator<IndexDef> KEEP_FIRST =
      Comparator.comparing((IndexDef ix) -> !ix.primary())
          .thenComparing(ix -> !ix.backsConstraint())
          .thenComparing(ix -> !ix.unique())
          .thenComparingLong(IndexDef::oid);

  private static Map<Long, List<IndexDef>> byTable(SchemaModel model) {
    Map<Long, List<IndexDef>> out = new LinkedHashMap<>();
    for (IndexDef ix : model.indexes()) {
      if (ix.valid()) {
        out.computeIfAbsent(ix.tableOid(), k -> new ArrayList<>()).add(ix);
      }
    }
    return out;
  }

  /** An ordered evidence map; null values are left out. */
  static Map<String, Object> evidence(Object... kv) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        out.put((String) kv[i], kv[i + 1]);
      }
    }
    return out;
  }
}
