package dev.critpath.realtime;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How busy the machine was while a scenario ran. Senders, relay, database and subscribers share
 * this machine's cores: when they are saturated, latencies include time spent waiting for a CPU,
 * and the run should say so rather than blame the delivery path.
 */
final class MachineLoad implements AutoCloseable {
  /** Above this average the numbers describe the machine more than the path. */
  static final double SATURATED = 0.85;

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "critpath-machine-load");
            t.setDaemon(true);
            return t;
          });
  private final long processCpuAtStart = os.getProcessCpuTime();
  private double sum;
  private double max;
  private int samples;

  MachineLoad() {
    os.getCpuLoad(); // the first reading only starts the measurement
    sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
  }

  private synchronized void sample() {
    double load = os.getCpuLoad();
    if (load >= 0) {
      sum += load;
      max = Math.max(max, load);
      samples++;
    }
  }

  /** One line for the result's notes; flags a saturated machine. */
  synchronized String note() {
    double avg = samples == 0 ? 0 : sum / samples;
    String line =
        String.format(
            Locale.ROOT,
            "machine: CPU %.0f%% on average, %.0f%% at most over %d s, %d cores, load average"
                + " %.1f; critpath's JVM (sender and subscribers) used %.1f CPU seconds",
            avg * 100,
            max * 100,
            samples,
            os.getAvailableProcessors(),
            os.getSystemLoadAverage(),
            (os.getProcessCpuTime() - processCpuAtStart) / 1e9);
    return avg > SATURATED
        ? line + "; saturated, so latencies include waiting for a CPU on this machine"
        : line;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
