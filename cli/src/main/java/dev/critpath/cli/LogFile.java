package dev.critpath.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where library logs (Hikari, Flyway, Testcontainers) and stack traces go unless --verbose: a file
 * of this run, in a directory only the user can read, never the terminal, where critpath's own one
 * line per problem says what to do.
 */
final class LogFile {
  private static final String SLF4J_TARGET = "org.slf4j.simpleLogger.logFile";
  private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private static volatile Path path;

  private LogFile() {}

  /**
   * Sends library logs to this run's log file, when not verbose. Must run before a library first
   * logs (slf4j-simple reads its target once); the CLI calls it once its options are parsed, so a
   * usage error creates no file.
   */
  static synchronized void route(boolean verbose) {
    if (verbose || path != null || System.getProperty(SLF4J_TARGET) != null) {
      return;
    }
    try {
      Path dir =
          Path.of(
              System.getProperty("java.io.tmpdir"),
              "critpath-logs-" + System.getProperty("user.name"));
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Path file =
          dir.resolve(
              "critpath-"
                  + NAME_TIME.format(LocalDateTime.now())
                  + "-"
                  + ProcessHandle.current().pid()
                  + ".log");
      System.setProperty(SLF4J_TARGET, file.toString());
      path = file;
    } catch (IOException | UnsupportedOperationException e) {
      // no private directory: libraries keep logging to stderr
    }
  }

  /** Removes the log file when nothing was logged (most runs). */
  static void removeIfEmpty() {
    Path file = path;
    try {
      if (file != null && Files.isRegularFile(file) && Files.size(file) == 0) {
        Files.delete(file);
      }
    } catch (IOException e) {
      // an empty file left behind is harmless
    }
  }

  /** Appends a (redacted) stack trace; the file's path, or null when there is no log file. */
  static Path append(String text) {
    Path file = path;
    if (file == null) {
      return null;
    }
    try (PrintWriter w =
        new PrintWriter(
            Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
      w.println(text);
      return file;
    } catch (IOException e) {
      return null;
    }
  }
}
