package dev.critpath.http.engine;

import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.db.Database;
import dev.critpath.http.FileResult;
import dev.critpath.http.HttpResult;
import dev.critpath.http.ScenarioResult;
import dev.critpath.http.ValidationResult;
import dev.critpath.http.auth.Credentials;
import dev.critpath.http.metrics.MetricsRegistry;
import dev.critpath.http.metrics.ScenarioMetrics;
import dev.critpath.http.metrics.SecondRow;
import dev.critpath.http.metrics.ServerThresholds;
import dev.critpath.http.scenario.Check;
import dev.critpath.http.scenario.Durations;
import dev.critpath.http.scenario.RequestSpec;
import dev.critpath.http.scenario.ScenarioFile;
import dev.critpath.http.scenario.ScenarioSpec;
import dev.critpath.http.scenario.Template;
import dev.critpath.http.scenario.Threshold;
import dev.critpath.http.scenario.WabaSpec;
import dev.critpath.http.waba.WabaCompliance;
import dev.critpath.http.waba.WabaStandIn;
import dev.critpath.network.ShapingProxy;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencySummary;
import dev.critpath.run.Segment;
import dev.critpath.run.StartAt;
import dev.critpath.run.ThresholdCheck;
import dev.critpath.sampler.ServerSampler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one scenario file: loads its data, calls each request once (functional validation, seed 000:
 * a failing endpoint stops the file before any load), then runs its scenarios at their start times,
 * reports progress, evaluates abortOnFail thresholds every 2 s and all of them at the end.
 */
public final class FileRunner {
  private static final long PROGRESS_EVERY_SECONDS = 5;
  private static final long ABORT_EVAL_SECONDS = 2;
  private static final int BODY_START_CHARS = 300;
  private static final long VALIDATION_GRACE_SECONDS = 5;

  /** The flushed sample lands just after the load's end: the window closes a moment later. */
  private static final long FLUSH_SLACK_NANOS = 1_000_000_000L;

  /**
   * What a file runs against.
   *
   * @param db the database SQL data sets read, or null
   * @param baseDir where relative paths in the file (data files) start
   * @param waba the WhatsApp stand-in the local functions send to, or null (remote target)
   * @param server the sampler watching the server, which server-metric thresholds read; null: they
   *     are not evaluated
   * @param log the latency log every second's histograms go to, or null (none kept)
   * @param sha256 the scenario file's text hashed, recorded so merge can tell segments apart
   * @param segment the execution segment this process runs: its slice of every data set
   * @param startAt when the load starts, after the functional validation (segments on several hosts
   *     start together), or null: at once
   */
  public record Settings(
      HttpEngine engine,
      Credentials credentials,
      Database db,
      Path baseDir,
      PrintWriter out,
      WabaStandIn waba,
      ServerSampler server,
      LatencyLog log,
      String sha256,
      Segment segment,
      Instant startAt) {}

  private final ScenarioFile file;
  private final Settings settings;
  private final List<String> warnings = new ArrayList<>();
  private final AtomicReference<String> abort = new AtomicReference<>();
  private final AtomicReference<RuntimeException> fatal = new AtomicReference<>();

  private FileRunner(ScenarioFile file, Settings settings) {
    this.file = file;
    this.settings = settings;
  }

  public static FileResult run(ScenarioFile file, Settings settings) {
    return new FileRunner(file, settings).run();
  }

  private FileResult run() {
    say("http: " + file.name() + (file.description().isEmpty() ? "" : " - " + file.description()));
    boolean sql = !file.setup().isEmpty() || !file.teardown().isEmpty();
    if (sql && settings.db() == null) {
      warn("no database given: setup and teardown SQL skipped, the scenario's writes stay");
    }
    if (file.waba() != null) {
      if (settings.waba() == null) {
        warn("no WhatsApp stand-in (remote target): channel compliance not measured");
      } else {
        settings.waba().reset();
      }
    }
    if (sql && !settings.segment().isWhole()) {
      warn(
          "segment "
              + settings.segment()
              + " runs the file's setup and teardown SQL itself: segments sharing one database"
              + " overlap them (docs/distributed.md, Segments)");
    }
    if (settings.db() != null) {
      executeSql(file.setup(), "setup");
    }
    try {
      return load();
    } finally {
      if (settings.db() != null) {
        executeSql(file.teardown(), "teardown");
      }
    }
  }

