package dev.critpath.inspect;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Index health of any database: reads the system catalogs, the cumulative statistics views and
 * pg_stats in read-only transactions, never resets a counter, never writes. Whatever cannot be read
 * (a revoked view, a lock) is reported as a problem and its rules as skipped; the rest still runs.
 */
public final class Inspector {
  /** How long a catalog read waits for a lock before falling back or giving up. */
  private static final String LOCK_TIMEOUT = "5s";

  /** Counters younger than this cannot tell "unused" from "used by a weekly job". */
  private static final Duration SHORT_WINDOW = Duration.ofDays(7);

  private static final long MIN_RELATION_PAGES = Checks.MIN_RELATION_BYTES / 8192;
  private static final int WORST_TABLES = 3;

  /**
   * What to inspect.
   *
   * @param schemas only these schemas (empty: every user schema)
   * @param baseline a snapshot from the start of a benchmark run, for the usage delta; or null
   */
  public record Options(List<String> schemas, StatsSnapshot baseline) {
    public static Options defaults() {
      return new Options(List.of(), null);
    }
  }

  private final Connection c;
  private final String[] schemas;
  private final List<String> problems = new ArrayList<>();
  private final List<CheckRun> checks = new ArrayList<>();
  private final List<Finding> findings = new ArrayList<>();

  /** Indexes the duplicate and redundant rules drop, and those they keep in their place. */
  private final Set<String> dropped = new HashSet<>();

  private final Map<String, String> kept = new HashMap<>();

  private Inspector(Connection c, Options options) {
    this.c = c;
    this.schemas = options.schemas().toArray(new String[0]);
  }

  /**
   * Inspects the database {@code c} is connected to. The connection must be outside a transaction
   * and is left in autocommit mode; nothing is written.
   */
  public static InspectResult inspect(Connection c, Options options) throws SQLException {
    return new Inspector(c, options).run(options.baseline());
  }

