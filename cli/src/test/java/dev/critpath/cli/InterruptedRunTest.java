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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real critpath process, stopped with SIGTERM (what Ctrl-C and CI cancellation send) in the
 * middle of its benchmarks: the run directory must say it did not complete, keep every measurement
 * it printed as finished, hold no half-written file, and nothing it printed or wrote (nor its
 * forks' configuration files) may contain the database password.
 */
class InterruptedRunTest {
  private static final long STARTUP_TIMEOUT_MS =
      300_000; // JMH runs one benchmark per machine: waits for others

  /** A measurement's console line, as {@code ProgressFormat} prints it when it has finished. */
  private static final Pattern MEASURED =
      Pattern.compile(
          "(?m)^\\s+(\\S+)\\s+(rls_on|rls_off|plain)\\s+(latency|throughput)\\s+(\\d+) threads?"
              + "\\s+(?:p50 |[0-9])");

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
          CliRun.inChildJvm(
                  "bench",
                  "--only",
                  "message_fetch,unread_count,conversation_list",
                  "--results",
                  results.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("DATABASE_URL", url);
      Process critpath = pb.start();
      long deadline = System.currentTimeMillis() + STARTUP_TIMEOUT_MS;
      // stopped once two measurements have finished, in the middle of the others
      while (measured(Files.readString(log)).size() < 2 && System.currentTimeMillis() < deadline) {
        assertThat(critpath.isAlive()).as(Files.readString(log)).isTrue();
        Thread.sleep(100);
      }
      List<String[]> printed = measured(Files.readString(log));
      assertThat(printed).as(Files.readString(log)).hasSizeGreaterThanOrEqualTo(2);
      assertThat(critpath.isAlive()).as(Files.readString(log)).isTrue();
      critpath.destroy(); // SIGTERM
      assertThat(critpath.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
      String output = Files.readString(log);
      printed = measured(output);

      Path runDir = results.resolve("latest").toRealPath();
      JsonNode run = Json.mapper().readTree(runDir.resolve("run.json").toFile());
      assertThat(run.path("completed").asBoolean()).isFalse();
      assertThat(run.path("verdict").asText()).isEqualTo("interrupted");
      assertThat(run.at("/sections/bench/verdict").asText()).isEqualTo("interrupted");
      List<String> lost = new ArrayList<>();
      for (String[] m : printed) {
        if (!kept(run.at("/sections/bench/queries"), m)) {
          lost.add(String.join(" ", m));
        }
      }
      assertThat(lost).as("measured configurations lost to the interrupt").isEmpty();
      // one line, on a line of its own even when a progress line was cut off by the signal
      assertThat(output.lines().filter(l -> l.contains("critpath: bench interrupted")))
          .as(output)
          .containsExactly(
              "critpath: bench interrupted; every finished measurement is kept in "
                  + runDir.resolve("run.json"));

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
      assertThat(output).doesNotContain(spec.password());
      // the forks' configuration files (they hold the password) went with the process
      try (Stream<Path> tmpFiles = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
        assertThat(
                tmpFiles
                    .filter(p -> p.getFileName().toString().startsWith("critpath-bench-"))
                    .filter(p -> holds(p, spec.password())))
            .isEmpty();
      }
    }
  }

  /** What critpath printed as measured: path, variant, latency or throughput, threads. */
  private static List<String[]> measured(String output) {
    List<String[]> out = new ArrayList<>();
    Matcher m = MEASURED.matcher(output);
    while (m.find()) {
      out.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4)});
    }
    return out;
  }

  private static boolean kept(JsonNode queries, String[] m) {
    for (JsonNode q : queries) {
      if (!q.path("name").asText().equals(m[0])) {
        continue;
      }
      for (JsonNode v : q.path("variants")) {
        if (!v.path("variant").asText().equals(m[1])) {
          continue;
        }
        if (m[2].equals("latency")) {
          return v.path("latency").path("samples").asLong() > 0;
        }
        for (JsonNode level : v.path("concurrency")) {
          if (level.path("threads").asText().equals(m[3])) {
            return level.path("opsPerSec").asDouble() > 0;
          }
        }
      }
    }
    return false;
  }

  private static boolean holds(Path dir, String secret) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .anyMatch(
              f -> {
                try {
                  return Files.readString(f).contains(secret);
                } catch (java.io.IOException e) {
                  return false;
                }
              });
    } catch (java.io.IOException gone) {
      return false;
    }
  }
}
