package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.bench.BenchStage;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.db.Database;
import dev.critpath.doctor.Doctor;
import dev.critpath.doctor.DoctorStage;
import dev.critpath.environment.EnvironmentStage;
import dev.critpath.explain.ExplainRunner;
import dev.critpath.explain.ExplainStage;
import dev.critpath.http.BundledHttpStage;
import dev.critpath.inspect.InspectStage;
import dev.critpath.realtime.RealtimeStage;
import dev.critpath.report.ConsoleSummary;
import dev.critpath.report.Reports;
import dev.critpath.run.RunDirectory;
import dev.critpath.run.Section;
import dev.critpath.run.Stage;
import dev.critpath.run.StageContext;
import dev.critpath.safety.DataIntegrityStages;
import dev.critpath.safety.InvariantsStage;
import dev.critpath.safety.RlsStage;
import dev.critpath.schema.InDatabaseStage;
import dev.critpath.schema.MigrateStage;
import dev.critpath.seed.SeedOptions;
import dev.critpath.seed.SeedStage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
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
  private final SuiteSettings settings;
  private final ResultsOptions results;
  private final Gate gate;
  private final PrintWriter out = new PrintWriter(System.out, true);

  /**
   * What {@code ./run.sh ci} narrows the suite to: the stages a comparison reads (plans, counters,
   * JMH) on this schema and catalog.
   *
   * @param schemaDir Flyway migrations instead of the reference schema, or null
   * @param catalog the catalog explained (the bench settings name the same sources)
   * @param only only these paths, or empty for all
   */
  record Gate(Path schemaDir, QueryCatalog catalog, List<String> only) {}

  DefaultSuite(DatabaseOptions options, SuiteSettings settings, ResultsOptions results) {
    this(options, settings, results, null);
  }

  /**
   * @param gate null for the whole suite
   */
  DefaultSuite(DatabaseOptions options, SuiteSettings settings, ResultsOptions results, Gate gate) {
    this.options = options;
    this.settings = settings;
    this.results = results;
    this.gate = gate;
  }

  int run() {
    RunSession.checkWritable(results);
    try (Database db = options.open();
        RunSession session = RunSession.start(results, null)) {
      out.println(DatabaseOptions.using(db));
      RunDirectory run = session.run();
      ExitCode exit = ExitCode.OK;
      List<StageError> errors = new ArrayList<>();
      StageContext ctx = new StageContext(db, run, out);
      for (Stage stage : stages()) {
        exit = exit.and(runStage(stage, ctx, errors));
        if (exit == ExitCode.ERROR && stage.prerequisite()) {
          break; // nothing after it can be trusted
        }
      }
      if (!errors.isEmpty()) {
        run.put(Section.STAGE_ERRORS, errors);
      }
      run.record().finish(Instant.now(), true, RunSession.verdict(exit));
      Reports.Written written = Reports.writeAll(run);
      out.println();
      ConsoleSummary.print(written.run(), written.html(), out);
      out.println("critpath: " + RunSession.verdict(exit) + ", results in " + run.path());
      return exit.code;
    }
  }

  /**
   * The pipeline: prepare the database, load the dataset, snapshot what must not change, measure
   * (plans, JMH, HTTP, realtime), race the write paths, prove every read path's tenant boundary,
   * then check index health against the counters before the run and prove the data is as it was.
   */
  List<Stage> stages() {
    DataIntegrityStages data = new DataIntegrityStages();
    List<Stage> stages =
        new ArrayList<>(
            List.of(
                new MigrateStage(gate == null ? null : gate.schemaDir(), options.allowUnmarked),
                new DoctorStage(),
                new EnvironmentStage(),
                new SeedStage(
                    SeedOptions.of(settings.dataset()).withAllowUnmarked(options.allowUnmarked)),
                data.snapshot()));
    if (gate != null) {
      stages.addAll(
          List.of(
              explain(gate.catalog(), gate.only(), false),
              new BenchStage(settings.bench()),
              data.verify()));
      return stages;
    }
    InspectStage stats = new InspectStage();
    stages.addAll(
        List.of(
            stats.baseline(),
            explain(QueryCatalog.builtin(), List.of(), true),
            new BenchStage(settings.bench()),
            new InDatabaseStage(SuiteSettings.IN_DATABASE_CALLS),
            new BundledHttpStage(settings.httpTimeScale()),
            new RealtimeStage(settings.realtime(), Doctor::relayCanRun),
            new InvariantsStage(),
            new RlsStage(),
            stats.inspect(),
            data.verify()));
    return stages;
  }

  /**
   * The explain stage over {@code catalog} (only {@code only} when not empty); {@code whatIf} off
   * skips the hidden and candidate index analysis (the CI gate compares plans, it does not advise).
   */
  private Stage explain(QueryCatalog catalog, List<String> only, boolean whatIf) {
    return new ExplainStage(
        catalog,
        new ExplainRunner.Options(
            only,
            Duration.ofSeconds(options.statementTimeoutSeconds),
            ExplainRunner.DEFAULT_SEED,
            whatIf,
            options.allowUnmarked));
  }

  private ExitCode runStage(Stage stage, StageContext ctx, List<StageError> errors) {
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

  /** run.json's record of a stage that broke. */
  record StageError(String stage, String message) {}
}
