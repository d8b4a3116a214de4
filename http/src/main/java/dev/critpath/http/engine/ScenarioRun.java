package dev.critpath.http.engine;

import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.http.ScenarioResult;
import dev.critpath.http.metrics.ErrorKind;
import dev.critpath.http.metrics.ScenarioMetrics;
import dev.critpath.http.metrics.Series;
import dev.critpath.http.scenario.Check;
import dev.critpath.http.scenario.CustomMetric;
import dev.critpath.http.scenario.ScenarioSpec;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One scenario under way: VUs run iterations (the scenario's requests in order, then its think
 * time) as the executor decides, and every response is recorded. Subclasses decide when iterations
 * start: closed executors when a VU is free, arrival-rate executors on a schedule.
 */
abstract class ScenarioRun {
  /** An iteration starting later than this against its schedule counts as a late start. */
  static final long LATE_START_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private static final int BODY_SAMPLE_CHARS = 200;

  final ScenarioSpec spec;
  final ScenarioMetrics metrics;
  final HttpEngine engine;
  private final InetSocketAddress via;
  final ScheduledExecutorService timer;
  private final List<CompiledRequest> steps;
  private final DataSets data;
  private final Set<String> datasetsUsed;
  private final Consumer<String> warnings;
  private final Consumer<RuntimeException> fatal;
  private final List<Vu> vus = new ArrayList<>();
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();
  private final AtomicLong iterationNumbers = new AtomicLong();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final AtomicBoolean exhaustedWarned = new AtomicBoolean();
  final CompletableFuture<Void> done = new CompletableFuture<>();
  volatile boolean stopping;
  volatile boolean hardStopped;
  long startNanos;

  ScenarioRun(
      ScenarioSpec spec,
      ScenarioMetrics metrics,
      HttpEngine engine,
      InetSocketAddress via,
      ScheduledExecutorService timer,
      List<CompiledRequest> steps,
      DataSets data,
      Consumer<String> warnings,
      Consumer<RuntimeException> fatal) {
    this.spec = spec;
    this.metrics = metrics;
    this.engine = engine;
    this.via = via;
    this.timer = timer;
    this.steps = steps;
    this.data = data;
    this.warnings = warnings;
    this.fatal = fatal;
    Set<String> used = new LinkedHashSet<>();
    steps.forEach(s -> used.addAll(s.spec.datasets()));
    this.datasetsUsed = Set.copyOf(used);
  }

  /**
   * @param via where its VUs connect: the target, or the shaping proxy of the scenario's network
   */
  static ScenarioRun create(
      ScenarioSpec spec,
      ScenarioMetrics metrics,
      HttpEngine engine,
      InetSocketAddress via,
      ScheduledExecutorService timer,
      List<CompiledRequest> steps,
      DataSets data,
      Consumer<String> warnings,
      Consumer<RuntimeException> fatal) {
    return spec.executor().openModel
        ? new ArrivalRateScenarioRun(
            spec, metrics, engine, via, timer, steps, data, warnings, fatal)
        : new ClosedScenarioRun(spec, metrics, engine, via, timer, steps, data, warnings, fatal);
  }

  /** Starts the scenario now. */
  final void start() {
    if (done.isDone()) {
      return;
    }
    startNanos = System.nanoTime();
    metrics.started(startNanos);
    long planned = spec.plannedDuration().toNanos();
    after(planned, this::requestStop);
    after(planned + spec.gracefulStop().toNanos(), this::hardStop);
    begin();
  }

  abstract void begin();

  /** No new iterations; those under way may finish (within gracefulStop). */
  abstract void requestStop();

  final synchronized Vu newVu() {
    Vu vu = engine.newVu(via);
    vus.add(vu);
    metrics.allocatedVus.set(vus.size());
    return vu;
  }

  final synchronized List<Vu> allVus() {
    return List.copyOf(vus);
  }

