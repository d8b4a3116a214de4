package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.io.Json;
import dev.critpath.testkit.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole default pipeline (every stage, {@code --dataset tiny --smoke}) in a real critpath
 * process given known secrets: the database password in {@code --db-url}, a JWT secret and
 * anon/service keys in the environment. None of them, and no JWT-shaped token, may appear in what
 * it prints or in any file of its results directory.
 */
class SecretSweepTest {
  private static final long RUN_TIMEOUT_MINUTES = 6;

  /** What a JWT looks like in text: base64url header and payload, "eyJ" being '{"'. */
  private static final Pattern JWT_SHAPE =
      Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");

  /** The sections of a run that went through every stage (dataIntegrity is the last one's). */
  private static final List<String> EVERY_STAGE =
      List.of(
          "doctor",
          "environment",
          "dataset",
          "explain",
          "bench",
          "inDatabase",
          "http",
          "realtime",
          "invariants",
          "rls",
          "inspect",
          "dataIntegrity");

  @Test
  void noSecretInOutputOrResults(@TempDir Path tmp) throws Exception {
    ConnectionSpec server = TestDatabases.embedded().spec();
    String database = TestDatabases.uniqueName("sweep");
    ConnectionSpec spec = TestDatabases.createDatabase(server, database);
    String jwtSecret = random(32);
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("database password", spec.password());
    secrets.put("SUPABASE_JWT_SECRET", jwtSecret);
    secrets.put("SUPABASE_ANON_KEY", key(jwtSecret, "anon"));
    secrets.put("SUPABASE_SERVICE_ROLE_KEY", key(jwtSecret, "service_role"));
    secrets.put("PGPASSWORD", random(16));

    Path results = tmp.resolve("results");
    Path stdout = tmp.resolve("stdout.log");
    Path stderr = tmp.resolve("stderr.log");
    ProcessBuilder pb =
        CliRun.inChildJvm(
                "--dataset",
                "tiny",
                "--smoke",
                "--results",
                results.toString(),
                "--db-url",
                CliRun.dbUrl(spec))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    pb.environment().put("SUPABASE_JWT_SECRET", jwtSecret);
    pb.environment().put("SUPABASE_ANON_KEY", secrets.get("SUPABASE_ANON_KEY"));
    pb.environment().put("SUPABASE_SERVICE_ROLE_KEY", secrets.get("SUPABASE_SERVICE_ROLE_KEY"));
    pb.environment().put("PGPASSWORD", secrets.get("PGPASSWORD"));
    pb.environment().remove("SUPABASE_URL");
    pb.environment().remove("GITHUB_STEP_SUMMARY");
    try {
      Process critpath = pb.start();
      assertThat(critpath.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES))
          .as("the smoke suite ends within " + RUN_TIMEOUT_MINUTES + " minutes")
          .isTrue();
      String out = Files.readString(stdout);
      assertThat(critpath.exitValue()).as(out).isIn(0, 1); // thresholds may miss on a smoke run
      assertThat(out)
          .as("the URL is shown, without its password: the sweep looks where a leak would be")
          .contains("postgresql://" + spec.user() + "@" + spec.host() + ":" + spec.port());

      Path runDir = results.resolve("latest").toRealPath();
      JsonNode run = Json.mapper().readTree(runDir.resolve("run.json").toFile());
      assertThat(run.path("completed").asBoolean()).isTrue();
      assertThat(run.path("sections").has("stageErrors"))
          .as("no stage broke: %s", run.at("/sections/stageErrors"))
          .isFalse();
      for (String section : EVERY_STAGE) {
        assertThat(run.path("sections").has(section)).as("section " + section).isTrue();
      }

      Map<String, String> texts = new LinkedHashMap<>();
      texts.put("stdout", out);
      texts.put("stderr", Files.readString(stderr));
      for (Path file : files(results)) {
        texts.put(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
      }
      assertThat(texts.keySet())
          .as("the run wrote its reports")
          .anyMatch(f -> f.endsWith("report.html"))
          .anyMatch(f -> f.endsWith("junit.xml"));
      List<String> found = new ArrayList<>();
      texts.forEach(
          (where, text) -> {
            secrets.forEach(
                (name, value) -> {
                  if (text.contains(value)) {
                    found.add(name + " in " + where);
                  }
                });
            Matcher jwt = JWT_SHAPE.matcher(text);
            if (jwt.find()) {
              found.add("a JWT-shaped token in " + where + ": " + jwt.group().substring(0, 12));
            }
          });
      assertThat(found).as("secrets in the output or results").isEmpty();
    } finally {
      TestDatabases.dropDatabase(server, database);
    }
  }

  private static List<Path> files(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** A Supabase-style API key: an HS256 JWT with the role, signed with the project's secret. */
  private static String key(String secret, String role) {
    return JWT.create()
        .withIssuer("supabase")
        .withClaim("role", role)
        .sign(Algorithm.HMAC256(secret));
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
