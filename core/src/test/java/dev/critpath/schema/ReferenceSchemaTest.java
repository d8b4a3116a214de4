package dev.critpath.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.db.Database;
import dev.critpath.db.RequestContext;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reference schema's promises: RLS isolation, exactly-once redemption, idempotent sends. */
class ReferenceSchemaTest {
  static final String BIZ_A = "00000001-0000-4000-8000-000000000001";
  static final String BIZ_B = "00000001-0000-4000-8000-000000000002";
  static final String ALICE = "00000000-0000-4000-8000-000000000001"; // business A
  static final String AMIR = "00000000-0000-4000-8000-000000000002"; // business A
  static final String BOB = "00000000-0000-4000-8000-000000000003"; // business B
  static final String CONV_A = "00000002-0000-4000-8000-000000000001";
  static final String CONV_B = "00000002-0000-4000-8000-000000000002";
  static final String STATION = "00000005-0000-4000-8000-000000000001";

  static Database db;

  @BeforeAll
  static void fixtures() {
    db = TestDatabases.migrated("reference_schema");
    TestDatabases.exec(
        db.spec(),
        String.join(
            "\n",
            "INSERT INTO businesses (id, name) VALUES ('"
                + BIZ_A
                + "', 'A'), ('"
                + BIZ_B
                + "', 'B');",
            "INSERT INTO profiles (id, business_id, username, full_name, email) VALUES",
            "  ('" + ALICE + "', '" + BIZ_A + "', 'alice', 'Alice', 'a@x'),",
            "  ('" + AMIR + "', '" + BIZ_A + "', 'amir', 'Amir', 'm@x'),",
            "  ('" + BOB + "', '" + BIZ_B + "', 'bob', 'Bob', 'b@x');",
            "INSERT INTO business_members (business_id, profile_id) VALUES",
            "  ('" + BIZ_A + "', '" + ALICE + "'), ('" + BIZ_A + "', '" + AMIR + "'), ('" + BIZ_B
                + "', '" + BOB + "');",
            "INSERT INTO conversations (id, business_id, participants) VALUES",
            "  ('"
                + CONV_A
                + "', '"
                + BIZ_A
                + "', ARRAY['"
                + ALICE
                + "', '"
                + AMIR
                + "']::uuid[]),",
            "  ('" + CONV_B + "', '" + BIZ_B + "', ARRAY['" + BOB + "']::uuid[]);",
            "INSERT INTO conversation_participants (conversation_id, profile_id) VALUES",
            "  ('" + CONV_A + "', '" + ALICE + "'), ('" + CONV_A + "', '" + AMIR + "'), ('" + CONV_B
                + "', '" + BOB + "');",
            "INSERT INTO messages (id, conversation_id, business_id, sender_id, content) VALUES",
            "  (gen_random_uuid(), '"
                + CONV_A
                + "', '"
                + BIZ_A
                + "', '"
                + ALICE
                + "', 'hello from A'),",
            "  (gen_random_uuid(), '"
                + CONV_B
                + "', '"
                + BIZ_B
                + "', '"
                + BOB
                + "', 'secret of B');",
            "INSERT INTO stations (id, business_id, name) VALUES ('"
                + STATION
                + "', '"
                + BIZ_A
                + "', 'S1');",
            "INSERT INTO campaigns (id, business_id, name, status) VALUES",
            "  ('00000004-0000-4000-8000-000000000001', '" + BIZ_A + "', 'C1', 'active');",
            "INSERT INTO vouchers (id, campaign_id, business_id, code, amount_cents, expires_at) VALUES",
            "  (gen_random_uuid(), '00000004-0000-4000-8000-000000000001', '"
                + BIZ_A
                + "', 'ONE-VOUCHER', 500, now() + interval '1 day'),",
            "  (gen_random_uuid(), '00000004-0000-4000-8000-000000000001', '"
                + BIZ_A
                + "', 'IDEMPOTENT', 500, now() + interval '1 day'),",
            "  (gen_random_uuid(), '00000004-0000-4000-8000-000000000001', '"
                + BIZ_A
                + "', 'OLD', 500, now() - interval '1 day');"));
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void usersSeeOnlyTheirOwnBusinessesMessages() throws SQLException {
    assertThat(visibleMessages(ALICE)).containsExactly("hello from A");
    assertThat(visibleMessages(BOB)).containsExactly("secret of B");
  }

  @Test
  void conversationListShowsOnlyTheCallersConversations() throws SQLException {
    assertThat(strings(ALICE, "authenticated", "SELECT id::text FROM conversation_list"))
        .containsExactly(CONV_A);
    assertThat(strings(BOB, "authenticated", "SELECT id::text FROM conversation_list"))
        .containsExactly(CONV_B);
  }

  @Test
  void anonReadsNothingPrivate() {
    assertThatThrownBy(() -> strings(null, "anon", "SELECT content FROM messages"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("permission denied");
  }

  @Test
  void sendMessageRejectsOutsidersAndIsIdempotentPerClientId() throws SQLException {
    String clientId = "0000000a-0000-4000-8000-000000000001";
    String sql =
        "SELECT message_id::text FROM send_message('"
            + CONV_A
            + "', 'retry me', 'text', '"
            + clientId
            + "')";
    String first = strings(ALICE, "authenticated", sql).get(0);
    String retry = strings(ALICE, "authenticated", sql).get(0);
    assertThat(retry).isEqualTo(first);
    assertThat(
            strings(
                ALICE,
                "authenticated",
                "SELECT count(*)::text FROM messages WHERE client_id = '" + clientId + "'"))
        .containsExactly("1");
    assertThat(strings(AMIR, "authenticated", "SELECT unread_count::text FROM conversation_list"))
        .containsExactly("1");
    assertThatThrownBy(
            () ->
                strings(
                    BOB,
                    "authenticated",
                    "SELECT * FROM send_message('" + CONV_A + "', 'intrude')"))
        .hasMessageContaining("not a participant");
  }

  @Test
  void redeemIsExactlyOnceUnderConcurrency() throws Exception {
    int threads = 32;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    try (var ds = db.pool(threads)) {
      for (int i = 0; i < threads; i++) {
        Callable<String> redeem =
            () -> {
              try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                RequestContext.apply(c, "authenticated", ALICE);
                start.await();
                String status =
                    first(
                        c, "SELECT redeem_voucher('ONE-VOUCHER', '" + STATION + "') ->> 'status'");
                c.commit();
                return status;
              }
            };
        results.add(pool.submit(redeem));
      }
      start.countDown();
      List<String> statuses = new ArrayList<>();
      for (Future<String> f : results) {
        statuses.add(f.get());
      }
      assertThat(statuses).filteredOn("redeemed"::equals).hasSize(1);
      assertThat(statuses).filteredOn("already_redeemed"::equals).hasSize(threads - 1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(
            strings(
                null,
                "postgres",
                "SELECT count(*)::text FROM redemptions r JOIN vouchers v ON v.id = r.voucher_id WHERE v.code = 'ONE-VOUCHER'"))
        .containsExactly("1");
  }

  @Test
  void redeemReplaysIdempotencyKeyAndRefusesExpired() throws SQLException {
    String call = "SELECT redeem_voucher('IDEMPOTENT', '" + STATION + "', 'key-1')::text";
    String first = strings(ALICE, "authenticated", call).get(0);
    String replay = strings(ALICE, "authenticated", call).get(0);
    assertThat(first).contains("\"status\": \"redeemed\"");
    assertThat(replay).contains("\"status\": \"redeemed\"").contains("\"replayed\": true");
    assertThat(
            strings(
                ALICE,
                "authenticated",
                "SELECT redeem_voucher('OLD', '" + STATION + "') ->> 'status'"))
        .containsExactly("expired");
    assertThat(
            strings(
                ALICE,
                "authenticated",
                "SELECT redeem_voucher('NOPE', '" + STATION + "') ->> 'status'"))
        .containsExactly("not_found");
  }

  private static List<String> visibleMessages(String user) throws SQLException {
    return strings(user, "authenticated", "SELECT content FROM messages ORDER BY content");
  }

  /** Runs a query in one transaction as role/user (role "postgres": as the owner) and commits. */
  private static List<String> strings(String user, String role, String sql) throws SQLException {
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      if (!role.equals("postgres")) {
        RequestContext.apply(c, role, user);
      }
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(sql);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      c.commit();
      return out;
    }
  }

  private static String first(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }
}
