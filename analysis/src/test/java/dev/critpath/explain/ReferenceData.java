package dev.critpath.explain;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A small, skewed dataset for the reference schema, in the seeder's id scheme: 3 businesses, 60
 * users, 300 conversations of two participants, ~11,000 messages of which 5,000 are in conversation
 * 1 (the hot key), vouchers and stations. Enough rows that the planner prefers the indexes the
 * catalog expects, small enough to load in about a second.
 */
final class ReferenceData {
  static final int BUSINESSES = 3;
  static final int USERS = 60;
  static final int CONVERSATIONS = 300;
  static final int HOT_MESSAGES = 5_000;
  static final int MESSAGES_PER_CONVERSATION = 20;
  static final int VOUCHERS = 2_000;

  private ReferenceData() {}

  static void load(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(
          "CREATE FUNCTION pg_temp.id(code int, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS"
              + " $$ SELECT (lpad(to_hex(code), 8, '0') || '-0000-4000-8000-'"
              + " || lpad(n::text, 12, '0'))::uuid $$");
      st.execute(
          "INSERT INTO businesses (id, name) SELECT pg_temp.id(1, b), 'business ' || b"
              + " FROM generate_series(1, "
              + BUSINESSES
              + ") b");
      st.execute(
          "INSERT INTO profiles (id, business_id, username, full_name, email)"
              + " SELECT pg_temp.id(0, u), pg_temp.id(1, (u - 1) % "
              + BUSINESSES
              + " + 1),"
              + " 'user' || u, 'User ' || u, 'user' || u || '@example.com'"
              + " FROM generate_series(1, "
              + USERS
              + ") u");
      st.execute(
          "INSERT INTO business_members (business_id, profile_id)"
              + " SELECT business_id, id FROM profiles");
      // conversation k: users a and a + BUSINESSES, same business
      st.execute(
          "INSERT INTO conversations (id, business_id, participants, last_message_at)"
              + " SELECT pg_temp.id(2, k), pg_temp.id(1, (a - 1) % "
              + BUSINESSES
              + " + 1),"
              + " ARRAY[pg_temp.id(0, a), pg_temp.id(0, a + "
              + BUSINESSES
              + ")],"
              + " now() - k * interval '1 minute'"
              + " FROM generate_series(1, "
              + CONVERSATIONS
              + ") k,"
              + " LATERAL (SELECT (k - 1) % ("
              + USERS
              + " - "
              + BUSINESSES
              + ") + 1 AS a) x");
      st.execute(
          "INSERT INTO conversation_participants (conversation_id, profile_id)"
              + " SELECT id, unnest(participants) FROM conversations");
      st.execute(
          "INSERT INTO messages (id, conversation_id, business_id, sender_id, content, created_at)"
              + " SELECT gen_random_uuid(), c.id, c.business_id, c.participants[1 + n % 2],"
              + " 'message ' || n || ' about the order', now() - n * interval '1 second'"
              + " FROM conversations c, LATERAL generate_series(1, CASE WHEN c.id = pg_temp.id(2, 1)"
              + " THEN "
              + HOT_MESSAGES
              + " ELSE "
              + MESSAGES_PER_CONVERSATION
              + " END) n");
      st.execute(
          "INSERT INTO stations (id, business_id, name) SELECT pg_temp.id(5, b), pg_temp.id(1, b),"
              + " 'station ' || b FROM generate_series(1, "
              + BUSINESSES
              + ") b");
      st.execute(
          "INSERT INTO campaigns (id, business_id, name, status) SELECT pg_temp.id(4, b),"
              + " pg_temp.id(1, b), 'campaign ' || b, 'active' FROM generate_series(1, "
              + BUSINESSES
              + ") b");
      st.execute(
          "INSERT INTO vouchers (id, campaign_id, business_id, code, amount_cents, expires_at)"
              + " SELECT pg_temp.id(6, v), pg_temp.id(4, (v - 1) % "
              + BUSINESSES
              + " + 1),"
              + " pg_temp.id(1, (v - 1) % "
              + BUSINESSES
              + " + 1), 'CODE' || lpad(v::text, 8, '0'),"
              + " 500, now() + interval '30 days' FROM generate_series(1, "
              + VOUCHERS
              + ") v");
      st.execute("VACUUM ANALYZE");
    }
  }
}