  /** Waits for {@code startAt}; one already past starts at once, with a warning. */
  private void awaitStart() {
    String late = StartAt.await(settings.startAt(), line -> say("http:   " + line));
    if (late != null) {
      warn(late);
    }
  }

  private void executeSql(List<String> statements, String what) {
    if (statements.isEmpty()) {
      return;
    }
    try (Connection c = settings.db().connect();
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    } catch (SQLException e) {
      throw new UserError(
          file.source()
              + ": "
              + what
              + " SQL failed: "
              + Secrets.redact(e.getMessage())
              + (what.equals("teardown")
                  ? " (the dataset may still hold the scenario's writes)"
                  : ""));
    }
    say(
        "http:   "
            + what
            + ": "
            + statements.size()
            + " SQL statement"
            + (statements.size() == 1 ? "" : "s")
            + " done");
  }

  private FileResult load() {
    DataSets data =
        DataSets.load(file.data().values(), settings.db(), settings.baseDir(), file.source())
            .slice(settings.segment(), file.source());
    Map<String, CompiledRequest> compiled = new LinkedHashMap<>();
    for (RequestSpec r : file.usedRequests()) {
      checkColumns(r, data);
      compiled.put(
          r.name(), new CompiledRequest(r, settings.engine().target(), settings.credentials()));
    }
    ValidationResult validation = validate(compiled, data);
    if (validation.passed()) {
      awaitStart();
    }
    if (!validation.passed()) {
      say("http: " + file.name() + ": functional validation failed, no load was run");
      return new FileResult(
          file.name(),
          file.source(),
          settings.sha256(),
          null,
          emptyToNull(file.description()),
          validation,
          List.of(),
          List.of(),
          "functional validation failed",
          warnings.isEmpty() ? null : List.copyOf(warnings),
          HttpResult.FAIL,
          null);
    }

    Instant startedAt = Instant.now();
    long t0 = System.nanoTime();
    MetricsRegistry registry = new MetricsRegistry(t0, file.customMetrics());
    if (settings.log() != null) {
      registry.logTo(settings.log(), file.name(), startedAt.toEpochMilli());
    }
    ScheduledExecutorService timer =
        Executors.newScheduledThreadPool(2, new DefaultThreadFactory("critpath-http-timer", true));
    List<ScenarioRun> runs = new ArrayList<>();
    Map<ScenarioRun, ScenarioMetrics> metricsOf = new LinkedHashMap<>();
    List<ShapingProxy> proxies = new ArrayList<>();
    try {
      for (ScenarioSpec spec : file.scenarios().values()) {
        ScenarioMetrics m = registry.add(spec.name(), spec.tags());
        List<CompiledRequest> steps = spec.exec().stream().map(compiled::get).toList();
        InetSocketAddress via = settings.engine().address();
        if (spec.network() != null) {
          // One proxy per scenario: its links (and the proxy's event loop) are the scenario's own.
          ShapingProxy proxy = settings.engine().shape(spec.network());
          proxies.add(proxy);
          via = proxy.address();
        }
        ScenarioRun run =
            ScenarioRun.create(
                spec, m, settings.engine(), via, timer, steps, data, this::warn, this::onFatal);
        runs.add(run);
        metricsOf.put(run, m);
        timer.schedule(run::start, spec.startTime().toNanos(), TimeUnit.NANOSECONDS);
        say(
            "http:   scenario "
                + spec.name()
                + ": "
                + spec.executor().k6Name
                + ", "
                + describe(spec)
                + (spec.segment().isWhole()
                    ? ""
                    : ", segment " + spec.segment() + " of the whole's plan")
                + (spec.network() == null ? "" : ", over " + spec.network())
                + (spec.startTime().isZero()
                    ? ""
                    : ", starts at " + Durations.format(spec.startTime())));
      }
      long[] ticks = {0};
      timer.scheduleAtFixedRate(
          () -> {
            registry.tick();
            ticks[0]++;
            if (ticks[0] % ABORT_EVAL_SECONDS == 0) {
              checkAbort(registry, t0, runs);
            }
            if (ticks[0] % PROGRESS_EVERY_SECONDS == 0) {
              progress(metricsOf, ticks[0]);
            }
          },
          1,
          1,
          TimeUnit.SECONDS);
      awaitAll(runs);
    } finally {
      timer.shutdownNow();
      proxies.forEach(ShapingProxy::close);
    }
    if (fatal.get() != null) {
      throw fatal.get();
    }
    registry.tick();
    long loadEnd = System.nanoTime();
    if (settings.server() != null) {
      settings.server().flush(); // the load's last second
    }
    List<ScenarioResult> scenarios = new ArrayList<>();
    for (ScenarioRun run : runs) {
      scenarios.add(registry.summarize(run.spec, metricsOf.get(run), config(run.spec)));
    }
    List<ThresholdCheck> thresholds =
        new ArrayList<>(
            registry.thresholds(
                file.thresholds().stream().filter(t -> !ServerThresholds.isServer(t)).toList()));
    thresholds.addAll(
        ServerThresholds.evaluate(
            file.thresholds().stream().filter(ServerThresholds::isServer).toList(),
            settings.server(),
            t0,
            loadEnd + FLUSH_SLACK_NANOS));
    WabaCompliance waba = null;
    if (file.waba() != null && settings.waba() != null) {
      waba = settings.waba().compliance();
      thresholds.addAll(wabaThresholds(file.waba(), waba));
    }
    // a scenario that sent nothing measured nothing: never a pass, whatever the thresholds say
    boolean silent = false;
    for (ScenarioResult s : scenarios) {
      if (s.requests() == 0) {
        silent = true;
        warn(
            "scenario "
                + s.name()
                + " sent no request (no virtual user started an iteration): nothing was measured;"
                + " check its executor, its vus and its duration");
      }
    }
    boolean passed =
        !silent
            && abort.get() == null
            && thresholds.stream().noneMatch(t -> Boolean.FALSE.equals(t.passed()));
    printSummary(scenarios, thresholds);
    if (abort.get() != null) {
      say("http: " + file.name() + ": aborted: " + abort.get());
    }
    return new FileResult(
        file.name(),
        file.source(),
        settings.sha256(),
        startedAt,
        emptyToNull(file.description()),
        validation,
        scenarios,
        thresholds,
        abort.get(),
        warnings.isEmpty() ? null : List.copyOf(warnings),
        passed ? HttpResult.PASS : HttpResult.FAIL,
        waba);
  }

