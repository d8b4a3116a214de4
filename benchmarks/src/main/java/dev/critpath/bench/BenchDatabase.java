package dev.critpath.bench;

import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.catalog.DatasetSummaries;
import dev.critpath.dataset.DatasetSummary;
import dev.critpath.db.Database;
import dev.critpath.db.Pooler;
import dev.critpath.schema.DatabaseMarker;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database as the bench stage finds it: its dataset, pg_stat_statements, the marker that guards
 * write paths, and a vacuum before each measurement.
 */
final class BenchDatabase {
  private final Database db;
  private final BenchSettings settings;
  private final PrintWriter out;
  DatasetSummary dataset;
  String pgStatSchema;

  /** Why server-side statistics are not collected; null when they are. */
  String noServerStats;

  private boolean ownDatabase;

  BenchDatabase(Database db, BenchSettings settings, PrintWriter out) {
    this.db = db;
    this.settings = settings;
    this.out = out;
  }

  /** Dataset, pg_stat_statements, and the marker check that guards write paths. */
  void inspect(List<BenchPath> paths) {
    try (Connection c = db.connect()) {
      dataset = DatasetSummaries.read(c).orElse(null);
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid ="
                      + " e.extnamespace WHERE e.extname = 'pg_stat_statements'")) {
        pgStatSchema = rs.next() ? rs.getString(1) : null;
      }
      noServerStats = serverStatsMissing(c);
      List<String> writes =
          paths.stream()
              .filter(p -> p.entry().write().writes())
              .map(p -> p.entry().name()) // a write's two paths are one catalog query
              .distinct()
              .toList();
      DatabaseMarker.State marker = DatabaseMarker.read(c);
      ownDatabase = marker == DatabaseMarker.State.MARKED;
      if (!writes.isEmpty()
          && marker == DatabaseMarker.State.UNMARKED
          && !settings.allowUnmarked()) {
        throw new UserError(
            "refusing to benchmark writes ("
                + String.join(", ", writes)
                + ") on "
                + db.spec().display()
                + ": it holds tables but no critpath marker, so it may be somebody's real data."
                + " Use --only with read paths, or --allow-unmarked if you are sure");
      }
    } catch (SQLException e) {
      throw new UserError(
          "cannot inspect " + db.spec().display() + ": " + Secrets.redact(e.getMessage()), e);
    }
    if (dataset == null && ownDatabase) {
      // a seed that stopped half-way leaves rows but no summary: say so before measuring them
      out.println(
          "bench: warning: no complete dataset is loaded (critpath.marker.dataset_summary is"
              + " empty: no seed ran, or the last one did not finish); the numbers describe"
              + " whatever the tables hold (run ./run.sh seed for a known dataset)");
    }
    if (noServerStats != null) {
      pgStatSchema = null;
      out.println(
          "bench: server-side times are left out: " + noServerStats + " (see ./run.sh doctor)");
    }
  }

  /**
   * Why pg_stat_statements cannot give this run its server-side numbers, or null when it can: the
   * extension can be installed but not preloaded (every read fails), or readable but not for this
   * role's queries.
   */
  private String serverStatsMissing(Connection c) {
    if (pgStatSchema == null) {
      return "pg_stat_statements is not installed in this database";
    }
    try (Statement st = c.createStatement()) {
      st.executeQuery(
              "SELECT 1 FROM "
                  + PgStatProfiler.quote(pgStatSchema)
                  + ".pg_stat_statements(false) LIMIT 1")
          .close();
      return null;
    } catch (SQLException e) {
      String line = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      return "pg_stat_statements cannot be read (" + Secrets.redact(line.strip()) + ")";
    }
  }

  /**
   * Rolled-back writes (write paths, the explain and HTTP stages, earlier runs) leave dead tuples
   * and index entries that later reads step over until a vacuum: an A/A pair measured message_fetch
   * reading 28% more buffers per call in its second run, newest-first scans of the hot
   * conversations meeting the dead messages of send_message first. So every measurement starts from
   * a vacuumed database, on critpath's own databases only (on anyone else's, as it is). Every page
   * is read: a VACUUM that skips the all-visible pages re-estimates pg_class.reltuples from the
   * pages it did read, those the rolled-back rows left nearly empty, and the estimate sinks run
   * after run (messages at small: 120,000 rows estimated 35,798 after 22 kept-database runs, when
   * message_fetch's plan flipped to a bitmap scan reading 100x the buffers, an A/A "regression").
   */
  void vacuum() {
    if (!ownDatabase) {
      return;
    }
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      if (db.pooler().mode() != Pooler.Mode.TRANSACTION) {
        // through a transaction pooler the setting would outlive this connection on a shared
        // backend: VACUUM runs under the server's own statement_timeout there
        st.execute("SET statement_timeout = 0");
      }
      st.execute("VACUUM (DISABLE_PAGE_SKIPPING)");
    } catch (SQLException e) {
      out.println("bench: VACUUM failed, measuring as is: " + Secrets.redact(e.getMessage()));
    }
  }
}
