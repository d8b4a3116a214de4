package dev.critpath.realtime;

import dev.critpath.UserError;
import dev.critpath.db.Database;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.Section;
import dev.critpath.run.ThresholdCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The realtime stage: message delivery latency from send_message's commit to every subscriber, at
 * the database (LISTEN/NOTIFY) and at the client (Supabase Realtime over WebSocket), optionally
 * over an emulated mobile network, held against the seeds' per-platform targets. The database must
 * carry the reference schema; the run adds its own fixture rows and deletes them afterwards.
 */
public final class RealtimeBenchmark {
  private RealtimeBenchmark() {}

  /**
   * Runs the scenarios {@code settings} asks for. Errors a user can fix (relay cannot start, too
   * few connections for the listeners, bad URL) are {@link UserError}s; everything a subscriber
   * suffers during the run is counted in the result instead.
   */
  public static RealtimeReport run(Database db, RealtimeSettings settings, PrintWriter out) {
    return measure(db, settings, out, null);
  }

  /**
   * Runs the scenarios and writes their distributions to {@code runDir}'s {@code realtime.hlog}
   * (none when {@code runDir} is null); the report names it.
   */
  public static RealtimeReport run(
      Database db, RealtimeSettings settings, PrintWriter out, Path runDir) {
    if (runDir == null) {
      return measure(db, settings, out, null);
    }
    Path file = runDir.resolve(LatencyLog.fileName(Section.REALTIME));
    LatencyLog log = LatencyLog.create(file, Instant.now());
    try {
      RealtimeReport report = measure(db, settings, out, log);
      log.close();
      return report.withLatencyLog(file.getFileName().toString());
    } catch (RuntimeException e) {
      log.deleteIfEmpty();
      throw e;
    }
  }

  private static RealtimeReport measure(
      Database db, RealtimeSettings settings, PrintWriter out, LatencyLog log) {
    // Refused before the fixture is built: both levels hold one backend for the whole run.
    if (settings.level().listen()) {
      db.pooler().requireSession("LISTEN (realtime --level listen)");
    }
    if (settings.level().websocket()) {
      db.pooler().requireSession("the realtime relay (it follows changes on one connection)");
    }
    List<RealtimeScenarioResult> scenarios = new ArrayList<>();
    try (Fixture fixture = fixture(db, settings)) {
      if (settings.level().listen()) {
        scenarios.add(report(ListenScenario.run(db, fixture, settings, out, log), out));
      }
      if (settings.level().websocket()) {
        scenarios.add(report(WebSocketScenario.run(db, fixture, settings, out, log), out));
      }
    } catch (SQLException e) {
      throw new UserError(
          "realtime benchmark on " + db.spec().display() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("realtime benchmark interrupted");
    }
    return RealtimeReport.of(scenarios);
  }

  private static Fixture fixture(Database db, RealtimeSettings s) throws SQLException {
    try {
      return Fixture.create(db, s.subscribers(), s.conversations());
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        throw new UserError(
            "the database has no reference schema (messages table missing): run ./run.sh migrate",
            e);
      }
      throw e;
    }
  }

  /** One console line per scenario, the thresholds that failed under it. */
  private static RealtimeScenarioResult report(RealtimeScenarioResult r, PrintWriter out) {
    if (!r.measured()) {
      out.printf(
          "realtime %s: nothing measured, %d connection and %d join failures (%s)%n",
          r.level(),
          r.errors().connectFailures(),
          r.errors().joinFailures(),
          r.errors().firstError());
      return r;
    }
    out.printf(
        "realtime %s: delivery p50 %.1f ms, p95 %.1f ms, p99 %.1f ms over %d deliveries;"
            + " lost %d, duplicated %d; setup p95 %.1f ms; reconnects %d ok / %d failed"
            + " (max %.0f ms); errors %d; %s%n",
        r.level(),
        r.delivery().p50(),
        r.delivery().p95(),
        r.delivery().p99(),
        r.delivery().count(),
        r.messages().lost(),
        r.messages().duplicates(),
        r.subscriptionSetup().p95(),
        r.reconnects().succeeded(),
        r.reconnects().failed(),
        r.reconnects().reconnectAndCatchUp().max(),
        r.errors().total(),
        r.passed() ? "pass" : "FAIL");
    for (ThresholdCheck t : r.thresholds()) {
      if (!t.passed()) {
        out.printf(
            "  FAIL %s %s (actual %s; %s)%n",
            t.metric(),
            t.text(),
            t.observed() == null ? "none" : ListenScenario.fmt(t.observed()),
            t.source());
      }
    }
    if (r.errors().firstError() != null) {
      out.println("  first error: " + r.errors().firstError());
    }
    for (String note : r.notes()) {
      out.println("  note: " + note);
    }
    return r;
  }
}
