package dev.critpath.cli;

import dev.critpath.catalog.QueryCatalog;
import dev.critpath.db.TableChecksums;
import dev.critpath.run.Section;
import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;
import dev.critpath.safety.ConcurrencyProbes;
import dev.critpath.safety.Invariant;
import dev.critpath.safety.RlsReport;
import dev.critpath.safety.RlsVerification;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

/**
 * The suite's proof that it did no harm and that the app keeps its promises: a checksum of every
 * table before the measuring stages and after them, the concurrency probes of the write paths, and
 * the tenant boundary of every read path.
 */
final class SafetyStages {
  private static final List<String> CHECKED_SCHEMAS = List.of("public");

  private Map<String, TableChecksums.TableState> before;

  /** Snapshots the data the measuring stages must leave as they found it. */
  Stage snapshot() {
    return new Stage() {
      @Override
      public String name() {
        return "snapshot";
      }

      @Override
      public Outcome run(StageContext ctx) throws Exception {
        try (Connection c = ctx.db().connect()) {
          before = TableChecksums.snapshot(c, CHECKED_SCHEMAS);
        }
        long rows = before.values().stream().mapToLong(TableChecksums.TableState::rows).sum();
        return Outcome.ok(before.size() + " tables, " + rows + " rows checksummed");
      }
    };
  }

  /** Races the write paths and checks exactly-once and no-loss promises. */
  Stage probes() {
    return new Stage() {
      @Override
      public String name() {
        return "invariants";
      }

      @Override
      public Outcome run(StageContext ctx) throws Exception {
        List<Invariant> invariants = ConcurrencyProbes.run(ctx.db());
        ctx.run().put(Section.INVARIANTS, invariants);
        long broken = invariants.stream().filter(i -> !i.held()).count();
        for (Invariant inv : invariants) {
          ctx.out()
              .printf("  %-4s %s: %s%n", inv.held() ? "OK" : "FAIL", inv.name(), inv.evidence());
        }
        return broken == 0
            ? Outcome.ok(invariants.size() + " invariants held")
            : Outcome.failed(broken + " of " + invariants.size() + " invariants broken");
      }
    };
  }

  /** Runs every read path as an outsider and as anon: rows of another tenant fail the run. */
  Stage rls() {
    return new Stage() {
      @Override
      public String name() {
        return "rls";
      }

      @Override
      public Outcome run(StageContext ctx) throws Exception {
        RlsReport report = RlsVerification.run(ctx.db(), QueryCatalog.builtin());
        ctx.run().put(Section.RLS, report);
        for (RlsReport.Query q : report.queries()) {
          ctx.out().printf("  %-12s %s: %s%n", q.status().id(), q.query(), evidence(q));
        }
        String summary =
            report.queries().size()
                + " read paths: "
                + report.passed()
                + " isolated, "
                + report.failed()
                + " leaked, "
                + report.inconclusive()
                + " inconclusive ("
                + report.skipped().size()
                + " not read paths)";
        return report.failed() == 0
            ? Outcome.ok(summary)
            : Outcome.failed(summary + "; leaked: " + String.join(", ", report.failedQueries()));
      }
    };
  }

  /** The line that says most: the first probe that failed, else the outsider's, else why not. */
  private static String evidence(RlsReport.Query q) {
    return q.probes().stream()
        .filter(p -> p.status() == RlsReport.Status.FAIL)
        .findFirst()
        .or(() -> q.probes().stream().findFirst())
        .map(p -> p.name() + ": " + p.evidence())
        .orElse(q.evidence());
  }

  /** Compares with the snapshot: any changed table is a failure of the whole run. */
  Stage verify() {
    return new Stage() {
      @Override
      public String name() {
        return "data unchanged";
      }

      @Override
      public Outcome run(StageContext ctx) throws Exception {
        Map<String, TableChecksums.TableState> after;
        try (Connection c = ctx.db().connect()) {
          after = TableChecksums.snapshot(c, CHECKED_SCHEMAS);
        }
        List<TableChecksums.Change> changes = TableChecksums.diff(before, after);
        long rows = after.values().stream().mapToLong(TableChecksums.TableState::rows).sum();
        ctx.run().put(Section.DATA_INTEGRITY, new DataIntegrity(after.size(), rows, changes));
        return changes.isEmpty()
            ? Outcome.ok(after.size() + " tables, " + rows + " rows: count and checksum unchanged")
            : Outcome.failed(
                changes.size()
                    + " table(s) changed: "
                    + changes.stream().map(TableChecksums.Change::table).toList());
      }
    };
  }

  /** run.json's record of the before/after comparison. */
  record DataIntegrity(int tablesChecked, long rowsChecked, List<TableChecksums.Change> changed) {}
}
