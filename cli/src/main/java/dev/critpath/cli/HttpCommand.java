package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.UserError;
import dev.critpath.db.Database;
import dev.critpath.db.DatabaseTarget;
import dev.critpath.http.HttpResult;
import dev.critpath.http.HttpStage;
import dev.critpath.http.scenario.Durations;
import dev.critpath.run.Section;
import dev.critpath.sampler.SampledStage;
import dev.critpath.schema.Migrator;
import dev.critpath.seed.Profile;
import dev.critpath.seed.SeedOptions;
import dev.critpath.seed.Seeder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "http",
    mixinStandardHelpOptions = true,
    description = {
      "Load-test the Edge Functions with scenario files in k6's vocabulary (executors, stages,",
      "checks, thresholds). Each request is called once first (functional validation); then the",
      "scenarios run, latency corrected for coordinated omission under arrival-rate executors.",
      "",
      "Target: --base-url or SUPABASE_URL (with SUPABASE_ANON_KEY, and SUPABASE_JWT_SECRET or",
      "--jwt-pool for user tokens); otherwise the sample functions in supabase/functions, served",
      "by a local Deno process on the benchmark database (seeded with the tiny profile when",
      "critpath's own embedded database holds no dataset).",
      "",
      "SCENARIO: a scenario file, or a bundled one: edge-functions, message-send, voucher-redeem,",
      "rate-limit, uploads. None: all bundled ones. Writes results/<run-id>/run.json (section",
      "http). Exit 1 when a threshold or the validation failed, 2 when the run could not be set up."
    })
final class HttpCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin DatabaseOptions database;
  @Mixin ResultsOptions results;
  @Mixin SegmentOptions segment;
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "SCENARIO",
      description = "Scenario files or bundled names.")
  List<String> scenarios = List.of();

  @Option(
      names = "--base-url",
      paramLabel = "URL",
      description =
          "Where the functions are served (https://REF.supabase.co). Default: SUPABASE_URL.")
  String baseUrl;

  @Option(
      names = "--jwt-pool",
      paramLabel = "FILE",
      description =
          "User tokens from a JWT pool file (seed 000's formats: users[] or valid_tokens[] with"
              + " access_token or jwt) instead of minting them.")
  Path jwtPool;

  @Option(
      names = "--function-idle",
      paramLabel = "DURATION",
      defaultValue = "3s",
      description =
          "Local server: unload a function idle this long, so its next call is a cold start"
              + " (default: ${DEFAULT-VALUE}).")
  String functionIdle;

  @Option(
      names = "--functions",
      paramLabel = "DIR",
      description = "The supabase/ directory holding functions/ and server/ (default: found).")
  Path supabaseDir;

  @Option(
      names = "--network",
      paramLabel = "PROFILE",
      description =
          "Run every scenario over an emulated client link: slow-3g, fast-3g, 4g, 5g (seed 002's"
              + " table), custom:RTT_MS/DOWN_KBPS/UP_KBPS, or none (direct). Overrides the files'"
              + " network: keys. Default: as the files say.")
  String network;

  @Mixin StartAtOptions startAt;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, String> env = System.getenv();
    HttpStage.Options options = new HttpStage.Options();
    options.scenarios = scenarios;
    options.baseUrl = baseUrl;
    options.jwtPool = jwtPool;
    options.supabaseDir = supabaseDir;
    options.network = network;
    options.env = env;
    options.segment = segment.segment();
    options.startAt = startAt.time();
    try {
      options.functionIdle = Durations.parse(functionIdle);
    } catch (IllegalArgumentException e) {
      throw new UserError("--function-idle: " + e.getMessage());
    }
    HttpStage.load(options); // a malformed file or profile fails before any server starts
    boolean remote =
        baseUrl != null || (env.get("SUPABASE_URL") != null && !env.get("SUPABASE_URL").isBlank());
    DatabaseTarget target = database.target();
    RunSession.checkWritable(results);
    try (Database db =
        remote && target instanceof DatabaseTarget.Embedded ? null : database.open()) {
      if (db != null) {
        out.println("http: database " + db.description());
        if (!remote) {
          prepareLocal(db, out);
        }
      }
      try (RunSession session = RunSession.start(results, "http")) {
        session.run().record().setSegment(options.segment);
        options.logDir = session.path();
        HttpResult result =
            session.measure(
                run ->
                    SampledStage.run(
                        "http",
                        db,
                        HttpStage.POOLS,
                        run,
                        s -> {
                          options.server = s;
                          return HttpStage.run(options, db, out);
                        }));
        session.run().put(Section.HTTP, result);
        session.finish(result.verdict());
        out.println("http: " + result.verdict() + ", results in " + session.path());
        return result.passed() ? ExitCode.OK.code : ExitCode.FAILED.code;
      }
    }
  }

  /** The local functions need the schema and rows to act on. */
  private void prepareLocal(Database db, PrintWriter out) {
    Migrator.migrate(db, null, database.allowUnmarked);
    if (db.isManaged() && Seeder.loaded(db).isEmpty()) {
      out.println("http: no dataset loaded: seeding the tiny profile");
      out.flush();
      Seeder.seed(db, SeedOptions.of(Profile.TINY));
    }
  }
}
