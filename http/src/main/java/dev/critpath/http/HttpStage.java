package dev.critpath.http;

import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.db.Database;
import dev.critpath.http.auth.Credentials;
import dev.critpath.http.auth.JwtPool;
import dev.critpath.http.engine.FileRunner;
import dev.critpath.http.engine.HttpEngine;
import dev.critpath.http.engine.HttpTarget;
import dev.critpath.http.functions.FunctionsLayout;
import dev.critpath.http.functions.FunctionsPoolGauge;
import dev.critpath.http.functions.LocalFunctionsServer;
import dev.critpath.http.scenario.AuthSettings;
import dev.critpath.http.scenario.ScenarioFile;
import dev.critpath.http.scenario.ScenarioParser;
import dev.critpath.http.waba.WabaStandIn;
import dev.critpath.network.NetworkProfile;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.RunDirectory;
import dev.critpath.run.Section;
import dev.critpath.run.Segment;
import dev.critpath.sampler.PoolGauge;
import dev.critpath.sampler.ServerSampler;
import dev.critpath.supabase.TokenMinter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The HTTP stage: runs scenario files against the Edge Functions and returns the "http" section of
 * run.json. Against SUPABASE_URL (or {@code --base-url}) when given, with SUPABASE_ANON_KEY and
 * user tokens minted with SUPABASE_JWT_SECRET or read from a JWT pool; otherwise against the sample
 * functions in supabase/functions, served by a local Deno process started here (on a free port,
 * with the database URL and a fresh JWT secret) and stopped before this returns.
 */
public final class HttpStage {

  /** The scenario files bundled in scenarios/, in the order the default suite runs them. */
  public static final List<String> BUNDLED =
      List.of(
          "edge-functions",
          "message-send",
          "voucher-redeem",
          "rate-limit",
          "uploads",
          "voucher-issuance",
          "voucher-preview-spike",
          "station-redeem-peak",
          "campaign-dispatch");

  /**
   * Bundled scenarios that run only when named: the seeds' full durations of the short forms in
   * {@link #BUNDLED} (minutes each), and seed 001's volumes at full size (several client machines:
   * run them segmented).
   */
  public static final List<String> FULL =
      List.of(
          "voucher-preview-spike-full",
          "station-redeem-peak-full",
          "campaign-dispatch-full",
          "seed001-dashboard",
          "seed001-dashboard-open-10k",
          "seed001-message-send",
          "seed001-message-shapes");

  private static final String BUNDLED_RESOURCE = "/critpath/scenarios/";
  private static final String BUNDLED_SOURCE = "bundled:";
  private static final int LOCAL_SECRET_BYTES = 48;

  /** How to run. */
  public static final class Options {
    /** Scenario files (paths) or bundled names; empty: every bundled scenario. */
    public List<String> scenarios = List.of();

    /** Where the functions are served; null: SUPABASE_URL, else the local server. */
    public String baseUrl;

    /** A JWT pool file in seed 000's formats, instead of minting tokens. */
    public Path jwtPool;

    /** How long a local function may idle before it is unloaded (cold start on its next call). */
    public Duration functionIdle = LocalFunctionsServer.DEFAULT_IDLE;

    /** The supabase/ directory holding functions/ and server/ (null: found automatically). */
    public Path supabaseDir;

    /** Where the local server's log goes (null: a temporary file). */
    public Path logDir;

    /**
     * A network profile name ({@link NetworkProfile#parse}) every scenario runs over, overriding
     * the files' {@code network:} keys; {@code none} runs them all direct. Null: as the files say.
     */
    public String network;

    public Map<String, String> env = System.getenv();

    /**
     * The sampler watching the server, which thresholds on server metrics read; null: the stage
     * samples the server itself while it runs.
     */
    public ServerSampler server;

    /**
     * The execution segment to run ({@code --segment i/N}): its share of every scenario's load and
     * its slice of the data sets and JWT pool. {@link Segment#WHOLE}: all of it.
     */
    public Segment segment = Segment.WHOLE;

    /**
     * When every file's load starts, after its functional validation ({@code --start-at}): the N
     * segments of a run started on several hosts send together. Null: at once.
     */
    public Instant startAt;
  }

  /**
   * Why pool_waiting is not visible under HTTP load on a deployed project: critpath's HTTP client
   * has no database pool, and the pools that serve the requests are the project's. (The local
   * functions' pools are counted, by {@link FunctionsPoolGauge}.)
   */
  private static final String POOL_NOT_VISIBLE =
      "the http engine holds no database pool (each virtual user keeps its own HTTP connection,"
          + " so none waits for one); a deployed project's pools (its functions' and Supavisor's)"
          + " queue requests where critpath cannot count them";

  /**
   * The pools the server sampler counts for an HTTP run: none it can see ({@link
   * #POOL_NOT_VISIBLE}).
   */
  public static final PoolGauge POOLS = PoolGauge.notVisible(POOL_NOT_VISIBLE);

