package dev.critpath.cli;

import dev.critpath.db.ConnectionSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One CLI invocation with its exit code and captured output, as a user would see it. */
record CliRun(int exitCode, String out, String err) {

  static synchronized CliRun of(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new CliRun(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /**
   * critpath in a JVM of its own, for what only a real process shows (signals, the environment, the
   * files a whole run leaves): the test's class path, its arguments after the main class.
   */
  static ProcessBuilder inChildJvm(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /** The libpq URL a user would pass as --db-url, password included. */
  static String dbUrl(ConnectionSpec spec) {
    return "postgresql://"
        + spec.user()
        + ":"
        + spec.password()
        + "@"
        + spec.host()
        + ":"
        + spec.port()
        + "/"
        + spec.database();
  }

  /**
   * The error output's non-empty lines without the libraries' log lines ("[WARN] ...", in this
   * JVM's test logging; critpath's own JVM sends them to its log file, see QuietLogsTest).
   */
  long critpathErrLines() {
    return err.lines().filter(l -> !l.isBlank() && !l.matches("^\\[[A-Z]+\\] .*")).count();
  }

  /** The error output's non-empty lines (logging included). */
  long errLines() {
    return err.lines().filter(l -> !l.isBlank()).count();
  }
}
