package dev.critpath.http.engine;

import dev.critpath.http.metrics.ScenarioMetrics;
import dev.critpath.http.scenario.ScenarioSpec;
import dev.critpath.run.Segment;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Open-model executors (constant-arrival-rate, ramping-arrival-rate). A scheduler thread starts
 * iteration i at its planned time on a free VU, allocating VUs up to maxVUs. When none is free the
 * iteration waits for one and starts late; its latency still counts from the planned time, as wrk2
 * corrects for coordinated omission (k6 would drop it and hide the wait). Iterations still waiting
 * when the scenario's time is up are dropped and counted.
 */
final class ArrivalRateScenarioRun extends ScenarioRun {
  /** Past this many waiting iterations, new ones are dropped at once (memory stays bounded). */
  static final int MAX_WAITING = 1_000_000;

  private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  private final ArrivalSchedule schedule;
  private final ArrayDeque<Vu> idle = new ArrayDeque<>();
  private final LongQueue waiting = new LongQueue();
  private int active;
  private int allocated;

  ArrivalRateScenarioRun(
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
    this.schedule = ArrivalSchedule.of(spec);
  }

  @Override
  void begin() {
    synchronized (this) {
      for (int i = 0; i < spec.preAllocatedVUs(); i++) {
        idle.add(newVu());
        allocated++;
      }
    }
    Thread scheduler = new Thread(this::plan, "critpath-rate-" + spec.name());
    scheduler.setDaemon(true);
    scheduler.setPriority(Thread.MAX_PRIORITY);
    scheduler.start();
  }

  /**
   * Starts this segment's arrivals of the whole plan: its m-th is the whole's iteration {@code
   * segment.unitOf(m)}, so N segments together start every planned iteration once, at its time.
   */
  private void plan() {
    long t0 = startNanos;
    Segment segment = spec.segment();
    long m = 0;
    for (; !stopping; m++) {
      long offset = schedule.offsetOf(segment.unitOf(m));
      if (offset == ArrivalSchedule.NEVER) {
        return;
      }
      long due = t0 + offset;
      for (long wait = due - System.nanoTime();
          wait > 0 && !stopping;
          wait = due - System.nanoTime()) {
        if (wait > SPIN_NANOS) {
          LockSupport.parkNanos(wait - SPIN_NANOS / 2);
        } else {
          Thread.onSpinWait();
        }
      }
      dispatch(due);
    }
    // time ran out before the plan did (a starved scheduler): the rest never started
    metrics.dropped.add(Math.max(0, segment.scale(schedule.total()) - m));
  }

  private void dispatch(long due) {
    Vu vu;
    synchronized (this) {
      if (stopping) {
        metrics.dropped.increment();
        return;
      }
      vu = idle.poll();
      if (vu == null && allocated < spec.maxVUs()) {
        vu = newVu();
        allocated++;
      }
      if (vu == null) {
        if (waiting.size() >= MAX_WAITING) {
          metrics.dropped.increment();
        } else {
          waiting.add(due);
        }
        return;
      }
      active++;
      metrics.activeVus.set(active);
    }
    launch(vu, due);
  }

  private void launch(Vu vu, long due) {
    vu.loop.execute(() -> runIteration(vu, due, true, () -> released(vu)));
  }

  private void released(Vu vu) {
    long next;
    synchronized (this) {
      if (stopping || waiting.isEmpty()) {
        idle.add(vu);
        active--;
        metrics.activeVus.set(active);
        if (stopping && active == 0) {
          next = -1;
        } else {
          return;
        }
      } else {
        next = waiting.poll();
      }
    }
    if (next < 0) {
      finish();
    } else {
      launch(vu, next);
    }
  }

  @Override
  void requestStop() {
    boolean idleNow;
    synchronized (this) {
      stopping = true;
      metrics.dropped.add(waiting.size());
      waiting.clear();
      idleNow = active == 0;
    }
    if (idleNow) {
      finish();
    }
  }

  /** A growable ring of longs: the planned start times of iterations waiting for a VU. */
  private static final class LongQueue {
    private long[] items = new long[64];
    private int head;
    private int size;

    void add(long v) {
      if (size == items.length) {
        long[] bigger = new long[items.length * 2];
        for (int i = 0; i < size; i++) {
          bigger[i] = items[(head + i) % items.length];
        }
        items = bigger;
        head = 0;
      }
      items[(head + size++) % items.length] = v;
    }

    long poll() {
      long v = items[head];
      head = (head + 1) % items.length;
      size--;
      return v;
    }

    boolean isEmpty() {
      return size == 0;
    }

    int size() {
      return size;
    }

    void clear() {
      head = 0;
      size = 0;
    }
  }
}
