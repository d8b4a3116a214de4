package dev.critpath.http.engine;

import dev.critpath.http.metrics.ScenarioMetrics;
import dev.critpath.http.scenario.RampStage;
import dev.critpath.http.scenario.ScenarioSpec;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Closed-model executors: a fixed or ramping number of VUs, each starting its next iteration when
 * the previous one (and its think time) ended. shared-iterations, per-vu-iterations, constant-vus,
 * ramping-vus.
 */
final class ClosedScenarioRun extends ScenarioRun {
  private static final long RAMP_TICK_MILLIS = 20;

  private final AtomicLong remaining = new AtomicLong();
  private final AtomicInteger active = new AtomicInteger();
  private Vu[] vus;
  private AtomicBoolean[] running;
  private long[] rampDownSince;
  private volatile long target;
  private ScheduledFuture<?> ramp;

  ClosedScenarioRun(
      ScenarioSpec spec,
      ScenarioMetrics metrics,
      HttpEngine engine,
      InetSocketAddress via,
      ScheduledExecutorService timer,
      List<CompiledRequest> steps,
      DataSets data,
      Consumer<String> warnings,
      Consumer<RuntimeException> fatal) {
    super(spec, metrics, engine, via, timer, steps, data, warnings, fatal);
  }

  @Override
  void begin() {
    int n;
    switch (spec.executor()) {
      case RAMPING_VUS:
        n =
            (int)
                spec.segment()
                    .scale(
                        Math.max(
                            spec.startVUs(),
                            spec.stages().stream().mapToLong(RampStage::target).max().orElse(0)));
        break;
      default:
        n = (int) spec.vus();
    }
    remaining.set(spec.iterations());
    vus = new Vu[n];
    running = new AtomicBoolean[n];
    rampDownSince = new long[n];
    for (int i = 0; i < n; i++) {
      vus[i] = newVu();
      running[i] = new AtomicBoolean();
    }
    if (spec.executor() == dev.critpath.http.scenario.Executor.RAMPING_VUS) {
      target = spec.segment().scale(spec.startVUs());
      ramp = timer.scheduleAtFixedRate(this::rampTick, 0, RAMP_TICK_MILLIS, TimeUnit.MILLISECONDS);
      return;
    }
    target = n;
    // count them all active first, so one finishing at once cannot look like the end
    active.addAndGet(n);
    metrics.activeVus.set(n);
    for (int i = 0; i < n; i++) {
      running[i].set(true);
      int vu = i;
      vus[i].loop.execute(() -> next(vu));
    }
  }

  private void rampTick() {
    long t = System.nanoTime() - startNanos;
    long want = rampTarget(t);
    target = want;
    for (int i = 0; i < vus.length; i++) {
      if (i < want) {
        rampDownSince[i] = 0;
        if (!stopping && running[i].compareAndSet(false, true)) {
          metrics.activeVus.set(active.incrementAndGet());
          int vu = i;
          vus[i].loop.execute(() -> next(vu));
        }
      } else if (running[i].get()) {
        if (rampDownSince[i] == 0) {
          rampDownSince[i] = t;
        } else if (t - rampDownSince[i] > spec.gracefulRampDown().toNanos()) {
          Vu vu = vus[i];
          vu.loop.execute(vu::interrupt);
        }
      }
    }
  }

  /**
   * ramping-vus: this segment's VUs {@code t} ns into the scenario: its striped share of the whole
   * run's VUs at that moment (linear within each stage), so the segments add up to the whole.
   */
  private long rampTarget(long t) {
    return spec.segment().scale(wholeRampTarget(t));
  }

  private long wholeRampTarget(long t) {
    long from = spec.startVUs();
    long at = 0;
    for (RampStage st : spec.stages()) {
      long len = st.duration().toNanos();
      if (t < at + len) {
        double f = len == 0 ? 1 : (double) (t - at) / len;
        return Math.round(from + (st.target() - from) * f);
      }
      at += len;
      from = st.target();
    }
    return from;
  }

  private boolean claim(int i) {
    if (stopping) {
      return false;
    }
    switch (spec.executor()) {
      case SHARED_ITERATIONS:
        return remaining.getAndDecrement() > 0;
      case PER_VU_ITERATIONS:
        return vus[i].iterations++ < spec.iterations();
      case RAMPING_VUS:
        return i < target;
      default:
        return true;
    }
  }

  private void next(int i) {
    if (!claim(i)) {
      running[i].set(false);
      int left = active.decrementAndGet();
      metrics.activeVus.set(left);
      boolean iterationBased =
          spec.executor() == dev.critpath.http.scenario.Executor.SHARED_ITERATIONS
              || spec.executor() == dev.critpath.http.scenario.Executor.PER_VU_ITERATIONS;
      if (left == 0 && (stopping || iterationBased)) {
        finish();
      }
      return;
    }
    Vu vu = vus[i];
    runIteration(vu, System.nanoTime(), false, () -> vu.loop.execute(() -> next(i)));
  }

  @Override
  void requestStop() {
    stopping = true;
    if (ramp != null) {
      ramp.cancel(false);
    }
    if (active.get() == 0) {
      finish();
    }
  }
}
