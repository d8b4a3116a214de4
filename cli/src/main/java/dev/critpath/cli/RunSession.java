package dev.critpath.cli;

import dev.critpath.ExitCode;
import dev.critpath.UserError;
import dev.critpath.io.OutputPaths;
import dev.critpath.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * One command's run directory from creation to its last save: created, marked "interrupted" by
 * Ctrl-C (every finished section is kept), marked "error" when the command breaks, finished with
 * the verdict. Bad input found before anything was written leaves nothing behind.
 */
final class RunSession implements AutoCloseable {
  /** What a measurement does with the run directory. */
  interface Work<T> {
    T run(RunDirectory run) throws Exception;
  }

  private final RunDirectory run;
  private final Thread interrupted;
  private volatile boolean discarded;

  private RunSession(RunDirectory run, String command) {
    this.run = run;
    this.interrupted = new Thread(() -> markInterrupted(command), "critpath-run-interrupted");
    Runtime.getRuntime().addShutdownHook(interrupted);
  }

  /** Checks that {@code resultsRoot} is writable; call before any database is opened. */
  static void checkWritable(ResultsOptions results) {
    OutputPaths.checkWritable(results.root, "--results");
  }

  /**
   * Creates a run directory under {@code results}.
   *
   * @param command named in the interrupted message ("bench"), or null for the default suite
   */
  static RunSession start(ResultsOptions results, String command) {
    return new RunSession(RunDirectory.create(results.root), command);
  }

  RunDirectory run() {
    return run;
  }

  Path path() {
    return run.path();
  }

  /**
   * Runs {@code work}; when it throws, the run is discarded (bad input before anything was written)
   * or saved as "error", and the exception goes on.
   */
  <T> T measure(Work<T> work) throws Exception {
    try {
      return work.run(run);
    } catch (Exception e) {
      if (e instanceof UserError && nothingWritten()) {
        discarded = true;
        run.discard();
      } else {
        finishAs(false, "error");
      }
      throw e;
    }
  }

  /** run.json's verdict for an exit code. */
  static String verdict(ExitCode exit) {
    return switch (exit) {
      case OK -> "pass";
      case FAILED -> "fail";
      case ERROR -> "error";
    };
  }

  /** The run completed: records {@code verdict} and saves run.json. */
  void finish(String verdict) {
    finishAs(true, verdict);
  }

  private void finishAs(boolean completed, String verdict) {
    run.record().finish(Instant.now(), completed, verdict);
    run.save();
  }

  /** No section in run.json and no file beside it (a server log an error message points to). */
  private boolean nothingWritten() {
    if (!run.record().getSections().isEmpty()) {
      return false;
    }
    try (Stream<Path> files = Files.list(run.path())) {
      return files.allMatch(p -> p.getFileName().toString().equals(RunDirectory.RUN_JSON));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private void markInterrupted(String command) {
    if (!discarded && run.record().getFinishedAt() == null) {
      finishAs(false, "interrupted");
      System.err.println(
          System.lineSeparator()
              + "critpath: "
              + (command == null
                  ? "interrupted; every finished stage and measurement is kept in "
                  : command + " interrupted; every finished measurement is kept in ")
              + run.path().resolve(RunDirectory.RUN_JSON));
    }
  }

  /** Stops watching for Ctrl-C: the run is finished, saved or discarded. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(interrupted);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs and sees the run finished
    }
  }
}