  private HttpStage() {}

  /**
   * Runs the scenarios.
   *
   * @param db the benchmark database: the local functions use it and SQL data sets read it; may be
   *     null against a remote target whose scenarios read no SQL
   */
  public static HttpResult run(Options options, Database db, PrintWriter out) {
    if (options.server != null) {
      return runSampled(options, db, out);
    }
    try (ServerSampler server = ServerSampler.start("http", db, POOLS)) {
      options.server = server;
      return runSampled(options, db, out);
    } finally {
      options.server = null;
    }
  }

  private static HttpResult runSampled(Options options, Database db, PrintWriter out) {
    List<ScenarioFile> files = load(options);
    Instant started = Instant.now();
    if (options.logDir == null) {
      return run(options, files, db, out, started, null);
    }
    LatencyLog log =
        LatencyLog.create(options.logDir.resolve(LatencyLog.fileName(Section.HTTP)), started);
    try {
      HttpResult result = run(options, files, db, out, started, log);
      log.close();
      return result;
    } catch (RuntimeException e) {
      log.deleteIfEmpty();
      throw e;
    }
  }

  private static HttpResult run(
      Options options,
      List<ScenarioFile> files,
      Database db,
      PrintWriter out,
      Instant started,
      LatencyLog latencyLog) {
    String baseUrl =
        options.baseUrl != null ? options.baseUrl : blankToNull(options.env.get("SUPABASE_URL"));
    long t0 = System.nanoTime();
    List<FileResult> results = new ArrayList<>();
    if (baseUrl != null) {
      HttpTarget target = HttpTarget.parse(baseUrl);
      out.println("http: target " + target.url() + " (remote)");
      String secret = blankToNull(options.env.get("SUPABASE_JWT_SECRET"));
      try (HttpEngine engine = new HttpEngine(target)) {
        for (ScenarioFile f : files) {
          Credentials creds =
              new Credentials(
                  secret == null ? null : minter(secret, f.auth()),
                  pool(options, f),
                  blankToNull(options.env.get("SUPABASE_ANON_KEY")),
                  blankToNull(options.env.get("SUPABASE_SERVICE_ROLE_KEY")));
          results.add(runFile(f, engine, creds, db, null, options, out, latencyLog));
        }
      }
      return result("remote", target.url(), started, t0, results, latencyLog);
    }
    if (db == null) {
      throw new UserError(
          "the local functions need a database: pass --db-url, or set SUPABASE_URL to test a deployed project");
    }
    FunctionsLayout layout = FunctionsLayout.locate(options.supabaseDir, options.env, out);
    String secret = localSecret();
    Path log = logFile(options.logDir);
    out.println("http: starting the local functions server (" + layout.functionsDir() + ")");
    out.flush();
    try (WabaStandIn waba = startWaba();
        LocalFunctionsServer server =
            LocalFunctionsServer.start(
                layout,
                db.spec(),
                secret,
                options.functionIdle,
                log,
                Map.of("WABA_API_URL", waba.url()),
                null)) {
      HttpTarget target = HttpTarget.parse(server.baseUrl());
      options.server.watchPools(new FunctionsPoolGauge(server.baseUrl()));
      out.println(
          "http: functions at "
              + target.url()
              + "/functions/v1/ (idle unload after "
              + options.functionIdle.toMillis()
              + " ms, log "
              + log
              + ")");
      try (HttpEngine engine = new HttpEngine(target)) {
        for (ScenarioFile f : files) {
          TokenMinter minter = minter(secret, f.auth());
          Credentials creds =
              new Credentials(
                  minter, pool(options, f), minter.forRole("anon"), minter.forRole("service_role"));
          results.add(runFile(f, engine, creds, db, waba, options, out, latencyLog));
        }
      }
      return result("local", target.url(), started, t0, results, latencyLog);
    }
  }

  /**
   * The default suite's HTTP stage: every bundled scenario against the local functions, stored as
   * run.json's "http" section.
   */
  public static HttpResult runBundled(
      Database db, RunDirectory run, PrintWriter out, ServerSampler server) {
    Options options = new Options();
    options.server = server;
    options.logDir = run.path();
    options.baseUrl = null;
    options.env = localOnly(System.getenv());
    HttpResult result = run(options, db, out);
    run.put(Section.HTTP, result);
    return result;
  }

  private static Map<String, String> localOnly(Map<String, String> env) {
    Map<String, String> copy = new java.util.HashMap<>(env);
    copy.remove("SUPABASE_URL");
    return copy;
  }

  /** The WhatsApp Business API the local campaign dispatcher sends to. */
  private static WabaStandIn startWaba() {
    try {
      return WabaStandIn.start(WabaStandIn.LIMIT_PER_MINUTE);
    } catch (IOException e) {
      throw new UserError("cannot start the local WhatsApp API stand-in: " + e.getMessage(), e);
    }
  }

