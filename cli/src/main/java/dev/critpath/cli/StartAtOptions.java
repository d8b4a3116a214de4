package dev.critpath.cli;

import dev.critpath.run.StartAt;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * {@code --start-at TIME}: the segments of one run, on several hosts, start their loads together.
 */
final class StartAtOptions {
  @Option(
      names = "--start-at",
      paramLabel = "TIME",
      description =
          "Start the load at this UTC time (2026-01-31T12:00:00Z): the segments of one run on"
              + " several hosts then start together (http waits after its functional validation,"
              + " realtime and bench before their run starts). Default: at once.")
  String startAt;

  /** The time asked for; a malformed one is a user error before anything starts. */
  Instant time() {
    return StartAt.parse(startAt);
  }

  /**
   * Waits for the time before a run starts, so that run.json's startedAt is the load's start; a
   * time already past starts at once, with one line saying so.
   */
  static void await(Instant at, String command, PrintWriter out) {
    String late = StartAt.await(at, line -> out.println(command + ": " + line));
    if (late != null) {
      out.println(command + ": warning: " + late);
    }
    out.flush();
  }
}
