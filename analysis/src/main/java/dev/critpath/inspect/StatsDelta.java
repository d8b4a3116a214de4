package dev.critpath.inspect;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What happened between two snapshots: which indexes were scanned and which tables were read by seq
 * scan during a benchmark run. When the statistics were reset in between, there is no delta ({@code
 * valid} false, {@code note} says why); a counter that went backwards on its own (a single-table
 * reset) gives null for that object instead of a wrong number.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatsDelta(
    Instant from,
    Instant to,
    double seconds,
    boolean valid,
    String note,
    List<IndexUse> indexes,
    List<TableUse> tables) {

  /** Scans of one index in the window; null when its counter was reset in the window. */
  public record IndexUse(String schema, String table, String index, Long scans, Long tuplesRead) {
    public String qualifiedName() {
      return Sql.qualified(schema, index);
    }
  }

  /** Reads of one table in the window. */
  public record TableUse(
      String schema,
      String table,
      Long seqScans,
      Long seqTuplesRead,
      Long indexScans,
      long liveTuples) {
    public String qualifiedName() {
      return Sql.qualified(schema, table);
    }
  }

  public static StatsDelta between(StatsSnapshot before, StatsSnapshot after) {
    double seconds = Duration.between(before.takenAt(), after.takenAt()).toMillis() / 1000.0;
    if (!Objects.equals(before.statsReset(), after.statsReset())) {
      return new StatsDelta(
          before.takenAt(),
          after.takenAt(),
          seconds,
          false,
          "statistics were reset at "
              + after.statsReset()
              + " during the window: no usage delta (critpath never resets them; someone else did)",
          List.of(),
          List.of());
    }
    List<String> notes = new ArrayList<>(after.problems());
    List<IndexUse> indexes = new ArrayList<>();
    for (StatsSnapshot.IndexCounters a : after.indexes().values()) {
      StatsSnapshot.IndexCounters b = before.indexes().get(a.oid());
      indexes.add(
          new IndexUse(
              a.schema(),
              a.table(),
              a.name(),
              diff(b == null ? 0 : b.scans(), a.scans()),
              diff(b == null ? 0 : b.tuplesRead(), a.tuplesRead())));
    }
    List<TableUse> tables = new ArrayList<>();
    for (StatsSnapshot.TableCounters a : after.tables().values()) {
      StatsSnapshot.TableCounters b = before.tables().get(a.oid());
      tables.add(
          new TableUse(
              a.schema(),
              a.name(),
              diff(b == null ? 0 : b.seqScans(), a.seqScans()),
              diff(b == null ? 0 : b.seqTuplesRead(), a.seqTuplesRead()),
              diff(b == null ? 0 : b.indexScans(), a.indexScans()),
              a.liveTuples()));
    }
    boolean valid = after.indexCountersReadable() && after.tableCountersReadable();
    return new StatsDelta(
        before.takenAt(),
        after.takenAt(),
        seconds,
        valid,
        notes.isEmpty() ? null : String.join("; ", notes),
        indexes,
        tables);
  }

  /** Indexes scanned at least once in the window. */
  public List<IndexUse> used() {
    return indexes.stream().filter(u -> u.scans() != null && u.scans() > 0).toList();
  }

  /** Indexes not scanned once in the window. */
  public List<IndexUse> unused() {
    return indexes.stream().filter(u -> u.scans() != null && u.scans() == 0).toList();
  }

  /** Tables read by seq scan in the window that hold at least {@code minLiveRows} rows. */
  public List<TableUse> seqScanned(long minLiveRows) {
    return tables.stream()
        .filter(t -> t.seqScans() != null && t.seqScans() > 0 && t.liveTuples() >= minLiveRows)
        .toList();
  }

  private static Long diff(long before, long after) {
    return after < before ? null : after - before;
  }
}
