package dev.critpath.bench;

import dev.critpath.UserError;
import dev.critpath.catalog.CatalogQuery;
import dev.critpath.catalog.ParameterSource;
import dev.critpath.catalog.Variant;
import dev.critpath.catalog.WriteMode;
import dev.critpath.dataset.DatasetSummary;
import dev.critpath.db.Database;
import dev.critpath.db.Pooler;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import org.openjdk.jmh.infra.Blackhole;

/** The per-path probe before JMH: every path runs once per variant, as the benchmark would. */
final class Preflight {
  /** Consumes the results of calls made outside JMH's measurement (probes). */
  static final Blackhole SINK =
      new Blackhole(
          "Today's password is swordfish. I understand instantiating Blackholes directly is"
              + " dangerous.");

  private final Database db;
  private final BenchSettings settings;
  private final DatasetSummary dataset;
  private final PrintWriter out;

  Preflight(Database db, BenchSettings settings, DatasetSummary dataset, PrintWriter out) {
    this.db = db;
    this.settings = settings;
    this.dataset = dataset;
    this.out = out;
  }

  /**
   * Runs every path once per variant, as the benchmark would, and learns its query id. A path that
   * fails here is reported with the reason and not measured.
   */
  void check(Collection<PathRun> runs) {
    for (PathRun r : runs) {
      if (r.skipped != null) {
        continue;
      }
      CatalogQuery q = r.path.entry();
      if (r.path.restoresCommits()) {
        r.skipped = cannotRestore();
        if (r.skipped != null) {
          out.printf("   %-28s skipped: %s%n", r.path.name(), r.skipped);
          continue;
        }
      }
      try (Connection c = db.connect()) {
        r.source = ParameterSource.prepare(q, c, dataset);
      } catch (UserError | SQLException e) {
        r.failure = "parameters: " + Failures.describe(e, db.statementTimeout());
        out.printf("   %-28s failed: %s%n", r.path.name(), r.failure);
        continue;
      }
      for (Variant v : r.variants) {
        try (Connection c = db.connect();
            Connection monitor = db.connect()) {
          // a committed path's probe is rolled back: it leaves nothing behind
          try (Caller caller =
              new Caller(
                  c, r.path.probe(), v, r.source.sampler(settings.seed()), db.pooler().mode())) {
            // Through a transaction pooler an autocommit statement's backend is free again before
            // the monitor looks, and may serve the monitor itself: hold it in a transaction.
            boolean hold = db.pooler().mode() == Pooler.Mode.TRANSACTION && c.getAutoCommit();
            if (hold) {
              c.setAutoCommit(false);
            }
            int pid = Pooler.backendPid(c);
            long id = caller.callAndIdentify(SINK, monitor, pid);
            if (hold) {
              c.commit();
              c.setAutoCommit(true);
            }
            if (id != 0) {
              r.queryIds.put(v, id);
            }
          }
          if (q.write() == WriteMode.CLEANUP) {
            try (Statement st = monitor.createStatement()) {
              st.execute(q.cleanupSql());
            }
          }
        } catch (SQLException | RuntimeException e) {
          String reason = Failures.describe(e, db.statementTimeout());
          r.variantFailure.put(v, reason);
          out.printf("   %-28s %-8s failed: %s%n", r.path.name(), v.id(), reason);
        }
      }
    }
  }

  /**
   * Why the committed rows of a write could not be put back on this connection (a transaction
   * pooler; setting {@code session_replication_role} needs a superuser), or null when they can.
   */
  private String cannotRestore() {
    if (db.pooler().mode() == Pooler.Mode.TRANSACTION) {
      return "not measured committed: the copies that put its rows back are temporary tables,"
          + " which a transaction pooler does not keep between transactions (use a direct or"
          + " session connection); the rolled-back measurement stands";
    }
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute(CommittedRows.QUIET_TRIGGERS);
      } finally {
        c.rollback();
      }
      return null;
    } catch (SQLException e) {
      return "not measured committed: putting its rows back needs session_replication_role,"
          + " which this role may not set ("
          + Failures.describe(e, db.statementTimeout())
          + "); the rolled-back measurement stands";
    }
  }
}
