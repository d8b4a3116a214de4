package dev.critpath.report.writer;

import dev.critpath.report.model.CheckGroup;
import dev.critpath.report.model.CheckResult;
import dev.critpath.report.model.HttpFile;
import dev.critpath.report.model.HttpScenario;
import dev.critpath.report.model.Latency;
import dev.critpath.report.model.PlanView;
import dev.critpath.report.model.QueryView;
import dev.critpath.report.model.RealtimeScenario;
import dev.critpath.report.model.RunReader;
import dev.critpath.report.model.RunView;

/**
 * How long the measurement behind a check took, in seconds, from what run.json recorded: a query's
 * thresholds judge its JMH calls at one thread (samples times mean latency), its expectations the
 * captured plans (planning plus execution), an HTTP file's checks its scenarios (requests over
 * rate), a realtime scenario's its duration. Zero where the run records no time (RLS probes).
 */
final class CheckDurations {
  private static final double MS_PER_SECOND = 1000;

  private CheckDurations() {}

  /** The time of the measurement {@code check} (of {@code group}) judged. */
  static double seconds(RunView run, CheckGroup group, CheckResult check) {
    QueryView q = run.query(group.subject());
    if (q != null && group.suite().equals("critpath.query." + q.name())) {
      return judgesPlan(check) ? planSeconds(q.plan()) : benchSeconds(q);
    }
    return groupSeconds(run, group);
  }

  /** The time of every measurement the group's checks judged. */
  static double groupSeconds(RunView run, CheckGroup group) {
    QueryView q = run.query(group.subject());
    if (q != null && group.suite().equals("critpath.query." + q.name())) {
      return benchSeconds(q) + planSeconds(q.plan());
    }
    for (HttpFile f : run.http()) {
      if (group.subject().equals("http " + f.name())) {
        return f.scenarios().stream().mapToDouble(CheckDurations::scenarioSeconds).sum();
      }
    }
    for (RealtimeScenario s : run.realtime()) {
      if (group.subject().equals("realtime " + s.name()) && s.durationSeconds() != null) {
        return s.durationSeconds();
      }
    }
    return 0;
  }

  /** An expectation, or the check that the plan was captured at all. */
  private static boolean judgesPlan(CheckResult check) {
    return check.kind() == CheckResult.Kind.EXPECTATION
        || (check.kind() == CheckResult.Kind.RUN && check.name().equals(RunReader.PLAN_CAPTURED));
  }

  private static double benchSeconds(QueryView q) {
    Latency l = q.latency();
    if (l == null || l.samples() == null || l.mean() == null) {
      return 0;
    }
    return l.samples() * l.mean() / MS_PER_SECOND;
  }

  private static double planSeconds(PlanView p) {
    if (p == null) {
      return 0;
    }
    double ms =
        (p.planningMs() == null ? 0 : p.planningMs())
            + (p.executionMs() == null ? 0 : p.executionMs());
    return ms / MS_PER_SECOND;
  }

  private static double scenarioSeconds(HttpScenario s) {
    if (s.requests() == null || s.requestsPerSec() == null || s.requestsPerSec() <= 0) {
      return 0;
    }
    return s.requests() / s.requestsPerSec();
  }
}
