package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.UserError;
import dev.critpath.db.Database;
import dev.critpath.network.NetworkProfile;
import dev.critpath.realtime.RealtimeBenchmark;
import dev.critpath.realtime.RealtimeReport;
import dev.critpath.realtime.RealtimeSettings;
import dev.critpath.realtime.RealtimeStage;
import dev.critpath.realtime.RemoteRealtime;
import dev.critpath.realtime.Vsn;
import dev.critpath.run.Section;
import dev.critpath.run.Segment;
import dev.critpath.sampler.SampledStage;
import dev.critpath.schema.Migrator;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "realtime",
    mixinStandardHelpOptions = true,
    description = {
      "Realtime delivery latency from send_message's COMMIT to every subscriber:",
      "at the database (LISTEN/NOTIFY fan-out) and at the client (Supabase Realtime",
      "WebSocket subscribers, through the local relay or your project), while",
      "messages go out at a fixed rate. Reports percentiles, lost and duplicated",
      "messages, subscription setup and reconnect-and-catch-up times against the",
      "seeds' per-platform targets, optionally over an emulated mobile network.",
      "Writes results/<run-id>/run.json (section realtime).",
      "Exit 1 when a target failed, 2 when the run could not be set up or nobody",
      "could subscribe."
    })
final class RealtimeCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin DatabaseOptions database;
  @Mixin ResultsOptions results;
  @Mixin SegmentOptions segment;
  @Mixin StartAtOptions startAt;
  @Spec CommandSpec spec;

  @Option(
      names = "--subscribers",
      paramLabel = "N",
      defaultValue = "" + RealtimeSettings.DEFAULT_SUBSCRIBERS,
      description = "WebSocket subscribers, and LISTEN connections. Default: ${DEFAULT-VALUE}.")
  int subscribers;

  @Option(
      names = "--rate",
      paramLabel = "R",
      defaultValue = "50",
      description = "Messages sent per second, on a fixed schedule. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(
      names = "--duration",
      paramLabel = "S",
      defaultValue = "30",
      description = "Seconds of sending. Default: ${DEFAULT-VALUE}.")
  long durationSeconds;

  @Option(
      names = "--network",
      paramLabel = "PROFILE",
      defaultValue = "none",
      description =
          "Client link: slow-3g, fast-3g, 4g, 5g (seed 002's table), custom:RTT_MS/DOWN_KBPS/UP_KBPS"
              + " or none. Emulated by a shaping proxy; targets follow the platform."
              + " Default: ${DEFAULT-VALUE}.")
  String network;

  @Option(
      names = "--level",
      paramLabel = "LEVEL",
      defaultValue = "both",
      description = "listen (database), websocket (client) or both. Default: ${DEFAULT-VALUE}.")
  String level;

  @Option(
      names = "--conversations",
      paramLabel = "K",
      defaultValue = "1",
      description =
          "Spread subscribers over K conversations; each message goes to one in turn"
              + " (1: everyone gets everything). Default: ${DEFAULT-VALUE}.")
  int conversations;

  @Option(
      names = "--event",
      paramLabel = "KIND",
      defaultValue = "postgres_changes",
      description = "postgres_changes or broadcast. Default: ${DEFAULT-VALUE}.")
  String event;

  @Option(
      names = "--vsn",
      paramLabel = "VERSION",
      defaultValue = "2.0.0",
      description =
          "Realtime protocol the WebSocket subscribers speak: 2.0.0 (array frames, binary"
              + " broadcasts; realtime-js's default) or 1.0.0. Default: ${DEFAULT-VALUE}.")
  String vsnOption;

  @Option(
      names = "--reconnects",
      paramLabel = "K",
      description =
          "Subscribers cut off once mid-run, then reconnected and caught up."
              + " Default: a tenth of the subscribers, at most 20.")
  Integer reconnects;

  @Option(
      names = "--offline",
      paramLabel = "S",
      description =
          "Seconds a cut-off subscriber stays offline. Default: 5 (seed 002), at most half of"
              + " --duration.")
  Long offlineSeconds;

  @Option(
      names = "--drain",
      paramLabel = "S",
      defaultValue = "10",
      description =
          "Seconds to wait after the last send for deliveries still under way."
              + " Default: ${DEFAULT-VALUE}.")
  long drainSeconds;

  @Option(
      names = "--realtime-url",
      paramLabel = "URL",
      description =
          "A Supabase project (https://REF.supabase.co) or a realtime ws(s):// URL."
              + " Default: SUPABASE_URL; none starts the local relay (supabase/realtime).")
  String realtimeUrl;

  @Option(
      names = "--apikey",
      paramLabel = "KEY",
      description = "The project's anon key. Default: SUPABASE_ANON_KEY.")
  String apiKey;

  @Override
  public Integer call() throws Exception {
    Segment part = segment.segment();
    RealtimeSettings settings = settings(System.getenv()).inSegment(part);
    Instant start = startAt.time();
    PrintWriter out = spec.commandLine().getOut();
    RunSession.checkWritable(results);
    try (Database db = database.open()) {
      if (settings.remote() != null && db.isManaged()) {
        throw new UserError(
            "the realtime URL is a project, but the database is critpath's own: pass the"
                + " project's database with --db-url (or DATABASE_URL), or unset SUPABASE_URL"
                + " to use the local relay");
      }
      out.println(DatabaseOptions.using(db));
      Migrator.migrate(db, null, database.allowUnmarked);
      StartAtOptions.await(start, "realtime", out);
      try (RunSession session = RunSession.start(results, "realtime")) {
        session.run().record().setSegment(part);
        RealtimeReport report =
            session.measure(
                run ->
                    SampledStage.run(
                        "realtime",
                        db,
                        RealtimeStage.POOLS,
                        run,
                        s -> RealtimeBenchmark.run(db, settings, out, run.path())));
        session.run().put(Section.REALTIME, report);
        String verdict = !report.measured() ? "error" : report.passed() ? "pass" : "fail";
        session.finish(verdict);
        if (!report.measured()) {
          throw new UserError(
              "realtime: nobody could subscribe, nothing measured ("
                  + report.unmeasuredReason()
                  + "); check the URL, key and network, details in "
                  + session.path());
        }
        out.println("critpath: realtime " + verdict + ", results in " + session.path());
        return (report.passed() ? ExitCode.OK : ExitCode.FAILED).code;
      }
    }
  }

  RealtimeSettings settings(Map<String, String> env) {
    RealtimeSettings.Level lvl = parseEnum(RealtimeSettings.Level.class, level, "--level");
    RealtimeSettings.EventKind kind = parseEnum(RealtimeSettings.EventKind.class, event, "--event");
    Vsn vsn = Vsn.parse(vsnOption);
    NetworkProfile profile = NetworkProfile.parse(network);
    String url = realtimeUrl != null ? realtimeUrl : env.get("SUPABASE_URL");
    RemoteRealtime remote = null;
    if (url != null && !url.isBlank()) {
      String key = apiKey != null ? apiKey : env.get("SUPABASE_ANON_KEY");
      remote = RemoteRealtime.of(url, key, env.get("SUPABASE_JWT_SECRET"));
    }
    if (durationSeconds < 1 || drainSeconds < 1 || (offlineSeconds != null && offlineSeconds < 0)) {
      throw new UserError("--duration and --drain must be at least 1 s, --offline at least 0");
    }
    long offline =
        offlineSeconds != null
            ? offlineSeconds
            : Math.min(RealtimeSettings.DEFAULT_OFFLINE.toSeconds(), durationSeconds / 2);
    int cut =
        reconnects != null
            ? reconnects
            : lvl.equals(RealtimeSettings.Level.LISTEN) || offline == 0
                ? 0
                : RealtimeSettings.defaultReconnects(subscribers);
    return new RealtimeSettings(
        lvl,
        subscribers,
        rate,
        Duration.ofSeconds(durationSeconds),
        conversations,
        profile,
        kind,
        cut,
        Duration.ofSeconds(offline),
        Duration.ofSeconds(drainSeconds),
        remote,
        vsn);
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String text, String option) {
    try {
      return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      StringBuilder names = new StringBuilder();
      for (E c : type.getEnumConstants()) {
        names.append(names.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
      }
      throw new UserError(option + " must be one of " + names + ", got '" + text + "'");
    }
  }
}