  private static FileResult runFile(
      ScenarioFile f,
      HttpEngine engine,
      Credentials creds,
      Database db,
      WabaStandIn waba,
      Options options,
      PrintWriter out,
      LatencyLog log) {
    Path base =
        f.source().startsWith("bundled:")
            ? Path.of("")
            : Path.of(f.source()).toAbsolutePath().getParent();
    return FileRunner.run(
        f,
        new FileRunner.Settings(
            engine,
            creds,
            db,
            base,
            out,
            waba,
            options.server,
            log,
            sha256(f.source()),
            options.segment,
            options.startAt));
  }

  /** The SHA-256 (hex) of a scenario file's text: a path, or {@code bundled:<name>.yaml}. */
  public static String sha256(String source) {
    byte[] text;
    if (source.startsWith(BUNDLED_SOURCE)) {
      String name = source.substring(BUNDLED_SOURCE.length()).replaceFirst("\\.yaml$", "");
      text = bundledText(name).getBytes(StandardCharsets.UTF_8);
    } else {
      try {
        text = Files.readAllBytes(Path.of(source));
      } catch (IOException e) {
        throw new UserError("cannot read the scenario file " + source + ": " + e.getMessage());
      }
    }
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses every scenario and the --jwt-pool file and applies {@link Options#network}, before
   * anything starts: a bad file or profile name fails fast.
   */
  public static List<ScenarioFile> load(Options options) {
    List<ScenarioFile> files = load(options.scenarios, options.env);
    if (options.jwtPool != null) {
      JwtPool.load(options.jwtPool); // a bad --jwt-pool fails here too, before any server
    }
    files = files.stream().map(f -> f.inSegment(options.segment)).toList();
    if (options.network == null) {
      return files;
    }
    NetworkProfile network = NetworkProfile.parse(options.network);
    return files.stream().map(f -> f.withNetwork(network)).toList();
  }

  private static boolean isBundled(String name) {
    return BUNDLED.contains(name) || FULL.contains(name);
  }

  /** Parses every scenario before anything starts, so a bad file fails fast. */
  public static List<ScenarioFile> load(List<String> names, Map<String, String> env) {
    ScenarioParser parser = new ScenarioParser(env);
    List<ScenarioFile> files = new ArrayList<>();
    for (String name : names.isEmpty() ? BUNDLED : names) {
      Path p = Path.of(name);
      if (Files.isRegularFile(p)) {
        files.add(parser.parse(p));
      } else if (isBundled(name.replaceFirst("\\.ya?ml$", ""))) {
        String bundled = name.replaceFirst("\\.ya?ml$", "");
        files.add(parser.parse(BUNDLED_SOURCE + bundled + ".yaml", bundled, bundledText(bundled)));
      } else {
        throw new UserError(
            "scenario "
                + name
                + " is neither a file nor a bundled scenario (bundled: "
                + String.join(", ", BUNDLED)
                + ", "
                + String.join(", ", FULL)
                + ")");
      }
    }
    return files;
  }

  /** The text of a bundled scenario file. */
  public static String bundledText(String name) {
    try (InputStream in = HttpStage.class.getResourceAsStream(BUNDLED_RESOURCE + name + ".yaml")) {
      if (in == null) {
        throw new IllegalStateException("bundled scenario " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TokenMinter minter(String secret, AuthSettings auth) {
    return new TokenMinter(secret, auth.role(), auth.audience(), auth.ttl());
  }

  private static JwtPool pool(Options options, ScenarioFile f) {
    if (options.jwtPool != null) {
      return JwtPool.load(options.jwtPool).slice(options.segment);
    }
    if (f.auth().pool() == null) {
      return null;
    }
    Path p = Path.of(f.auth().pool());
    if (!p.isAbsolute() && !f.source().startsWith("bundled:")) {
      p = Path.of(f.source()).toAbsolutePath().getParent().resolve(p);
    }
    return JwtPool.load(p).slice(options.segment);
  }

  private static String localSecret() {
    byte[] bytes = new byte[LOCAL_SECRET_BYTES];
    new SecureRandom().nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Secrets.register(secret);
    return secret;
  }

  private static Path logFile(Path dir) {
    try {
      if (dir == null) {
        return Files.createTempFile("critpath-functions-", ".log");
      }
      Files.createDirectories(dir);
      return dir.resolve("functions.log");
    } catch (IOException e) {
      throw new UserError("cannot create the functions log: " + e.getMessage());
    }
  }

  private static HttpResult result(
      String kind, String url, Instant started, long t0, List<FileResult> files, LatencyLog log) {
    boolean passed = files.stream().allMatch(f -> HttpResult.PASS.equals(f.verdict()));
    return new HttpResult(
        kind,
        url,
        started,
        Math.round((System.nanoTime() - t0) / 1e6) / 1000.0,
        List.copyOf(files),
        passed ? HttpResult.PASS : HttpResult.FAIL,
        log == null ? null : log.file().getFileName().toString());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
