package dev.critpath.run;

import dev.critpath.UserError;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code --start-at TIME}: the UTC time a segment's load starts, so that the N segments of one run
 * on several hosts send together (http after its functional validation, realtime and bench before
 * their run starts). A segment ready only after that time starts at once and says so: waiting for a
 * time that will not come again would lose the run, and the merge judges the skew.
 */
public final class StartAt {
  /** How long before the time the waiting thread stops sleeping and spins. */
  private static final long SPIN_MILLIS = 200;

  private StartAt() {}

  /** The option's time, or null when it was not given; anything else is a user error. */
  public static Instant parse(String option) {
    if (option == null) {
      return null;
    }
    try {
      return Instant.parse(option.strip());
    } catch (DateTimeParseException e) {
      throw new UserError(
          "--start-at "
              + option
              + ": expected a UTC time such as 2026-01-31T12:00:00Z (date -u +%FT%TZ -d '+2 min')");
    }
  }

  /**
   * Waits until {@code at} (nothing to wait for when it is null).
   *
   * @param say receives the line announcing the wait
   * @return null when it waited (or had nothing to wait for), else the warning that the time had
   *     passed and the load starts at once
   */
  public static String await(Instant at, Consumer<String> say) {
    if (at == null) {
      return null;
    }
    long wait = Duration.between(Instant.now(), at).toMillis();
    if (wait <= 0) {
      return "--start-at "
          + at
          + " had passed when the load was ready, "
          + -wait
          + " ms late: started at once";
    }
    say.accept("load starts at " + at + " (in " + wait + " ms)");
    long due = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
    try {
      Thread.sleep(Math.max(0, wait - SPIN_MILLIS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while waiting for --start-at " + at);
    }
    // the last moments on the CPU: a sleeping thread on a busy host wakes up late, and the
    // segments' loads must start within milliseconds of each other; the wall clock has the last
    // word (the wait above was counted in whole milliseconds on another clock), so the load never
    // starts before the time asked for
    while (System.nanoTime() < due || Instant.now().isBefore(at)) {
      Thread.onSpinWait();
    }
    return null;
  }
}
