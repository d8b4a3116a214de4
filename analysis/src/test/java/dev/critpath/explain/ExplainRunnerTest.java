package dev.critpath.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.UserError;
import dev.critpath.catalog.QueryCatalog;
import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.run.RunDirectory;
import dev.critpath.testkit.TestDatabases;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan capture for the reference catalog on a small seeded database. */
class ExplainRunnerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final List<String> QUERIES =
      List.of("message_fetch", "send_message", "voucher_redeem", "mark_as_read", "unread_count");

  private static Database db;
  private static ExplainResult result;
  private static Path runDir;
  private static String output;

  @BeforeAll
  static void setUp(@TempDir Path results) throws SQLException {
    db = TestDatabases.migrated("explain");
    try (Connection c = db.connect()) {
      ReferenceData.load(c);
    }
    String before = checksum();
    RunDirectory run = RunDirectory.create(results);
    runDir = run.path();
    StringWriter progress = new StringWriter();
    result =
        ExplainRunner.run(
            db,
            QueryCatalog.builtin(),
            new ExplainRunner.Options(QUERIES, TIMEOUT, ExplainRunner.DEFAULT_SEED, false, false),
            run,
            new PrintWriter(progress));
    assertThat(checksum()).as("explain left rows behind").isEqualTo(before);
    StringWriter text = new StringWriter();
    ExplainPrinter.print(result, new PrintWriter(text), false);
    output = text.toString();
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @Test
  void everyQueryIsExplainedAndItsExpectationsHold() {
    assertThat(result.queries())
        .extracting(QueryExplain::name)
        .containsExactlyInAnyOrderElementsOf(QUERIES);
    for (QueryExplain q : result.queries()) {
      assertThat(q.error()).as(q.name()).isNull();
      assertThat(q.expectations())
          .as(q.name())
          .isNotEmpty()
          .allMatch(ExpectationCheck.Result::passed);
    }
    assertThat(result.expectationsFailed()).isZero();
    assertThat(output)
        .contains("expectations:", "message_fetch", "messages_conversation_created_idx");
  }

  @Test
  void hotAndColdParametersAreTheBusiestAndAQuietConversation() {
    QueryExplain fetch = result.query("message_fetch");
    CapturedPlan hot = fetch.plans().get(0);
    CapturedPlan cold = fetch.plans().get(1);
    assertThat(hot.variant()).isEqualTo("hot");
    assertThat(hot.params().values().get("conversation_id"))
        .isEqualTo("00000002-0000-4000-8000-000000000001");
    assertThat(cold.variant()).isEqualTo("cold");
    assertThat(cold.params().values().get("conversation_id"))
        .isNotEqualTo(hot.params().values().get("conversation_id"));
    assertThat(hot.analysis().facts().rows()).isEqualTo(50);
    assertThat(cold.analysis().facts().rows()).isEqualTo(ReferenceData.MESSAGES_PER_CONVERSATION);
    assertThat(fetch.generic()).isNotNull();
    assertThat(fetch.generic().customFingerprint()).isEqualTo(hot.analysis().fingerprint());
  }

  @Test
  void rawPlansAreSavedPerVariantAndArePlainExplainJson() throws IOException {
    QueryExplain fetch = result.query("message_fetch");
    assertThat(fetch.plans().get(0).file()).isEqualTo("explain/message_fetch.json");
    assertThat(fetch.plans().get(1).file()).isEqualTo("explain/message_fetch-cold.json");
    JsonNode raw = Json.mapper().readTree(runDir.resolve("explain/message_fetch.json").toFile());
    assertThat(raw.isArray()).isTrue();
    assertThat(raw.get(0).has("Plan")).isTrue();
    assertThat(raw.get(0).has("Execution Time")).isTrue();
    assertThat(raw.get(0).path("Settings").path("plan_cache_mode").asText())
        .isEqualTo("force_custom_plan");
  }

  @Test
  void sendMessagesNestedStatementsArePlannedToo() {
    CapturedPlan hot = result.query("send_message").plans().get(0);
    assertThat(result.nestedPlans()).startsWith("captured with auto_explain");
    assertThat(hot.nested())
        .extracting(PlanAnalysis::queryText)
        .anySatisfy(t -> assertThat(t).startsWith("INSERT INTO messages"))
        .anySatisfy(t -> assertThat(t).startsWith("UPDATE conversation_participants"));
    assertThat(hot.nested())
        .flatExtracting(p -> p.facts().indexesUsed())
        .extracting(PlanFacts.IndexUse::index)
        .contains("conversation_participants_pkey");
    assertThat(hot.nestedFiles()).isNotEmpty().allMatch(f -> Files.exists(runDir.resolve(f)));
    // the write's own plan says what it wrote, then it was rolled back
    assertThat(hot.analysis().facts().walBytes()).isPositive();
  }

  @Test
  void redeemVoucherIsCapturedAndRolledBack() {
    CapturedPlan hot = result.query("voucher_redeem").plans().get(0);
    assertThat(hot.nested())
        .extracting(PlanAnalysis::queryText)
        .anySatisfy(t -> assertThat(t).startsWith("UPDATE vouchers"));
  }

  @Test
  void unknownExpectationIsAUserErrorNamingTheLine(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("odd.sql"), "-- name: odd\n-- expect: runs quickly please\nSELECT 1;\n");
    assertThatThrownBy(
            () ->
                ExplainRunner.run(
                    db,
                    QueryCatalog.load(dir),
                    ExplainRunner.Options.defaults(TIMEOUT),
                    null,
                    new PrintWriter(new StringWriter())))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("odd.sql:2")
        .hasMessageContaining("runs quickly please");
  }

  @Test
  void aQueryThatCannotBeExplainedIsReportedAndTheOthersStillAre(@TempDir Path dir)
      throws Exception {
    Files.writeString(
        dir.resolve("a_missing.sql"), "-- name: a_missing\nSELECT * FROM no_such_table;\n");
    Files.writeString(
        dir.resolve("b_slow.sql"),
        "-- name: b_slow\n-- expect: execution < 10ms\nSELECT pg_sleep(3);\n");
    Files.writeString(
        dir.resolve("c_misestimate.sql"),
        "-- name: c_misestimate\n-- expect: no row-misestimate-100x\n"
            + "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id"
            + " WHERE m.created_at > now() - interval '1 year' AND m.content LIKE 'message%'"
            + " AND m.kind = 'text' AND m.channel = 'app' AND m.sender_id = c.participants[1];\n");
    ExplainResult r =
        ExplainRunner.run(
            db,
            QueryCatalog.load(dir),
            new ExplainRunner.Options(List.of(), Duration.ofSeconds(1), 1, false, false),
            null,
            new PrintWriter(new StringWriter()));
    assertThat(r.query("a_missing").error()).contains("no_such_table", "42P01");
    assertThat(r.query("b_slow").error()).contains("statement timeout", "--statement-timeout");
    assertThat(r.query("b_slow").expectations().get(0).passed()).isFalse();
    assertThat(r.query("c_misestimate").error()).isNull();
    assertThat(r.queriesFailed()).isEqualTo(2);
  }

  /** Row counts and the columns writes touch, in every table the write paths change. */
  private static String checksum() throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT (SELECT count(*) FROM messages) || '/' || (SELECT sum(unread_count)"
                    + " FROM conversation_participants) || '/' || (SELECT count(last_read_at)"
                    + " FROM conversation_participants) || '/' || (SELECT md5(string_agg("
                    + "coalesce(last_message_preview, '-'), ',' ORDER BY id)) FROM conversations)"
                    + " || '/' || (SELECT count(*) FROM redemptions) || '/' || (SELECT count(*)"
                    + " FROM idempotency_keys) || '/' || (SELECT count(*) FROM vouchers WHERE"
                    + " status = 'issued')")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