  /**
   * The stand-in's log as thresholds, so every report shows them beside the file's own: the
   * compliance proof, the 429 share and the campaign's pace.
   */
  private static List<ThresholdCheck> wabaThresholds(WabaSpec spec, WabaCompliance w) {
    int most = w.channels().stream().mapToInt(WabaCompliance.Channel::maxInWindow).max().orElse(0);
    List<ThresholdCheck> out = new ArrayList<>();
    if (spec.minSent() > 0) {
      long sent = w.attempts() - w.refused();
      out.add(
          new ThresholdCheck(
              "waba_sent",
              ThresholdCheck.COUNT,
              ">=",
              spec.minSent(),
              ThresholdCheck.COUNT,
              "count>=" + spec.minSent(),
              (double) sent,
              sent >= spec.minSent(),
              null,
              "sends the stand-in accepted, of " + w.attempts() + " received"));
    }
    out.addAll(
        List.of(
            new ThresholdCheck(
                "waba_sends_per_channel_window",
                "max",
                "<=",
                w.limitPerWindow(),
                ThresholdCheck.COUNT,
                "max<=" + w.limitPerWindow() + " per " + w.windowSeconds() + "s",
                (double) most,
                w.compliant(),
                null,
                "the most sends any channel's stand-in received within "
                    + w.windowSeconds()
                    + " s, over "
                    + w.channels().size()
                    + " channel(s)"),
            new ThresholdCheck(
                "waba_refused_share",
                "rate",
                "<=",
                spec.maxRefusedShare(),
                ThresholdCheck.RATIO,
                "rate<=" + spec.maxRefusedShare(),
                w.refusedShare(),
                w.refusedShare() <= spec.maxRefusedShare(),
                null,
                w.refused() + " of " + w.attempts() + " sends answered 429"),
            new ThresholdCheck(
                "waba_sent_per_minute",
                "rate",
                ">=",
                spec.minPerMinute(),
                ThresholdCheck.PER_MINUTE,
                "rate>=" + spec.minPerMinute(),
                w.sentPerMinute(),
                w.sentPerMinute() >= spec.minPerMinute(),
                null,
                "accepted sends per minute, first to last request received")));
    return out;
  }

