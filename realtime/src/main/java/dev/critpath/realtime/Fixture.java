package dev.critpath.realtime;

import dev.critpath.db.Database;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The rows a realtime run needs, created for the run and deleted after it: one business, a sender
 * who takes part in every conversation, one profile per subscriber (a business member, so RLS lets
 * them see the business's conversations) and the conversations the subscribers are spread over. Ids
 * are random, outside the seeded id scheme, so a seeded dataset is never touched; the business name
 * carries {@value #NAME_PREFIX} so that a run killed before its cleanup is cleaned up by the next
 * one.
 */
final class Fixture implements AutoCloseable {
  static final String NAME_PREFIX = "critpath-realtime ";

  private final Database db;
  private final String tag = UUID.randomUUID().toString().substring(0, 8);
  private final UUID business = UUID.randomUUID();
  private final UUID sender = UUID.randomUUID();
  private final List<UUID> subscribers = new ArrayList<>();
  private final List<UUID> conversations = new ArrayList<>();

  private Fixture(Database db, int subscriberCount, int conversationCount) {
    this.db = db;
    for (int i = 0; i < subscriberCount; i++) {
      subscribers.add(UUID.randomUUID());
    }
    for (int i = 0; i < conversationCount; i++) {
      conversations.add(UUID.randomUUID());
    }
  }

  /** Creates the rows (after removing what a killed earlier run left behind). */
  static Fixture create(Database db, int subscriberCount, int conversationCount)
      throws SQLException {
    Fixture f = new Fixture(db, subscriberCount, conversationCount);
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      removeLeftovers(c);
      f.insert(c);
      c.commit();
    }
    return f;
  }

  UUID sender() {
    return sender;
  }

  UUID subscriber(int index) {
    return subscribers.get(index);
  }

  int conversationCount() {
    return conversations.size();
  }

  UUID conversation(int index) {
    return conversations.get(index);
  }

  /** Subscribers are dealt round-robin over the conversations. */
  int conversationOf(int subscriberIndex) {
    return subscriberIndex % conversations.size();
  }

  private void insert(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("INSERT INTO businesses (id, name, plan) VALUES (?, ?, 'pro')")) {
      ps.setObject(1, business);
      ps.setString(2, NAME_PREFIX + tag);
      ps.executeUpdate();
    }
    List<UUID> people = new ArrayList<>(subscribers);
    people.add(0, sender);
    String[] names = new String[people.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = "rt-" + tag + "-" + (i == 0 ? "sender" : "s" + i);
    }
    Array ids = c.createArrayOf("uuid", people.toArray());
    Array usernames = c.createArrayOf("text", names);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO profiles (id, business_id, username, full_name, email)"
                + " SELECT u.id, ?, u.name, u.name, u.name || '@critpath.invalid'"
                + " FROM unnest(?::uuid[], ?::text[]) AS u(id, name)")) {
      ps.setObject(1, business);
      ps.setArray(2, ids);
      ps.setArray(3, usernames);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO business_members (business_id, profile_id, role)"
                + " SELECT ?, u, 'agent' FROM unnest(?::uuid[]) AS u")) {
      ps.setObject(1, business);
      ps.setArray(2, ids);
      ps.executeUpdate();
    }
    // Participants: the sender and one subscriber, so each send updates one unread counter (a
    // group with every subscriber in it would make send_message pay for them all).
    try (PreparedStatement conv =
            c.prepareStatement(
                "INSERT INTO conversations (id, business_id, kind, channel, title, participants)"
                    + " VALUES (?, ?, 'group', 'app', ?, ?)");
        PreparedStatement part =
            c.prepareStatement(
                "INSERT INTO conversation_participants (conversation_id, profile_id)"
                    + " VALUES (?, ?), (?, ?)")) {
      for (int i = 0; i < conversations.size(); i++) {
        UUID first = subscribers.isEmpty() ? sender : subscribers.get(i % subscribers.size());
        conv.setObject(1, conversations.get(i));
        conv.setObject(2, business);
        conv.setString(3, "realtime " + tag + " #" + (i + 1));
        conv.setArray(4, c.createArrayOf("uuid", new Object[] {sender, first}));
        conv.addBatch();
        part.setObject(1, conversations.get(i));
        part.setObject(2, sender);
        part.setObject(3, conversations.get(i));
        part.setObject(4, first);
        part.addBatch();
      }
      conv.executeBatch();
      part.executeBatch();
    }
  }

  /** Deletes the run's rows: conversations take their messages and participants along. */
  @Override
  public void close() throws SQLException {
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      delete(c, business);
      c.commit();
    }
  }

  private static void delete(Connection c, UUID businessId) throws SQLException {
    for (String sql :
        List.of(
            "DELETE FROM conversations WHERE business_id = ?",
            "DELETE FROM business_members WHERE business_id = ?",
            "DELETE FROM profiles WHERE business_id = ?",
            "DELETE FROM businesses WHERE id = ?")) {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setObject(1, businessId);
        ps.executeUpdate();
      }
    }
  }

  /** Fixtures of runs that died more than an hour ago (a live run is never that old). */
  private static void removeLeftovers(Connection c) throws SQLException {
    List<UUID> stale = new ArrayList<>();
    try (Statement st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT id FROM businesses WHERE name LIKE '"
                    + NAME_PREFIX
                    + "%' AND created_at < now() - interval '1 hour'")) {
      while (rs.next()) {
        stale.add(rs.getObject(1, UUID.class));
      }
    }
    for (UUID id : stale) {
      delete(c, id);
    }
  }
}
