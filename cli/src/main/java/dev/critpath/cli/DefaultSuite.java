package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.db.Database;
import dev.critpath.doctor.Check;
import dev.critpath.doctor.Doctor;
import dev.critpath.run.RunDirectory;
import dev.critpath.schema.Migrator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a bare {@code ./run.sh} does: one database (embedded unless told otherwise) taken through
 * the pipeline in data-flow order, every stage's section saved into one run directory as it
 * finishes. The exit code is the worst stage's; a stage that breaks is recorded and the later
 * stages still run, so one broken query never hides the others' numbers.
 */
final class DefaultSuite {
  private final DatabaseOptions options;
  private final Path resultsRoot;
  private final PrintWriter out = new PrintWriter(System.out, true);

  DefaultSuite(DatabaseOptions options, Path resultsRoot) {
    this.options = options;
    this.resultsRoot = resultsRoot;
  }

  int run() {
    try (Database db = options.open()) {
      out.println("critpath: using " + db.description());
      RunDirectory run = RunDirectory.create(resultsRoot);
      Thread interrupted = new Thread(() -> markInterrupted(run), "critpath-run-interrupted");
      Runtime.getRuntime().addShutdownHook(interrupted);
      ExitCode exit = ExitCode.OK;
      List<StageError> errors = new ArrayList<>();
      SuiteContext ctx = new SuiteContext(db, run, out, options);
      for (Stage stage : stages()) {
        exit = exit.and(runStage(stage, ctx, errors));
        if (exit == ExitCode.ERROR && stage instanceof Prerequisite) {
          break; // nothing after it can be trusted
        }
      }
      if (!errors.isEmpty()) {
        run.put("stageErrors", errors);
      }
      run.record().finish(Instant.now(), true, verdict(exit));
      run.save();
      Runtime.getRuntime().removeShutdownHook(interrupted);
      out.println("critpath: " + verdict(exit) + ", results in " + run.path());
      return exit.code;
    }
  }

  private List<Stage> stages() {
    SafetyStages safety = new SafetyStages();
    return List.of(migrate(), doctor(), safety.snapshot(), safety.probes(), safety.verify());
  }

  private ExitCode runStage(Stage stage, SuiteContext ctx, List<StageError> errors) {
    out.println("== " + stage.name());
    long start = System.nanoTime();
    try {
      Stage.Outcome outcome = stage.run(ctx);
      out.printf("   %s (%.1f s)%n", outcome.summary(), (System.nanoTime() - start) / 1e9);
      return outcome.exitCode();
    } catch (UserError e) {
      errors.add(new StageError(stage.name(), Secrets.redact(e.getMessage())));
      out.println("   error: " + Secrets.redact(e.getMessage()));
      return ExitCode.ERROR;
    } catch (Exception e) {
      String message = Secrets.redact(String.valueOf(e));
      errors.add(new StageError(stage.name(), message));
      out.println("   error: " + message);
      return ExitCode.ERROR;
    }
  }

  private static String verdict(ExitCode exit) {
    return switch (exit) {
      case OK -> "pass";
      case FAILED -> "fail";
      case ERROR -> "error";
    };
  }

  private static void markInterrupted(RunDirectory run) {
    if (!run.record().isCompleted()) {
      run.record().finish(Instant.now(), false, "interrupted");
      run.save();
    }
  }

  /** A stage the rest of the suite cannot do without: when it errs, the suite stops. */
  private interface Prerequisite extends Stage {}

  /** run.json's record of a stage that broke. */
  record StageError(String stage, String message) {}

  private Stage migrate() {
    return new Prerequisite() {
      @Override
      public String name() {
        return "migrate";
      }

      @Override
      public Outcome run(SuiteContext ctx) {
        Migrator.Result r = Migrator.migrate(ctx.db(), null, options.allowUnmarked);
        return Outcome.ok("schema version " + r.version() + " (" + r.applied() + " applied)");
      }
    };
  }

  private Stage doctor() {
    return new Prerequisite() {
      @Override
      public String name() {
        return "doctor";
      }

      @Override
      public Outcome run(SuiteContext ctx) throws Exception {
        List<Check> checks;
        try (Connection c = ctx.db().connect()) {
          checks = Doctor.examine(c);
        }
        ctx.run().put("doctor", checks);
        List<Check> problems =
            checks.stream().filter(ch -> ch.status() != Check.Status.OK).toList();
        for (Check ch : problems) {
          out.printf("   %s %s: %s (fix: %s)%n", ch.status(), ch.name(), ch.detail(), ch.fix());
        }
        long fails = problems.stream().filter(ch -> ch.status() == Check.Status.FAIL).count();
        String summary =
            checks.size()
                + " checks, "
                + fails
                + " failed, "
                + (problems.size() - fails)
                + " warnings";
        return fails == 0 ? Outcome.ok(summary) : Outcome.failed(summary);
      }
    };
  }
}
