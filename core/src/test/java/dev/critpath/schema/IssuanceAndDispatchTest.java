package dev.critpath.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Schema V6's promises: issue_vouchers issues a batch once per idempotency key, also under
 * concurrency, and a failed batch leaves nothing; claim_campaign_targets never lets a channel send
 * more than its limit in the window.
 */
class IssuanceAndDispatchTest {
  static final String BIZ = "00000001-0000-4000-8000-000000000001";
  static final String CAMPAIGN = "00000004-0000-4000-8000-000000000001";
  static final String EMPTY_CAMPAIGN = "00000004-0000-4000-8000-000000000002";

  static Database db;

  @BeforeAll
  static void fixtures() {
    db = TestDatabases.migrated("issuance_dispatch");
    TestDatabases.exec(
        db.spec(),
        "INSERT INTO businesses (id, name) VALUES ('"
            + BIZ
            + "', 'A');"
            + "INSERT INTO campaigns (id, business_id, name) VALUES ('"
            + CAMPAIGN
            + "', '"
            + BIZ
            + "', 'spring'), ('"
            + EMPTY_CAMPAIGN
            + "', '"
            + BIZ
            + "', 'empty');"
            + "INSERT INTO campaign_targets (id, campaign_id, phone)"
            + " SELECT gen_random_uuid(), '"
            + CAMPAIGN
            + "', '+4915' || g FROM generate_series(1, 300) g;");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void concurrentReplaysOfOneKeyIssueOneBatch() throws Exception {
    int callers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      answers.add(
          pool.submit(
              () -> {
                try (Connection c = db.connect()) {
                  start.await();
                  return issue(c, 1000, "key-concurrent");
                }
              }));
    }
    start.countDown();
    List<String> results = new ArrayList<>();
    for (Future<String> f : answers) {
      results.add(f.get());
    }
    pool.shutdown();
    assertThat(results).filteredOn(r -> r.contains("\"replayed\": false")).hasSize(1);
    assertThat(results).filteredOn(r -> r.contains("\"replayed\": true")).hasSize(callers - 1);
    assertThat(results).allMatch(r -> r.contains("\"issued\": 1000"));
    assertThat(count("SELECT count(*) FROM vouchers WHERE issuance_key = 'key-concurrent'"))
        .isEqualTo(1000);
  }

  @Test
  void aKeyReusedForAnotherRequestIsRefused() throws SQLException {
    try (Connection c = db.connect()) {
      issue(c, 100, "key-reused");
      assertThatThrownBy(() -> issue(c, 200, "key-reused"))
          .hasMessageContaining("idempotency key key-reused was used for another request");
    }
    assertThat(count("SELECT count(*) FROM vouchers WHERE issuance_key = 'key-reused'"))
        .isEqualTo(100);
  }

  @Test
  void batchesOverTheLimitAreRefusedWithTheFix() throws SQLException {
    try (Connection c = db.connect()) {
      assertThatThrownBy(() -> issue(c, 5001, "key-too-big"))
          .hasMessageContaining("batch size must be between 1 and 5000, got 5001")
          .hasMessageContaining("split the issuance into batches of at most 5000");
      assertThat(issue(c, 5000, "key-largest")).contains("\"issued\": 5000");
    }
    assertThat(count("SELECT count(*) FROM vouchers WHERE issuance_key = 'key-too-big'")).isZero();
  }

  @Test
  void aBatchThatFailsHalfwayLeavesNoVoucherAndCanBeRetried() throws SQLException {
    // A real failure in the middle of the INSERT: the 500th row of this key trips a trigger.
    TestDatabases.exec(
        db.spec(),
        "CREATE FUNCTION fail_midway() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " IF NEW.issuance_key = 'key-fails' AND (SELECT count(*) FROM vouchers"
            + " WHERE issuance_key = 'key-fails') >= 499 THEN"
            + " RAISE EXCEPTION 'disk full (simulated)'; END IF; RETURN NEW; END $$;"
            + "CREATE TRIGGER fail_midway BEFORE INSERT ON vouchers FOR EACH ROW"
            + " EXECUTE FUNCTION fail_midway();");
    try (Connection c = db.connect()) {
      assertThatThrownBy(() -> issue(c, 1000, "key-fails")).hasMessageContaining("disk full");
      assertThat(count("SELECT count(*) FROM vouchers WHERE issuance_key = 'key-fails'")).isZero();
      assertThat(count("SELECT count(*) FROM idempotency_keys WHERE key = 'key-fails'")).isZero();
    } finally {
      TestDatabases.exec(db.spec(), "DROP TRIGGER fail_midway ON vouchers");
    }
    try (Connection c = db.connect()) {
      assertThat(issue(c, 1000, "key-fails")).contains("\"replayed\": false");
    }
    assertThat(count("SELECT count(*) FROM vouchers WHERE issuance_key = 'key-fails'"))
        .isEqualTo(1000);
  }

  @Test
  void aChannelNeverSendsMoreThanItsLimitInTheWindowEvenUnderConcurrency() throws Exception {
    int limit = 25;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Integer>> claimed = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      claimed.add(pool.submit(() -> claim(CAMPAIGN, 10, limit)));
    }
    int total = 0;
    for (Future<Integer> f : claimed) {
      total += f.get();
    }
    pool.shutdown();
    assertThat(total).isEqualTo(limit);
    assertThat(count("SELECT count(*) FROM channel_sends WHERE channel_id = '" + BIZ + "'"))
        .isEqualTo(limit);
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT next_slot_at > now() FROM claim_campaign_targets('"
                    + CAMPAIGN
                    + "', 10, "
                    + limit
                    + ")")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBoolean(1)).as("a full window says when the next slot opens").isTrue();
    }
  }

  @Test
  void aCampaignWithoutTargetsIsAnErrorNamingIt() {
    assertThatThrownBy(() -> claim(EMPTY_CAMPAIGN, 10, 250))
        .hasMessageContaining("campaign " + EMPTY_CAMPAIGN + " has no targets");
  }

  private static String issue(Connection c, int count, String key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT issue_vouchers(?::uuid, ?, 500, ?)::text")) {
      ps.setString(1, CAMPAIGN);
      ps.setInt(2, count);
      ps.setString(3, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static int claim(String campaign, int max, int limit) throws SQLException {
    try (Connection c = db.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(target_id) FROM claim_campaign_targets(?::uuid, ?, ?)")) {
      ps.setString(1, campaign);
      ps.setInt(2, max);
      ps.setInt(3, limit);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
