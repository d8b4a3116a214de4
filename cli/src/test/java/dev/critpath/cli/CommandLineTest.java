package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.net.ServerSocket;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandLineTest {

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("migrate", "doctor", "Exit codes", "2   usage, configuration");
  }

  static Stream<Arguments> badInputs() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    ConnectionSpec embedded = TestDatabases.embedded().spec();
    String wrongPassword =
        "postgresql://postgres:not-the-password@127.0.0.1:" + embedded.port() + "/critpath";
    return Stream.of(
        Arguments.of(new String[] {"--bogus"}, "Unknown option: '--bogus'"),
        Arguments.of(new String[] {"migrate", "--db-url", "mysql://x@y/z"}, "unknown scheme"),
        Arguments.of(
            new String[] {"doctor", "--db-url", "postgresql://u@127.0.0.1:" + closedPort + "/x"},
            "connection refused"),
        Arguments.of(
            new String[] {"doctor", "--db-url", "postgresql://u@no-such-host.invalid/x"},
            "unknown host"),
        Arguments.of(
            new String[] {"migrate", "--db-url", wrongPassword}, "password authentication failed"),
        Arguments.of(
            new String[] {
              "doctor",
              "--db-url",
              "postgresql://postgres:"
                  + embedded.password()
                  + "@127.0.0.1:"
                  + embedded.port()
                  + "/nodb"
            },
            "database \"nodb\" does not exist"),
        Arguments.of(new String[] {"doctor", "--db", "oracle"}, "unknown --db value"),
        Arguments.of(new String[] {"migrate", "--statement-timeout", "abc"}, "statement-timeout"),
        Arguments.of(new String[] {"nosuchcommand"}, "Unmatched argument"));
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void badInputGetsOneLineAndExitCodeTwo(String[] args, String expected) {
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(expected);
    assertThat(run.errLines()).as("one line, no stack trace: " + run.err()).isEqualTo(1);
    assertThat(run.err()).doesNotContain("not-the-password").doesNotContain("\tat ");
  }

  @Test
  void migrateTwiceThenDoctorPasses() {
    try (Database db = TestDatabases.empty("cli_migrate")) {
      String url = url(db.spec());
      CliRun first = CliRun.of("migrate", "--db-url", url);
      CliRun second = CliRun.of("migrate", "--db-url", url);
      assertThat(first.exitCode()).as(first.err()).isZero();
      assertThat(first.out()).contains("schema version 4");
      assertThat(second.out()).contains("(0 migrations applied)");
      CliRun doctor = CliRun.of("doctor", "--db-url", url);
      assertThat(doctor.exitCode()).as(doctor.out()).isZero();
      assertThat(doctor.out()).contains("0 failed");
      assertThat(first.out() + second.out() + doctor.out() + first.err())
          .doesNotContain(db.spec().password());
    }
  }

  private static String url(ConnectionSpec spec) {
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
}
