package dev.critpath.realtime;

import dev.critpath.ExitCode;
import dev.critpath.db.Pooler;
import dev.critpath.run.Section;
import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;
import dev.critpath.sampler.PoolGauge;
import dev.critpath.sampler.SampledStage;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The realtime stage of the default suite: delivery measured as {@code settings} say, with the
 * server sampled, into the run's realtime section. Through a transaction pooler it is skipped;
 * where {@code relay} says the websocket relay cannot run, it measures at the LISTEN level only.
 */
public record RealtimeStage(RealtimeSettings settings, RelayCheck relay) implements Stage {
  public static final PoolGauge POOLS =
      PoolGauge.notVisible(
          "the realtime stage uses no connection pool: its sender and each listener keep a"
              + " connection of their own");

  /** Whether the server lets the relay decode the WAL (the doctor knows). */
  @FunctionalInterface
  public interface RelayCheck {
    boolean canRun(Connection c) throws SQLException;
  }

  @Override
  public String name() {
    return "realtime";
  }

  @Override
  public Outcome run(StageContext ctx) throws SQLException {
    if (ctx.db().pooler().mode() == Pooler.Mode.TRANSACTION) {
      // the run goes on without it: the gap is in run.json's notCaptured section
      return Outcome.ok("skipped: LISTEN and the relay need a session; " + Pooler.SESSION_FIX);
    }
    RealtimeSettings chosen = settings;
    if (!relayCanRun(ctx)) {
      // the run goes on with LISTEN: the doctor's wal_level or replication check put the gap into
      // run.json's notCaptured section
      ctx.out()
          .println("   websocket level skipped: see doctor (wal_level, replication privilege)");
      chosen = settings.withLevel(RealtimeSettings.Level.LISTEN);
    }
    RealtimeSettings measured = chosen;
    RealtimeReport report =
        SampledStage.run(
            "realtime",
            ctx.db(),
            POOLS,
            ctx.run(),
            s -> RealtimeBenchmark.run(ctx.db(), measured, ctx.out(), ctx.run().path()));
    ctx.run().put(Section.REALTIME, report);
    if (!report.measured()) {
      return new Outcome(ExitCode.ERROR, "nothing could be measured");
    }
    return report.passed()
        ? Outcome.ok(report.scenarios().size() + " scenarios within the seeds' targets")
        : Outcome.failed("a delivery target was missed");
  }

  private boolean relayCanRun(StageContext ctx) throws SQLException {
    try (Connection c = ctx.db().connect()) {
      return relay.canRun(c);
    }
  }
}
