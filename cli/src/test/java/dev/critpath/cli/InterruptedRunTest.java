package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.seed.Profile;
import dev.critpath.seed.SeedOptions;
import dev.critpath.seed.Seeder;
import dev.critpath.testkit.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real critpath process, stopped with SIGTERM (what Ctrl-C and CI cancellation send) in the
 * middle of its benchmarks: the run directory must say it did not complete, hold no half-written
 * file, and nothing it printed or wrote may contain the database password.
 */
class InterruptedRunTest {
  private static final long STARTUP_TIMEOUT_MS = 120_000;
  private static final long IN_STAGE_MS = 8_000;

  @Test
  void sigtermLeavesAnIncompleteRunAndNoSecret(@TempDir Path tmp) throws Exception {
    try (Database db = TestDatabases.migrated("interrupted")) {
      Seeder.seed(db, SeedOptions.of(Profile.TINY));
      ConnectionSpec spec = db.spec();
      String url = CliRun.dbUrl(spec);
      Path results = tmp.resolve("results");
      Path log = tmp.resolve("out.log");
      // The URL goes in through the environment, as CI passes it; never on a command line.
      ProcessBuilder pb =
          CliRun.inChildJvm("bench", "--profile", "standard", "--results", results.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("DATABASE_URL", url);
      Process critpath = pb.start();
      long deadline = System.currentTimeMillis() + STARTUP_TIMEOUT_MS;
      while (!Files.readString(log).contains("paths from")
          && System.currentTimeMillis() < deadline) {
        assertThat(critpath.isAlive()).as(Files.readString(log)).isTrue();
        Thread.sleep(200);
      }
      assertThat(Files.readString(log)).as("the bench stage had started").contains("paths from");
      Thread.sleep(IN_STAGE_MS); // into the stage: JMH forks running (or queued behind the lock)
      assertThat(critpath.isAlive()).as(Files.readString(log)).isTrue();
      critpath.destroy(); // SIGTERM
      assertThat(critpath.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();

      Path runDir = results.resolve("latest").toRealPath();
      JsonNode run = Json.mapper().readTree(runDir.resolve("run.json").toFile());
      assertThat(run.path("completed").asBoolean()).isFalse();
      assertThat(run.path("verdict").asText()).isEqualTo("interrupted");

      List<Path> files;
      try (Stream<Path> walk = Files.walk(results)) {
        files = walk.filter(Files::isRegularFile).toList();
      }
      assertThat(files).noneMatch(p -> p.getFileName().toString().endsWith(".tmp"));
      for (Path file : files) {
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8))
            .as("no password in " + file)
            .doesNotContain(spec.password());
        if (file.getFileName().toString().endsWith(".json")) {
          Json.mapper().readTree(file.toFile()); // whole, parseable: never cut in half
        }
      }
      assertThat(Files.readString(log)).doesNotContain(spec.password());
    }
  }
}