  private InspectResult run(StatsSnapshot baseline) throws SQLException {
    StatsSnapshot stats = StatsSnapshot.take(c);
    problems.addAll(stats.problems());
    boolean autoCommit = c.getAutoCommit();
    boolean readOnly = c.isReadOnly();
    c.setReadOnly(true);
    c.setAutoCommit(false);
    try {
      Sql.exec(c, "SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
      String database = Sql.value(c, "SELECT current_database()");
      String version = Sql.value(c, "SHOW server_version");
      String user = Sql.value(c, "SELECT current_user");
      String window = window(stats);
      Sql.Attempt<SchemaModel> model =
          Sql.attempt(c, "the system catalogs", () -> SchemaModel.read(c, schemas));
      List<InspectResult.IndexRow> rows = List.of();
      if (model.ok()) {
        structural(model.value());
        SchemaChecks.run(c, schemas, findings, checks);
        usage(model.value(), stats, window);
        estimates(model.value());
        rows = indexRows(model.value(), stats);
        resolveConflicts();
      } else {
        problems.add(model.problem());
        for (String check : Checks.all()) {
          checks.add(CheckRun.skipped(check, model.problem()));
        }
      }
      c.commit();
      findings.sort(
          Comparator.comparing(Finding::severity)
              .reversed()
              .thenComparing(f -> order(f.check()))
              .thenComparing(Finding::object));
      checks.sort(Comparator.comparing(cr -> order(cr.check())));
      StatsDelta delta = baseline == null ? null : StatsDelta.between(baseline, stats);
      return new InspectResult(
          database,
          version,
          user,
          stats.takenAt(),
          stats.statsReset(),
          window,
          List.copyOf(checks),
          List.copyOf(findings),
          rows,
          hitRatios(stats),
          delta,
          List.copyOf(problems));
    } finally {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      c.setAutoCommit(autoCommit);
      c.setReadOnly(readOnly);
    }
  }

  private void structural(SchemaModel model) {
    List<Finding> invalid = IndexRules.invalid(model);
    add(Checks.INVALID, invalid, "");
    List<Finding> duplicates = IndexRules.duplicates(model);
    add(Checks.DUPLICATE, duplicates, "");
    Set<String> dup = duplicates.stream().map(Finding::object).collect(Collectors.toSet());
    List<Finding> redundant = IndexRules.redundant(model, dup);
    add(Checks.REDUNDANT, redundant, "");
    add(Checks.FK_WITHOUT_INDEX, IndexRules.foreignKeysWithoutIndex(model), "");
    for (Finding f : duplicates) {
      dropped.add(f.object());
      kept.putIfAbsent((String) f.evidence().get("kept"), f.object());
    }
    for (Finding f : redundant) {
      dropped.add(f.object());
      kept.putIfAbsent((String) f.evidence().get("covered_by"), f.object());
    }
  }

  /**
   * One run's fixes must apply one after the other: an index that one rule drops gets no other
   * rule's fix (a REINDEX or a replacement after a DROP fails, or brings it back).
   */
  private void resolveConflicts() {
    Map<String, String> droppedBy = new HashMap<>();
    for (Finding f : findings) {
      if (f.fix().startsWith("DROP INDEX") || f.fix().contains(" DROP CONSTRAINT ")) {
        droppedBy.putIfAbsent(f.object(), f.check());
      }
    }
    findings.replaceAll(
        f -> {
          String by = droppedBy.get(f.object());
          if (by == null || by.equals(f.check()) || f.fix().isEmpty()) {
            return f;
          }
          return new Finding(
              f.check(),
              f.severity(),
              f.object(),
              f.table(),
              f.message() + " (no fix of its own: " + by + " drops it)",
              f.evidence(),
              "");
        });
  }

  private void usage(SchemaModel model, StatsSnapshot stats, String window) {
    if (stats.indexCountersReadable()) {
      boolean shortWindow =
          stats.statsReset() != null
              && Duration.between(stats.statsReset(), stats.takenAt()).compareTo(SHORT_WINDOW) < 0;
      String caution =
          shortWindow ? " (a short window: an index used only by weekly jobs looks unused)" : "";
      List<Finding> unused = IndexRules.unused(model, stats, window + caution, dropped, kept);
      add(Checks.UNUSED, only(unused, Checks.UNUSED), "");
      add(Checks.RARELY_USED, only(unused, Checks.RARELY_USED), "");
    } else {
      String why = problem(StatsSnapshot.INDEX_VIEW);
      checks.add(CheckRun.skipped(Checks.UNUSED, why));
      checks.add(CheckRun.skipped(Checks.RARELY_USED, why));
    }
    Set<Long> tables = model.indexes().stream().map(IndexDef::tableOid).collect(Collectors.toSet());
    tables.addAll(model.foreignKeys().stream().map(ForeignKey::tableOid).toList());
    Set<String> wanted = new HashSet<>(List.of(schemas));
    Set<Long> inScope =
        stats.tables().values().stream()
            .filter(t -> wanted.isEmpty() || wanted.contains(t.schema()))
            .map(StatsSnapshot.TableCounters::oid)
            .collect(Collectors.toSet());
    if (stats.tableCountersReadable()) {
      add(Checks.SEQ_SCAN_HEAVY, IndexRules.seqScanHeavy(stats, inScope, window), "");
    } else {
      checks.add(CheckRun.skipped(Checks.SEQ_SCAN_HEAVY, problem(StatsSnapshot.TABLE_VIEW)));
    }
    hitRatioCheck(stats, inScope, window);
  }

  /**
   * The table and index hit ratios over the tables in scope, leaving out tables whose counters
   * since the reset are a bulk load's ({@link StatsSnapshot.TableCounters#justLoaded}): a freshly
   * loaded database reads its pages from disk once, which says nothing about its cache.
   */
  private void hitRatioCheck(StatsSnapshot stats, Set<Long> inScope, String window) {
    if (!stats.tableBlocksReadable() || !stats.tableCountersReadable()) {
      checks.add(CheckRun.skipped(Checks.CACHE_HIT, problem(StatsSnapshot.TABLE_IO_VIEW)));
      checks.add(CheckRun.skipped(Checks.INDEX_HIT, problem(StatsSnapshot.TABLE_IO_VIEW)));
      return;
    }
    List<StatsSnapshot.TableCounters> judged = new ArrayList<>();
    int loaded = 0;
    for (StatsSnapshot.TableCounters t : stats.tables().values()) {
      if (inScope.contains(t.oid()) && t.heapBlocksHit() != null) {
        if (t.justLoaded()) {
          loaded++;
        } else {
          judged.add(t);
        }
      }
    }
    String left =
        loaded == 0
            ? ""
            : loaded
                + " table"
                + (loaded == 1 ? "" : "s")
                + " left out: loaded since the reset and scanned fewer than "
                + Checks.MIN_TRAFFIC_SCANS
                + " times (a bulk load)";
    long hit = judged.stream().mapToLong(StatsSnapshot.TableCounters::heapBlocksHit).sum();
    long read = judged.stream().mapToLong(StatsSnapshot.TableCounters::heapBlocksRead).sum();
    List<String> worst =
        judged.stream()
            .filter(t -> t.heapBlocksRead() > 0)
            .sorted(
                Comparator.comparingLong(StatsSnapshot.TableCounters::heapBlocksRead).reversed())
            .limit(WORST_TABLES)
            .map(t -> Sql.qualified(t.schema(), t.name()))
            .toList();
    addRatio(
        Checks.CACHE_HIT,
        IndexRules.hitRatio(Checks.CACHE_HIT, "table", hit, read, worst, window),
        hit + read,
        left);
    long indexHit = judged.stream().mapToLong(StatsSnapshot.TableCounters::indexBlocksHit).sum();
    long indexRead = judged.stream().mapToLong(StatsSnapshot.TableCounters::indexBlocksRead).sum();
    addRatio(
        Checks.INDEX_HIT,
        IndexRules.hitRatio(Checks.INDEX_HIT, "index", indexHit, indexRead, List.of(), window),
        indexHit + indexRead,
        left);
  }

  private void addRatio(String check, Finding finding, long blocks, String left) {
    List<String> notes = new ArrayList<>();
    if (!left.isEmpty()) {
      notes.add(left);
    }
    if (blocks < Checks.HIT_RATIO_MIN_BLOCKS) {
      notes.add("only " + blocks + " block reads so far: too few to judge");
    }
    add(check, finding == null ? List.of() : List.of(finding), String.join("; ", notes));
  }

  private void estimates(SchemaModel model) throws SQLException {
    Sql.Attempt<List<Estimates.Estimate>> tables =
        Sql.attempt(
            c, "pg_catalog.pg_stats", () -> Estimates.tables(c, schemas, MIN_RELATION_PAGES));
    bloat(Checks.TABLE_BLOAT, tables, "table");
    Sql.Attempt<List<Estimates.Estimate>> btrees =
        Sql.attempt(
            c, "pg_catalog.pg_stats", () -> Estimates.btrees(c, schemas, MIN_RELATION_PAGES));
    bloat(Checks.INDEX_BLOAT, btrees, "btree");
    Sql.Attempt<List<Estimates.NullShare>> nulls =
        Sql.attempt(
            c,
            "pg_catalog.pg_stats",
            () -> Estimates.nullShares(c, schemas, Checks.NULL_HEAVY_FRACTION));
    if (!nulls.ok()) {
      problems.add(nulls.problem());
      checks.add(CheckRun.skipped(Checks.NULL_HEAVY, nulls.problem()));
      return;
    }
    Map<Long, IndexDef> byOid = new HashMap<>();
    model.indexes().forEach(ix -> byOid.put(ix.oid(), ix));
    List<Finding> out = new ArrayList<>();
    for (Estimates.NullShare share : nulls.value()) {
      IndexDef ix = byOid.get(share.indexOid());
      Finding f = ix == null ? null : IndexRules.nullHeavy(model, ix, share);
      if (f != null) {
        out.add(f);
      }
    }
    add(Checks.NULL_HEAVY, out, "");
  }

  private void bloat(String check, Sql.Attempt<List<Estimates.Estimate>> estimates, String kind) {
    if (!estimates.ok()) {
      problems.add(estimates.problem());
      checks.add(CheckRun.skipped(check, estimates.problem()));
      return;
    }
    List<Finding> out = new ArrayList<>();
    int missing = 0;
    for (Estimates.Estimate e : estimates.value()) {
      if (!e.estimated()) {
        missing++;
      }
      Finding f = IndexRules.bloat(check, e, "estimate from pg_stats, " + kind);
      if (f != null) {
        out.add(f);
      }
    }
    String note =
        missing == 0
            ? ""
            : missing
                + " relation"
                + (missing == 1 ? "" : "s")
                + " over 1 MiB without visible statistics (never analyzed, or no SELECT"
                + " privilege): ANALYZE them";
    findings.addAll(out);
    checks.add(
        note.isEmpty()
            ? CheckRun.ran(check, out.size(), "")
            : CheckRun.partial(check, out.size(), note));
  }

  private List<InspectResult.IndexRow> indexRows(SchemaModel model, StatsSnapshot stats) {
    List<InspectResult.IndexRow> rows = new ArrayList<>();
    for (IndexDef ix : model.indexes()) {
      StatsSnapshot.IndexCounters ic = IndexRules.counters(stats, ix);
      rows.add(
          new InspectResult.IndexRow(
              ix.schema(),
              ix.table(),
              ix.name(),
              ix.method(),
              ix.unique(),
              ix.primary(),
              ix.valid(),
              ix.sizeBytes(),
              ic == null ? null : ic.scans(),
              ic == null ? null : ic.tuplesRead(),
              ic == null ? null : ic.lastScan(),
              ix.definition()));
    }
    rows.sort(
        Comparator.comparingLong(InspectResult.IndexRow::sizeBytes)
            .reversed()
            .thenComparing(InspectResult.IndexRow::index));
    return rows;
  }

  private static InspectResult.HitRatios hitRatios(StatsSnapshot stats) {
    if (!stats.tableBlocksReadable() && !stats.indexBlocksReadable()) {
      return null;
    }
    long th = 0;
    long tr = 0;
    for (StatsSnapshot.TableCounters t : stats.tables().values()) {
      if (t.heapBlocksHit() != null) {
        th += t.heapBlocksHit();
        tr += t.heapBlocksRead();
      }
    }
    long ih = 0;
    long ir = 0;
    for (StatsSnapshot.IndexCounters ic : stats.indexes().values()) {
      if (ic.blocksHit() != null) {
        ih += ic.blocksHit();
        ir += ic.blocksRead();
      }
    }
    return new InspectResult.HitRatios(
        th + tr == 0 ? null : th / (double) (th + tr),
        th + tr,
        ih + ir == 0 ? null : ih / (double) (ih + ir),
        ih + ir);
  }

  /** "since the statistics reset 3 days ago". */
  private static String window(StatsSnapshot stats) {
    if (stats.statsReset() == null) {
      return "since statistics collection began (never reset)";
    }
    Duration age = Duration.between(stats.statsReset(), stats.takenAt());
    return "since the statistics reset " + human(age) + " ago";
  }

  static String human(Duration d) {
    long minutes = d.toMinutes();
    if (minutes < 60) {
      return Math.max(0, minutes) + " min";
    }
    if (minutes < 48 * 60) {
      return minutes / 60 + " h";
    }
    return minutes / (24 * 60) + " days";
  }

  private void add(String check, List<Finding> found, String note) {
    findings.addAll(found);
    checks.add(CheckRun.ran(check, found.size(), note));
  }

  private String problem(String view) {
    return problems.stream().filter(p -> p.contains(view)).findFirst().orElse("not readable");
  }

  private static List<Finding> only(List<Finding> findings, String check) {
    return findings.stream().filter(f -> f.check().equals(check)).toList();
  }

  private static int order(String check) {
    int i = 0;
    for (String c : Checks.all()) {
      if (c.equals(check)) {
        return i;
      }
      i++;
    }
    return i;
  }
}
