package dev.critpath.doctor;

import dev.critpath.run.NotCaptured;
import dev.critpath.run.Section;
import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;
import java.sql.Connection;
import java.util.List;

/**
 * The doctor stage of the default suite: the checks into the run's doctor section, and what they
 * say cannot be measured into its notCaptured section. A failed check fails the run; a doctor that
 * cannot look stops the suite.
 */
public final class DoctorStage implements Stage {
  @Override
  public String name() {
    return "doctor";
  }

  @Override
  public boolean prerequisite() {
    return true;
  }

  @Override
  public Outcome run(StageContext ctx) throws Exception {
    List<DoctorCheck> checks;
    try (Connection c = ctx.db().connect()) {
      checks = Doctor.examine(c);
    }
    ctx.run().put(Section.DOCTOR, checks);
    List<NotCaptured> lost = Doctor.notCaptured(checks, ctx.db().pooler());
    if (!lost.isEmpty()) {
      ctx.run().put(Section.NOT_CAPTURED, lost);
    }
    List<DoctorCheck> problems =
        checks.stream().filter(ch -> ch.status() != DoctorCheck.Status.OK).toList();
    for (DoctorCheck ch : problems) {
      ctx.out().printf("   %s %s: %s (fix: %s)%n", ch.status(), ch.name(), ch.detail(), ch.fix());
    }
    long fails = problems.stream().filter(ch -> ch.status() == DoctorCheck.Status.FAIL).count();
    String summary =
        checks.size() + " checks, " + fails + " failed, " + (problems.size() - fails) + " warnings";
    return fails == 0 ? Outcome.ok(summary) : Outcome.failed(summary);
  }
}
