package dev.critpath.inspect;

import java.io.PrintWriter;
import java.util.List;

/** The console form of an {@link InspectResult}: short, worst first, the full list in run.json. */
public final class InspectPrinter {
  /** Findings printed before "... and N more". */
  public static final int MAX_FINDINGS = 50;

  /** Indexes listed (largest first). */
  public static final int MAX_INDEXES = 20;

  private InspectPrinter() {}

  /**
   * Prints the result.
   *
   * @param all also print INFO findings and every index
   */
  public static void print(InspectResult r, PrintWriter out, boolean all) {
    out.printf(
        "inspect: database %s on PostgreSQL %s as %s; counters %s%n",
        r.database(), r.serverVersion(), r.user(), r.statsWindow());
    for (String p : r.problems()) {
      out.println("  ! " + p);
    }
    TextTable checks = new TextTable("rule", "status", "found>", "note");
    for (CheckRun cr : r.checks()) {
      checks.row(
          cr.check(),
          cr.status(),
          cr.status() == CheckRun.Status.SKIPPED ? "-" : cr.findings(),
          cr.note());
    }
    out.println();
    checks.print(out, "  ");

    List<Finding> shown = all ? r.findings() : r.findings(Severity.WARN);
    long info = r.findings().size() - r.findings(Severity.WARN).size();
    out.println();
    out.printf(
        "findings: %d critical, %d warning, %d info%s%n",
        count(r, Severity.CRITICAL),
        count(r, Severity.WARN),
        info,
        !all && info > 0 ? " (--all lists the info ones)" : "");
    int n = 0;
    for (Finding f : shown) {
      if (n++ == MAX_FINDINGS) {
        out.printf(
            "  ... and %d more (all of them are in run.json)%n", shown.size() - MAX_FINDINGS);
        break;
      }
      out.printf("  %-8s %-22s %s%n", f.severity(), f.check(), f.object());
      out.printf("  %-8s %-22s %s%n", "", "", f.message());
      if (f.fix() != null && !f.fix().isEmpty()) {
        // one statement a line, aligned under the first
        out.printf(
            "  %-8s %-22s fix: %s%n",
            "", "", f.fix().replace("\n", "\n" + " ".repeat(2 + 8 + 1 + 22 + 1 + 5)));
      }
    }

    if (r.hitRatios() != null) {
      out.println();
      out.printf(
          "cache hit ratios: tables %s over %,d block reads, indexes %s over %,d%n",
          r.hitRatios().table() == null ? "n/a" : TextTable.percent(r.hitRatios().table()),
          r.hitRatios().tableBlocks(),
          r.hitRatios().index() == null ? "n/a" : TextTable.percent(r.hitRatios().index()),
          r.hitRatios().indexBlocks());
    }

    out.println();
    int limit = all ? Integer.MAX_VALUE : MAX_INDEXES;
    TextTable indexes = new TextTable("index", "table", "method", "size>", "scans>", "flags");
    for (InspectResult.IndexRow row : r.indexes().subList(0, Math.min(limit, r.indexes().size()))) {
      indexes.row(
          Sql.qualified(row.schema(), row.index()),
          row.table(),
          row.method(),
          TextTable.bytes(row.sizeBytes()),
          row.scans() == null ? "n/a" : String.format("%,d", row.scans()),
          flags(row));
    }
    out.printf(
        "indexes: %d%s%n",
        r.indexes().size(),
        r.indexes().size() > limit ? " (largest " + limit + " shown; --all for every one)" : "");
    if (indexes.size() > 0) {
      indexes.print(out, "  ");
    }

    if (r.window() != null) {
      printWindow(r.window(), out);
    }
    out.flush();
  }

  private static void printWindow(StatsDelta w, PrintWriter out) {
    out.println();
    if (!w.valid()) {
      out.printf("during the run: no usage delta: %s%n", w.note());
      return;
    }
    out.printf(
        "during the run (%.0f s): %d indexes scanned, %d not scanned once%n",
        w.seconds(), w.used().size(), w.unused().size());
    List<StatsDelta.TableUse> seq = w.seqScanned(Checks.SEQ_SCAN_MIN_LIVE_ROWS);
    for (StatsDelta.TableUse t : seq) {
      out.printf(
          "  seq scans on %s (%,d live rows): %,d, reading %,d rows%n",
          t.qualifiedName(), t.liveTuples(), t.seqScans(), t.seqTuplesRead());
    }
    if (w.note() != null) {
      out.println("  ! " + w.note());
    }
  }

  private static String flags(InspectResult.IndexRow row) {
    StringBuilder sb = new StringBuilder();
    if (row.primary()) {
      sb.append("primary ");
    } else if (row.unique()) {
      sb.append("unique ");
    }
    if (!row.valid()) {
      sb.append("INVALID ");
    }
    return sb.toString().trim();
  }

  private static long count(InspectResult r, Severity s) {
    return r.findings().stream().filter(f -> f.severity() == s).count();
  }
}
