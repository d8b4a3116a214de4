package dev.critpath.bench;

import dev.critpath.dataset.DatasetSummary;
import dev.critpath.dataset.Ids;
import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small dataset in the seeder's shape (deterministic ids, a summary in the marker). */
final class Fixtures {
  static final int BUSINESSES = 2;
  static final int USERS = 8;
  static final int CONVERSATIONS = 6;
  static final int MESSAGES = 300;
  static final int VOUCHERS = 60;
  static final List<String> TABLES =
      List.of(
          "businesses",
          "profiles",
          "business_members",
          "conversations",
          "conversation_participants",
          "messages",
          "message_read_receipts",
          "stations",
          "campaigns",
          "vouchers",
          "redemptions",
          "idempotency_keys");

  private Fixtures() {}

  private static String id(int entity, String index) {
    return "(lpad(to_hex("
        + entity
        + "), 8, '0') || '-0000-4000-8000-' || lpad(("
        + index
        + ")::text, 12, '0'))::uuid";
  }

  /** A migrated database holding the fixture dataset. */
  static Database seeded(String purpose) {
    Database db = TestDatabases.migrated(purpose);
    String b = "((g - 1) % " + BUSINESSES + " + 1)";
    String sql =
        String.join(
            "\n",
            "INSERT INTO businesses (id, name) SELECT "
                + id(1, "g")
                + ", 'business ' || g"
                + " FROM generate_series(1, "
                + BUSINESSES
                + ") g;",
            "INSERT INTO profiles (id, business_id, username, full_name, email) SELECT "
                + id(0, "g")
                + ", "
                + id(1, b)
                + ", 'user' || g, 'User ' || g, 'u' || g || '@x'"
                + " FROM generate_series(1, "
                + USERS
                + ") g;",
            "INSERT INTO business_members (business_id, profile_id) SELECT "
                + id(1, b)
                + ", "
                + id(0, "g")
                + " FROM generate_series(1, "
                + USERS
                + ") g;",
            "INSERT INTO conversations (id, business_id, participants, last_message_at) SELECT "
                + id(2, "g")
                + ", "
                + id(1, b)
                + ", ARRAY["
                + id(0, "g")
                + ", "
                + id(0, "g + " + BUSINESSES)
                + "], now() - g * interval '1 hour'"
                + " FROM generate_series(1, "
                + CONVERSATIONS
                + ") g;",
            "INSERT INTO conversation_participants (conversation_id, profile_id, unread_count)"
                + " SELECT c.id, p, 3 FROM conversations c, unnest(c.participants) p;",
            "INSERT INTO messages (id, conversation_id, business_id, sender_id, content,"
                + " created_at) SELECT "
                + id(3, "g")
                + ", c.id, c.business_id,"
                + " c.participants[1 + g % 2], CASE WHEN g % 3 = 0 THEN 'refund please #' || g"
                + " ELSE 'hello there #' || g END, now() - g * interval '1 minute'"
                + " FROM generate_series(1, "
                + MESSAGES
                + ") g"
                + " JOIN conversations c ON c.id = "
                + id(2, "(g % " + CONVERSATIONS + ") + 1")
                + ";",
            "INSERT INTO message_read_receipts (message_id, profile_id)"
                + " SELECT m.id, c.participants[1] FROM messages m"
                + " JOIN conversations c ON c.id = m.conversation_id WHERE m.created_at <"
                + " now() - interval '2 hours';",
            "INSERT INTO stations (id, business_id, name) SELECT "
                + id(5, "g")
                + ", "
                + id(1, b)
                + ", 'station ' || g FROM generate_series(1, "
                + BUSINESSES
                + ") g;",
            "INSERT INTO campaigns (id, business_id, name, status) SELECT "
                + id(4, "g")
                + ", "
                + id(1, b)
                + ", 'campaign ' || g, 'active' FROM generate_series(1, "
                + BUSINESSES
                + ") g;",
            "INSERT INTO vouchers (id, campaign_id, business_id, code, amount_cents, expires_at)"
                + " SELECT "
                + id(6, "g")
                + ", "
                + id(4, b)
                + ", "
                + id(1, b)
                + ", 'CODE' || lpad(g::text, 6, '0'), 500, now() + interval '30 days'"
                + " FROM generate_series(1, "
                + VOUCHERS
                + ") g;",
            "ANALYZE;");
    TestDatabases.exec(db.spec(), sql);
    Map<Ids.Entity, Long> entities = new LinkedHashMap<>();
    entities.put(Ids.Entity.USER, (long) USERS);
    entities.put(Ids.Entity.BUSINESS, (long) BUSINESSES);
    entities.put(Ids.Entity.CONVERSATION, (long) CONVERSATIONS);
    entities.put(Ids.Entity.MESSAGE, (long) MESSAGES);
    entities.put(Ids.Entity.VOUCHER, (long) VOUCHERS);
    DatasetSummary summary =
        new DatasetSummary(
            "fixture",
            1,
            "fixture-1",
            Instant.now(),
            counts(db),
            entities,
            List.of(
                new DatasetSummary.SearchTerm("refund", "common", 0.33),
                new DatasetSummary.SearchTerm("hello", "common", 0.66)));
    TestDatabases.exec(
        db.spec(),
        "UPDATE critpath.marker SET dataset_profile = 'fixture', dataset_summary = '"
            + Json.write(summary).replace("'", "''")
            + "'::jsonb");
    return db;
  }

  /** Row count of every reference table. */
  static Map<String, Long> counts(Database db) {
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      for (String t : TABLES) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t)) {
          rs.next();
          out.put(t, rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