  final void after(long nanos, Runnable task) {
    synchronized (timers) {
      timers.add(timer.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS));
    }
  }

  /** Interrupts every iteration still under way (gracefulStop ran out, or the run aborts). */
  final void hardStop() {
    if (finished.get()) {
      return;
    }
    stopping = true;
    hardStopped = true;
    for (Vu vu : allVus()) {
      vu.loop.execute(vu::interrupt);
    }
    finish();
  }

  final void finish() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    metrics.finished(System.nanoTime());
    synchronized (timers) {
      timers.forEach(t -> t.cancel(false));
    }
    for (Vu vu : allVus()) {
      vu.loop.execute(vu::close);
    }
    done.complete(null);
  }

  /**
   * Runs one iteration on {@code vu} (call on its loop), then {@code after} once it ended.
   *
   * @param intendedNanos when the schedule wanted it to start (open model), else now
   */
  final void runIteration(Vu vu, long intendedNanos, boolean openModel, Runnable after) {
    long started = System.nanoTime();
    if (openModel) {
      long lag = Math.max(0, started - intendedNanos);
      metrics.startLag(lag);
      if (lag > LATE_START_NANOS) {
        metrics.lateStarts.increment();
      }
    }
    Map<String, DataSets.Row> rows;
    try {
      rows = data.draw(datasetsUsed);
    } catch (DataSets.ExhaustedException e) {
      metrics.dropped.increment();
      if (exhaustedWarned.compareAndSet(false, true)) {
        warnings.accept(
            "scenario "
                + spec.name()
                + ": "
                + e.getMessage()
                + "; later iterations were dropped"
                + " (seed more rows or lower the iterations)");
      }
      after.run();
      return;
    }
    IterationContext ctx =
        new IterationContext(vu.id, iterationNumbers.getAndIncrement(), spec.name(), rows);
    step(vu, ctx, 0, intendedNanos, started, after);
  }

  private void step(
      Vu vu, IterationContext ctx, int i, long intendedNanos, long iterationStart, Runnable after) {
    if (i == steps.size()) {
      metrics.iterations.increment();
      metrics.iterationDuration(System.nanoTime() - iterationStart);
      long think = spec.thinkTime().nextNanos();
      if (think > 0 && !stopping) {
        vu.loop.schedule(after, think, TimeUnit.NANOSECONDS);
      } else {
        after.run();
      }
      return;
    }
    if (hardStopped) {
      metrics.interrupted.increment();
      after.run();
      return;
    }
    CompiledRequest request = steps.get(i);
    PreparedRequest prepared;
    try {
      prepared = request.prepare(ctx);
    } catch (UserError e) {
      fatal.accept(e);
      after.run();
      return;
    }
    long intended = i == 0 ? intendedNanos : System.nanoTime();
    vu.send(
        prepared,
        request.timeoutNanos,
        request.needsBody,
        response -> {
          if (response.interrupted) {
            metrics.interrupted.increment();
            after.run();
            return;
          }
          record(request, response, Math.min(intended, response.startNanos));
          step(vu, ctx, i + 1, intendedNanos, iterationStart, after);
        });
  }

  private void record(CompiledRequest request, Response r, long intendedNanos) {
    String name = request.spec.name();
    boolean cold = r.coldStart();
    if (cold) {
      metrics.coldStarts.increment();
    }
    ErrorKind transport = r.error;
    boolean failed = transport != null || !request.spec.expectedStatuses().contains(r.status);
    Series series =
        metrics.series(
            name,
            request.spec.method(),
            request.spec.tags(),
            transport != null ? 0 : r.status,
            transport,
            cold,
            failed);
    series.record(r.endNanos - intendedNanos, r.serviceNanos(), r.waitingNanos());
    if (r.connectNanos >= 0) {
      metrics.connecting(r.connectNanos);
    }
    if (failed) {
      ErrorKind kind = transport != null ? transport : ErrorKind.ofStatus(r.status);
      metrics.error(kind);
      if (metrics.wantsSample()) {
        metrics.sample(
            new ScenarioResult.ErrorSample(
                name,
                transport != null ? null : r.status,
                transport != null ? kind.key + ": " + Secrets.redact(r.errorMessage) : null,
                r.body == null ? null : Secrets.redact(r.bodyStart(BODY_SAMPLE_CHARS))));
      }
    }
    for (Check c : request.spec.checks()) {
      if (ResponseChecks.applies(c, r)) {
        metrics.check(name, c.name(), ResponseChecks.passes(c, r));
      }
    }
    for (CustomMetric m : request.spec.metrics()) {
      double[] v = r.isTransportError() ? null : ResponseChecks.sample(m, r);
      if (v != null) {
        metrics.custom(m.name(), name, v[0], v[1]);
      }
    }
  }
}
