package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.db.DatabaseTarget;
import dev.critpath.db.Pooler;
import dev.critpath.http.functions.FunctionsLayout;
import dev.critpath.http.functions.LocalFunctionsServer;
import dev.critpath.supabase.TokenMinter;
import dev.critpath.testkit.PgBouncer;
import dev.critpath.testkit.TestDatabases;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The Edge Functions through PgBouncer in transaction mode (two backends for four driver
 * connections): postgres.js must not name its statements there (DB_PREPARE=false), or requests fail
 * on statements another connection prepared on the shared backend.
 */
class FunctionsThroughPoolerTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final TokenMinter MINTER =
      new TokenMinter(LocalFunctions.SECRET, "authenticated", "authenticated", Duration.ofHours(1));

  @Test
  void everyRequestSucceedsAsItsOwnCallerThroughATransactionPooler() throws Exception {
    PgBouncer.assumeInstalled();
    try (Database direct = TestDatabases.migrated("functions_pooler");
        PgBouncer bouncer = PgBouncer.start(direct.spec(), "transaction", 2, Map.of());
        Database pooled =
            Database.open(
                new DatabaseTarget.External(bouncer.front(direct.spec()), "test"),
                Duration.ofSeconds(30))) {
      LocalFunctions.loadFixtures(direct);
      assertThat(pooled.pooler().mode()).isEqualTo(Pooler.Mode.TRANSACTION);
      FunctionsLayout layout =
          FunctionsLayout.locate(null, System.getenv(), new PrintWriter(System.out, true));
      Path log = Files.createTempFile("functions-pooler", ".log");
      try (LocalFunctionsServer server =
          LocalFunctionsServer.start(
              layout, pooled.spec(), LocalFunctions.SECRET, Duration.ofSeconds(30), log)) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
          String user = LocalFunctions.user(1 + i % 4);
          HttpRequest request =
              HttpRequest.newBuilder(
                      URI.create(server.baseUrl() + "/functions/v1/conversation-list"))
                  .header("Authorization", "Bearer " + MINTER.forUser(user))
                  .timeout(Duration.ofSeconds(30))
                  .GET()
                  .build();
          calls.add(CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
          HttpResponse<String> r = call.join();
          assertThat(r.statusCode()).as(r.body() + "\n" + Files.readString(log)).isEqualTo(200);
        }
        assertThat(Files.readString(log)).doesNotContain("prepared statement");
      }
    }
  }
}
