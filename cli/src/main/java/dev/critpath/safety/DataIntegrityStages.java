package dev.critpath.safety;

import dev.critpath.db.TableChecksums;
import dev.critpath.run.Section;
import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

/**
 * The suite's proof that it did no harm, as a pair of stages: {@link #snapshot} checksums every
 * table before the measuring stages, {@link #verify} after them; any changed table fails the run.
 */
public final class DataIntegrityStages {
  private static final List<String> CHECKED_SCHEMAS = List.of("public");

  private Map<String, TableChecksums.TableState> before;

  /** run.json's record of the before/after comparison. */
  record DataIntegrity(int tablesChecked, long rowsChecked, List<TableChecksums.Change> changed) {}

  /** Snapshots the data the measuring stages must leave as they found it. */
  public Stage snapshot() {
    return Stage.of(
        "snapshot",
        ctx -> {
          before = checksums(ctx);
          long rows = before.values().stream().mapToLong(TableChecksums.TableState::rows).sum();
          return Stage.Outcome.ok(before.size() + " tables, " + rows + " rows checksummed");
        });
  }

  /** Compares with the snapshot: any changed table is a failure of the whole run. */
  public Stage verify() {
    return Stage.of(
        "data unchanged",
        ctx -> {
          Map<String, TableChecksums.TableState> after = checksums(ctx);
          List<TableChecksums.Change> changes = TableChecksums.diff(before, after);
          long rows = after.values().stream().mapToLong(TableChecksums.TableState::rows).sum();
          ctx.run().put(Section.DATA_INTEGRITY, new DataIntegrity(after.size(), rows, changes));
          return changes.isEmpty()
              ? Stage.Outcome.ok(
                  after.size() + " tables, " + rows + " rows: count and checksum unchanged")
              : Stage.Outcome.failed(
                  changes.size()
                      + " table(s) changed: "
                      + changes.stream().map(TableChecksums.Change::table).toList());
        });
  }

  private static Map<String, TableChecksums.TableState> checksums(StageContext ctx)
      throws Exception {
    try (Connection c = ctx.db().connect()) {
      return TableChecksums.snapshot(c, CHECKED_SCHEMAS);
    }
  }
}
