package dev.critpath.cli;

import dev.critpath.db.ConnectionSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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

  /** The error output's non-empty lines (logging included). */
  long errLines() {
    return err.lines().filter(l -> !l.isBlank()).count();
  }
}
