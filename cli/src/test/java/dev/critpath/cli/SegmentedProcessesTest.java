package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.db.Database;
import dev.critpath.http.functions.FunctionsLayout;
import dev.critpath.http.functions.LocalFunctionsServer;
import dev.critpath.io.Json;
import dev.critpath.seed.Profile;
import dev.critpath.seed.SeedOptions;
import dev.critpath.seed.Seeder;
import dev.critpath.supabase.TokenMinter;
import dev.critpath.testkit.TestDatabases;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local proof of segmented load: one scenario run whole, then as three segment processes at
 * once against the same local functions server, merged by {@code ./run.sh merge}. The merged
 * request count and rate equal the whole's within 1%, and the segments' arrivals (sent or dropped)
 * add up to the whole's plan exactly.
 */
class SegmentedProcessesTest {
  private static final int N = 3;
  private static final String SECRET = "segments-test-secret-0123456789-abcdefghijklmnopq";
  private static final int RATE = 12;
  private static final int SECONDS = 40;

  /** Time for three JVMs to start and validate before the common start, on a busy 2-core host. */
  private static final Duration START_LEAD = Duration.ofSeconds(60);

  @TempDir Path tmp;

  private Process critpath(Map<String, String> env, String name, String... args) throws Exception {
    ProcessBuilder pb =
        CliRun.inChildJvm(args)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(name + ".log").toFile());
    pb.environment().putAll(env); // the database URL and JWT secret never on a command line
    return pb.start();
  }

  private int exit(Process p, String name) throws Exception {
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as(name).isTrue();
    System.out.println(Files.readString(tmp.resolve(name + ".log")));
    return p.exitValue();
  }

  private static JsonNode scenario(Path runDir) throws Exception {
    JsonNode run = Json.mapper().readTree(runDir.resolve("run.json").toFile());
    return run.path("sections").path("http").path("files").get(0).path("scenarios").get(0);
  }

  @Test
  void threeSegmentProcessesMergeIntoTheWholesRequestCountAndRate() throws Exception {
    try (Database db = TestDatabases.migrated("seg_processes")) {
      Seeder.seed(db, SeedOptions.of(Profile.TINY));
      FunctionsLayout layout =
          FunctionsLayout.locate(null, System.getenv(), new PrintWriter(System.out, true));
      try (LocalFunctionsServer server =
          LocalFunctionsServer.start(
              layout, db.spec(), SECRET, Duration.ofMinutes(5), tmp.resolve("functions.log"))) {
        Path file = tmp.resolve("inbox.yaml");
        Files.writeString(
            file,
            String.join(
                "\n",
                "data:",
                "  members: {sql: 'SELECT DISTINCT profile_id AS user_id FROM"
                    + " conversation_participants ORDER BY 1 LIMIT 300'}",
                "requests:",
                "  inbox:",
                "    path: /functions/v1/conversation-list?limit=20",
                "    user: ${members.user_id}",
                "    checks: [{status: 200}]",
                "scenarios:",
                "  load: {executor: constant-arrival-rate, rate: "
                    + RATE
                    + ", timeUnit: 1s, duration: "
                    + SECONDS
                    + "s, preAllocatedVUs: 6, maxVUs: 90, exec: inbox}",
                "thresholds:",
                "  http_req_failed: [rate<0.01]",
                ""));
        Map<String, String> env =
            Map.of(
                "DATABASE_URL",
                CliRun.dbUrl(db.spec()),
                "SUPABASE_JWT_SECRET",
                SECRET,
                "SUPABASE_ANON_KEY",
                new TokenMinter(SECRET, "authenticated", "authenticated", Duration.ofHours(1))
                    .forRole("anon"));
        String url = server.baseUrl();

        Path whole = tmp.resolve("whole");
        int wholeExit =
            exit(
                critpath(
                    env,
                    "whole",
                    "http",
                    "--base-url",
                    url,
                    "--results",
                    whole.toString(),
                    file.toString()),
                "whole");
        assertThat(wholeExit).isZero();

        Instant startAt = Instant.now().plus(START_LEAD).truncatedTo(ChronoUnit.SECONDS);
        List<Process> segments = new ArrayList<>();
        for (int i = 1; i <= N; i++) {
          segments.add(
              critpath(
                  env,
                  "segment-" + i,
                  "http",
                  "--base-url",
                  url,
                  "--segment",
                  i + "/" + N,
                  "--start-at",
                  startAt.toString(),
                  "--results",
                  tmp.resolve("segment-" + i).toString(),
                  file.toString()));
        }
        List<String> runDirs = new ArrayList<>();
        long sumOfSegments = 0;
        for (int i = 1; i <= N; i++) {
          assertThat(exit(segments.get(i - 1), "segment-" + i)).as("segment " + i).isZero();
          Path dir = tmp.resolve("segment-" + i).resolve("latest").toRealPath();
          JsonNode run = Json.mapper().readTree(dir.resolve("run.json").toFile());
          assertThat(run.path("segment").path("index").asInt()).isEqualTo(i);
          assertThat(run.path("segment").path("count").asInt()).isEqualTo(N);
          // every planned arrival is sent or counted dropped: the shares add up exactly
          sumOfSegments +=
              scenario(dir).path("requests").asLong()
                  + scenario(dir).path("droppedIterations").asLong();
          runDirs.add(dir.toString());
        }

        List<String> merge = new ArrayList<>(List.of("merge"));
        merge.addAll(runDirs);
        merge.addAll(List.of("--results", tmp.resolve("merged").toString()));
        CliRun merged = CliRun.of(merge.toArray(String[]::new));
        assertThat(merged.exitCode()).as(merged.out() + merged.err()).isZero();

        JsonNode w = scenario(whole.resolve("latest").toRealPath());
        JsonNode m = scenario(tmp.resolve("merged").resolve("latest").toRealPath());
        long planned = (long) RATE * SECONDS;
        System.out.printf(
            "whole: %d requests, %.2f req/s; %d segments: %d requests (planned %d), %.2f req/s%n",
            w.path("requests").asLong(),
            w.path("requestsPerSecond").asDouble(),
            N,
            m.path("requests").asLong(),
            sumOfSegments,
            m.path("requestsPerSecond").asDouble());
        assertThat(w.path("requests").asLong() + w.path("droppedIterations").asLong())
            .isEqualTo(planned);
        assertThat(sumOfSegments).isEqualTo(planned);
        assertThat((double) m.path("requests").asLong())
            .isCloseTo(w.path("requests").asDouble(), within(planned * 0.01));
        double wholeRate = w.path("requestsPerSecond").asDouble();
        assertThat(m.path("requestsPerSecond").asDouble())
            .isCloseTo(wholeRate, within(wholeRate * 0.01));
      }
    }
  }
}
