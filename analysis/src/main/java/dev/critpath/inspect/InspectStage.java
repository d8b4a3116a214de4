package dev.critpath.inspect;

import dev.critpath.run.Section;
import dev.critpath.run.Stage;
import java.sql.Connection;
import java.util.List;

/**
 * Index health for the default suite, as a pair of stages: {@link #baseline} takes the usage
 * counters before the measuring stages, {@link #inspect} reports cumulative findings and which
 * indexes the run scanned and which large tables it read by seq scan. Findings inform; they do not
 * fail the suite.
 */
public final class InspectStage {
  private StatsSnapshot before;

  /** Index and table usage counters at the start of the measuring stages. */
  public Stage baseline() {
    return Stage.of(
        "stats baseline",
        ctx -> {
          try (Connection c = ctx.db().connect()) {
            before = StatsSnapshot.take(c);
          }
          return Stage.Outcome.ok("index and table counters recorded");
        });
  }

  /** The findings, with the deltas since {@link #baseline} when it ran. */
  public Stage inspect() {
    return Stage.of(
        "inspect",
        ctx -> {
          InspectResult r;
          try (Connection c = ctx.db().connect()) {
            r = Inspector.inspect(c, new Inspector.Options(List.of(), before));
          }
          ctx.run().put(Section.INSPECT, r);
          InspectPrinter.print(r, ctx.out(), false);
          return Stage.Outcome.ok(
              String.format(
                  "%d indexes, %d findings (%d warning or worse)%s",
                  r.indexes().size(),
                  r.findings().size(),
                  r.findings(Severity.WARN).size(),
                  r.problems().isEmpty() ? "" : ", " + r.problems().size() + " things unreadable"));
        });
  }
}
