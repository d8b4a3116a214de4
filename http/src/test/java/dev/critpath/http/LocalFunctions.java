package dev.critpath.http;

import dev.critpath.db.Database;
import dev.critpath.http.functions.FunctionsLayout;
import dev.critpath.http.functions.LocalFunctionsServer;
import dev.critpath.supabase.TokenMinter;
import dev.critpath.testkit.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The sample functions on a real Deno process over a fresh migrated database holding the test
 * fixtures (users 1..8, conversations 1..10, vouchers CP-000001..300; see fixtures.sql).
 */
final class LocalFunctions implements AutoCloseable {
  static final String SECRET = "test-secret-test-secret-test-secret-0123456789";

  final Database db;
  final LocalFunctionsServer server;
  final TokenMinter minter =
      new TokenMinter(SECRET, "authenticated", "authenticated", Duration.ofHours(1));

  LocalFunctions(String purpose, Duration idle) throws IOException, SQLException {
    this(purpose, idle, java.util.Map.of());
  }

  /** With {@code env} added to the functions' environment (WABA_API_URL, limits). */
  LocalFunctions(String purpose, Duration idle, java.util.Map<String, String> env)
      throws IOException, SQLException {
    db = fixtureDatabase(purpose);
    FunctionsLayout layout =
        FunctionsLayout.locate(null, System.getenv(), new PrintWriter(System.out, true));
    Path log = Files.createTempFile("functions-" + purpose, ".log");
    server = LocalFunctionsServer.start(layout, db.spec(), SECRET, idle, log, env, null);
  }

  /** A fresh migrated database named after {@code purpose}, holding the fixtures. */
  static Database fixtureDatabase(String purpose) throws IOException, SQLException {
    Database db = TestDatabases.migrated(purpose);
    loadFixtures(db);
    return db;
  }

  static void loadFixtures(Database db) throws IOException, SQLException {
    String sql;
    try (InputStream in = LocalFunctions.class.getResourceAsStream("fixtures.sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  static String user(int n) {
    return dev.critpath.dataset.Ids.text(dev.critpath.dataset.Ids.Entity.USER, n);
  }

  static String conversation(int n) {
    return dev.critpath.dataset.Ids.text(dev.critpath.dataset.Ids.Entity.CONVERSATION, n);
  }

  static String station(int n) {
    return dev.critpath.dataset.Ids.text(dev.critpath.dataset.Ids.Entity.STATION, n);
  }

  String url(String function) {
    return server.baseUrl() + "/functions/v1/" + function;
  }

  @Override
  public void close() {
    server.close();
    db.close();
  }
}
