package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real critpath process whose libraries have things to say (Flyway's failed migration, the
 * --allow-unmarked warning): the terminal gets critpath's one line, the run's log file gets the
 * libraries' lines; with --verbose the terminal gets them too.
 */
class QuietLogsTest {
  private static final long TIMEOUT_SECONDS = 120;

  @Test
  void libraryLogsGoToTheLogFileUnlessVerbose(@TempDir Path tmp) throws Exception {
    try (Database theirs = TestDatabases.empty("quiet_logs")) {
      TestDatabases.exec(
          theirs.spec(), "CREATE TABLE public.businesses (their_id int PRIMARY KEY)");
      Run quiet = run(tmp.resolve("quiet"), "migrate", "--allow-unmarked", "--db-url", url(theirs));
      assertThat(quiet.exit()).isEqualTo(2);
      assertThat(quiet.errLines()).as(quiet.err()).hasSize(1);
      assertThat(quiet.errLines().get(0)).startsWith("critpath: migration failed");
      Path log = logFile(quiet.pid());
      assertThat(log).as("the log file of pid " + quiet.pid()).isNotNull();
      assertThat(Files.readString(log))
          .contains("Migration of schema")
          .contains("--allow-unmarked")
          .doesNotContain(theirs.spec().password());

      Run verbose =
          run(
              tmp.resolve("verbose"),
              "migrate",
              "--verbose",
              "--allow-unmarked",
              "--db-url",
              url(theirs));
      assertThat(verbose.exit()).isEqualTo(2);
      assertThat(verbose.err()).contains("Migration of schema").contains("critpath: migration");
    }
  }

  private record Run(int exit, String err, long pid) {
    List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  private static Run run(Path dir, String... args) throws Exception {
    Files.createDirectories(dir);
    Path err = dir.resolve("stderr");
    Process p =
        CliRun.inChildJvm(args)
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(err), p.pid());
  }

  private static String url(Database db) {
    return CliRun.dbUrl(db.spec());
  }

  private static Path logFile(long pid) throws Exception {
    Path dir =
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "critpath-logs-" + System.getProperty("user.name"));
    try (Stream<Path> logs = Files.list(dir)) {
      return logs.filter(p -> p.getFileName().toString().endsWith("-" + pid + ".log"))
          .findFirst()
          .orElse(null);
    }
  }
}