  private void awaitAll(List<ScenarioRun> runs) {
    CompletableFuture<Void> all =
        CompletableFuture.allOf(runs.stream().map(r -> r.done).toArray(CompletableFuture[]::new));
    try {
      all.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runs.forEach(ScenarioRun::hardStop);
      throw new UserError("interrupted");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private void checkAbort(MetricsRegistry registry, long t0, List<ScenarioRun> runs) {
    double elapsed = (System.nanoTime() - t0) / 1e9;
    for (Threshold t : file.thresholds()) {
      if (!t.abortOnFail() || elapsed < t.delayAbortEval().toNanos() / 1e9) {
        continue;
      }
      double v = value(registry, t, t0);
      if (!Double.isNaN(v)
          && !t.holds(v)
          && abort.compareAndSet(
              null,
              t.key()
                  + " "
                  + t.expression()
                  + " failed (observed "
                  + LatencySummary.round(v)
                  + ")")) {
        runs.forEach(ScenarioRun::hardStop);
      }
    }
  }

  /** A threshold's aggregate so far: the client's metrics, or the server samples since t0. */
  private double value(MetricsRegistry registry, Threshold t, long t0) {
    if (!ServerThresholds.isServer(t)) {
      return registry.evaluate(t);
    }
    if (ServerThresholds.hidden(t, settings.server()).isPresent()) {
      return Double.NaN;
    }
    return ServerThresholds.value(t, settings.server().window(t0, System.nanoTime()));
  }

  private void onFatal(RuntimeException e) {
    if (fatal.compareAndSet(null, e)) {
      abort.compareAndSet(null, Secrets.redact(e.getMessage()));
    }
  }

  private synchronized void warn(String message) {
    warnings.add(message);
    say("http: warning: " + message);
  }

  private void checkColumns(RequestSpec r, DataSets data) {
    List<Template> templates = new ArrayList<>();
    templates.add(r.path());
    templates.addAll(r.headers().values());
    if (r.user() != null) {
      templates.add(r.user());
    }
    if (r.body().text() != null) {
      templates.add(r.body().text());
    }
    if (r.body().json() != null) {
      templates.addAll(r.body().json().holes());
    }
    for (Template t : templates) {
      for (String[] col : t.columns()) {
        data.checkColumn(col[0], col[1], file.source() + ":" + r.line() + ": request " + r.name());
      }
    }
  }

  // ---- functional validation ----

  private ValidationResult validate(Map<String, CompiledRequest> compiled, DataSets data) {
    List<ValidationResult.Call> calls = new ArrayList<>();
    boolean passed = true;
    for (CompiledRequest request : compiled.values()) {
      ValidationResult.Call call = validateOne(request, data);
      calls.add(call);
      if (call.passed()) {
        say(
            String.format(
                "http:   ok    %-22s %s %s -> %d in %s%s",
                request.spec.name(),
                call.method(),
                call.path(),
                call.status(),
                ms(call.ms()),
                call.coldStart() ? " (cold start)" : ""));
      } else {
        passed = false;
        say(
            String.format(
                "http:   FAIL  %-22s %s %s -> %s",
                request.spec.name(),
                call.method(),
                call.path(),
                call.status() != null ? "status " + call.status() : call.error()));
        if (call.failedChecks() != null && !call.failedChecks().isEmpty()) {
          say("http:         failed checks: " + String.join("; ", call.failedChecks()));
        }
        if (call.bodyStart() != null && !call.bodyStart().isEmpty()) {
          say("http:         body: " + call.bodyStart());
        }
        break;
      }
    }
    return new ValidationResult(passed, List.copyOf(calls));
  }

  private ValidationResult.Call validateOne(CompiledRequest request, DataSets data) {
    RequestSpec spec = request.spec;
    IterationContext ctx;
    try {
      ctx = new IterationContext(0, 0, "validation", data.draw(spec.datasets()));
    } catch (DataSets.ExhaustedException e) {
      return new ValidationResult.Call(
          spec.name(),
          spec.method(),
          Secrets.redact(spec.path().raw()),
          null,
          0,
          false,
          false,
          null,
          e.getMessage(),
          null);
    }
    PreparedRequest prepared = request.prepare(ctx);
    String path = Secrets.redact(prepared.uri);
    // Validation checks answers, not speed: it goes direct, whatever the scenarios' network.
    Vu vu = settings.engine().newVu(settings.engine().address());
    CompletableFuture<Response> result = new CompletableFuture<>();
    vu.loop.execute(() -> vu.send(prepared, request.timeoutNanos, true, result::complete));
    Response r;
    try {
      r =
          result.get(
              request.timeoutNanos + TimeUnit.SECONDS.toNanos(VALIDATION_GRACE_SECONDS),
              TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted");
    } catch (ExecutionException | TimeoutException e) {
      r = new Response();
      r.error = dev.critpath.http.metrics.ErrorKind.TIMEOUT;
      r.errorMessage = "no answer";
    } finally {
      vu.loop.execute(vu::close);
    }
    double ms = LatencySummary.round((r.endNanos - r.startNanos) / 1e6);
    if (r.isTransportError()) {
      return new ValidationResult.Call(
          spec.name(),
          spec.method(),
          path,
          null,
          ms,
          false,
          false,
          null,
          r.error.key + ": " + Secrets.redact(r.errorMessage),
          null);
    }
    List<String> failed = new ArrayList<>();
    if (!spec.expectedStatuses().contains(r.status)) {
      failed.add(
          "status " + r.status + " is not among the expected " + spec.expectedStatuses().text());
    }
    for (Check c : spec.checks()) {
      if (ResponseChecks.applies(c, r) && !ResponseChecks.passes(c, r)) {
        failed.add(c.name());
      }
    }
    boolean ok = failed.isEmpty();
    return new ValidationResult.Call(
        spec.name(),
        spec.method(),
        path,
        r.status,
        ms,
        r.coldStart(),
        ok,
        ok ? null : List.copyOf(failed),
        null,
        ok ? null : Secrets.redact(r.bodyStart(BODY_START_CHARS)));
  }

  // ---- reporting ----

  private void progress(Map<ScenarioRun, ScenarioMetrics> metricsOf, long second) {
    for (ScenarioMetrics m : metricsOf.values()) {
      SecondRow row = m.lastRow();
      if (!m.isRunning() || row == null) {
        continue;
      }
      say(
          String.format(
              "http:   %4ds  %-18s vus %-4d %6d req/s  p50 %s  p95 %s  p99 %s  failed %d",
              second,
              m.name(),
              row.vus(),
              row.requests(),
              ms(row.p50()),
              ms(row.p95()),
              ms(row.p99()),
              row.failed()));
    }
  }

  private void printSummary(List<ScenarioResult> scenarios, List<ThresholdCheck> thresholds) {
    for (ScenarioResult s : scenarios) {
      LatencySummary l = s.latency();
      long passes = s.checks().stream().mapToLong(ScenarioResult.CheckResult::passes).sum();
      long total = passes + s.checks().stream().mapToLong(ScenarioResult.CheckResult::fails).sum();
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              "http:   %-18s %7d req (%.1f/s)  p50 %s  p95 %s  p99 %s  max %s  failed %.2f%%",
              s.name(),
              s.requests(),
              s.requestsPerSecond(),
              ms(l.p50()),
              ms(l.p95()),
              ms(l.p99()),
              ms(l.max()),
              s.failedRate() * 100));
      if (total > 0) {
        b.append(String.format("  checks %.1f%%", 100.0 * passes / total));
      }
      say(b.toString());
      if (s.startLag() != null) {
        say(
            String.format(
                "http:   %-18s service p99 %s  start lag p99 %s  late %d  dropped %d",
                "",
                ms(s.serviceTime().p99()),
                ms(s.startLag().p99()),
                s.lateStarts(),
                s.droppedIterations()));
      }
      if (s.coldWarm() != null) {
        say(
            String.format(
                "http:   %-18s cold starts %d: p50 %s, warm p50 %s",
                "",
                s.coldWarm().coldStarts(),
                ms(s.coldWarm().cold().p50()),
                ms(s.coldWarm().warm().p50())));
      }
      if (!s.errors().isEmpty()) {
        say("http:   " + String.format("%-18s", "") + " errors " + s.errors());
      }
    }
    for (ThresholdCheck t : thresholds) {
      say(
          String.format(
              "http:   %s %s %s: %s%s",
              t.passed() == null ? "n/a " : t.passed() ? "ok  " : "FAIL",
              t.metric(),
              t.text(),
              t.passed() == null ? t.note() : t.observed() == null ? "no data" : t.observed(),
              t.note() == null || t.passed() == null ? "" : " (" + t.note() + ")"));
    }
  }

  private static String describe(ScenarioSpec s) {
    switch (s.executor()) {
      case SHARED_ITERATIONS:
        return s.iterations() + " iterations shared by " + s.vus() + " VUs";
      case PER_VU_ITERATIONS:
        return s.vus() + " VUs x " + s.iterations() + " iterations";
      case CONSTANT_VUS:
        return s.vus() + " VUs for " + Durations.format(s.duration());
      case RAMPING_VUS:
        return s.stages().size() + " stages over " + Durations.format(s.plannedDuration());
      case CONSTANT_ARRIVAL_RATE:
        return fmtRate(s.rate(), s)
            + " for "
            + Durations.format(s.duration())
            + " (VUs "
            + s.preAllocatedVUs()
            + ".."
            + s.maxVUs()
            + ")";
      default:
        return s.stages().size()
            + " stages from "
            + fmtRate(s.startRate(), s)
            + " over "
            + Durations.format(s.plannedDuration());
    }
  }

  private static String fmtRate(double rate, ScenarioSpec s) {
    String r = rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    return r + "/" + Durations.format(s.timeUnit());
  }

  /** A scenario's settings as run.json's {@code config} shows them. */
  public static Map<String, Object> config(ScenarioSpec s) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("exec", s.exec());
    if (!s.segment().isWhole()) {
      // counts below are this segment's share; rates and stage targets are the whole's
      c.put("segment", s.segment().toString());
    }
    if (!s.startTime().isZero()) {
      c.put("startTime", Durations.format(s.startTime()));
    }
    if (!s.thinkTime().isNone()) {
      c.put(
          "thinkTime",
          Durations.format(s.thinkTime().min())
              + (s.thinkTime().min().equals(s.thinkTime().max())
                  ? ""
                  : ".." + Durations.format(s.thinkTime().max())));
    }
    switch (s.executor()) {
      case SHARED_ITERATIONS:
      case PER_VU_ITERATIONS:
        c.put("vus", s.vus());
        c.put("iterations", s.iterations());
        break;
      case CONSTANT_VUS:
        c.put("vus", s.vus());
        c.put("duration", Durations.format(s.duration()));
        break;
      case RAMPING_VUS:
        c.put("startVUs", s.startVUs());
        c.put(
            "stages",
            s.stages().stream()
                .map(st -> Durations.format(st.duration()) + ":" + st.target())
                .toList());
        break;
      case CONSTANT_ARRIVAL_RATE:
        c.put("rate", s.rate());
        c.put("timeUnit", Durations.format(s.timeUnit()));
        c.put("duration", Durations.format(s.duration()));
        c.put("preAllocatedVUs", s.preAllocatedVUs());
        c.put("maxVUs", s.maxVUs());
        break;
      default:
        c.put("startRate", s.startRate());
        c.put("timeUnit", Durations.format(s.timeUnit()));
        c.put(
            "stages",
            s.stages().stream()
                .map(st -> Durations.format(st.duration()) + ":" + st.target())
                .toList());
        c.put("preAllocatedVUs", s.preAllocatedVUs());
        c.put("maxVUs", s.maxVUs());
    }
    return c;
  }

  private static String ms(Double v) {
    if (v == null) {
      return "-";
    }
    return v >= 100
        ? String.format("%.0fms", v)
        : v >= 10 ? String.format("%.1fms", v) : String.format("%.2fms", v);
  }

  private static String ms(double v) {
    return ms(Double.valueOf(v));
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private void say(String line) {
    PrintWriter out = settings.out();
    synchronized (out) {
      out.println(Secrets.redact(line));
      out.flush();
    }
  }
}
