package dev.critpath.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.critpath.UserError;
import dev.critpath.db.ConnectionSpec;
import dev.critpath.db.Database;
import dev.critpath.http.functions.FunctionsLayout;
import dev.critpath.http.functions.LocalFunctionsServer;
import dev.critpath.supabase.PostgresUrl;
import dev.critpath.supabase.TokenMinter;
import dev.critpath.testkit.TestDatabases;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Supabase's official JavaScript clients (supabase-js, realtime-js from npm, on Node) judge the
 * local stand-ins: supabase/conformance/conformance.test.mjs run against one base URL that serves
 * the Edge Functions and, through it, the realtime relay, over a migrated embedded database. The
 * same suite runs against a real project when SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_JWT_SECRET
 * and SUPABASE_DB_URL are set (`npm test` in supabase/conformance), and skips, saying so, without.
 */
class SupabaseConformanceTest {
  private static final Duration SUITE_TIMEOUT = Duration.ofMinutes(5);

  @Test
  void officialClientsAcceptTheLocalStandIns() throws Exception {
    Path suite = suiteDir();
    assumeTrue(nodeAvailable(), "node is not installed: the conformance suite needs Node.js");
    npmCi(suite);
    String secret = TokenMinter.randomSecret();
    Database db = TestDatabases.migrated("conformance");
    FunctionsLayout layout =
        FunctionsLayout.locate(null, System.getenv(), new PrintWriter(System.out, true));
    Path log = Files.createTempFile("conformance-functions", ".log");
    try (RealtimeRelay relay = RealtimeRelay.start(db.spec(), secret);
        LocalFunctionsServer server =
            LocalFunctionsServer.start(
                layout,
                db.spec(),
                secret,
                LocalFunctionsServer.DEFAULT_IDLE,
                log,
                java.util.Map.of(),
                "http://127.0.0.1:" + relay.port())) {
      Run run =
          node(
              suite,
              Map.of(
                  "SUPABASE_URL", server.baseUrl(),
                  "SUPABASE_ANON_KEY",
                      new TokenMinter(secret, "authenticated", "authenticated", Duration.ofHours(1))
                          .forRole("anon"),
                  "SUPABASE_JWT_SECRET", secret,
                  "SUPABASE_DB_URL", PostgresUrl.of(db.spec())));
      System.out.println(run.output);
      assertThat(run.exitCode).as(run.output).isZero();
      assertThat(run.output)
          .contains("ℹ fail 0")
          .contains("ℹ skipped 0")
          .doesNotContain("ℹ pass 0");
      assertThat(relay.stats()).containsKey("postgresChanges");
    }
  }

  @Test
  void withoutAProjectTheSuiteSkipsAndSaysWhy() throws Exception {
    assumeTrue(nodeAvailable(), "node is not installed: the conformance suite needs Node.js");
    Path suite = suiteDir();
    npmCi(suite);
    Run run = node(suite, Map.of());
    assertThat(run.exitCode).as(run.output).isZero();
    assertThat(run.output)
        .contains(
            "skipped: set SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_JWT_SECRET, SUPABASE_DB_URL");
  }

  @Test
  void aServerWithoutLogicalDecodingIsOneClearLine() {
    ConnectionSpec local = TestDatabases.localServer();
    assumeTrue(local != null, "no PostgreSQL at 127.0.0.1:5432");
    assumeTrue(!"logical".equals(walLevel(local)), "the machine's server has wal_level=logical");
    UserError e = assertThrows(UserError.class, () -> RealtimeRelay.start(local, "s3cret-s3cret"));
    assertThat(e.getMessage())
        .startsWith("critpath relay: the database has wal_level=")
        .contains("ALTER SYSTEM SET wal_level = logical")
        .doesNotContain("\n");
  }

  private static String walLevel(ConnectionSpec spec) {
    try (var c = java.sql.DriverManager.getConnection(spec.jdbcUrl(), spec.credentials());
        var rs = c.createStatement().executeQuery("SHOW wal_level")) {
      rs.next();
      return rs.getString(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Run(int exitCode, String output) {}

  private static Run node(Path suite, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder("node", "--test", "--test-reporter=spec")
            .directory(suite.toFile())
            .redirectErrorStream(true);
    for (String name :
        new String[] {
          "SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_JWT_SECRET", "SUPABASE_DB_URL"
        }) {
      pb.environment().remove(name);
    }
    pb.environment().putAll(env);
    pb.environment().put("NO_COLOR", "1");
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(SUITE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private static void npmCi(Path suite) throws IOException, InterruptedException {
    if (Files.isDirectory(suite.resolve("node_modules/@supabase/supabase-js"))) {
      return;
    }
    Process p =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
            .directory(suite.toFile())
            .inheritIO()
            .start();
    assertThat(p.waitFor()).as("npm ci in " + suite).isZero();
  }

  private static boolean nodeAvailable() {
    try {
      return new ProcessBuilder("node", "--version").start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Path suiteDir() {
    return RealtimeRelay.relayDir().getParent().resolve("conformance");
  }
}
