package dev.critpath.bench;

import dev.critpath.db.Database;
import dev.critpath.seed.SeedOptions;
import dev.critpath.seed.Seeder;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The seeder's tiny dataset on a fresh migrated database, and row counts to compare. */
final class Fixtures {
  static final List<String> TABLES =
      List.of(
          "businesses",
          "profiles",
          "business_members",
          "conversations",
          "conversation_participants",
          "messages",
          "message_read_receipts",
          "attachments",
          "stations",
          "campaigns",
          "campaign_targets",
          "vouchers",
          "redemptions",
          "idempotency_keys");

  private Fixtures() {}

  /** A migrated database holding the tiny profile. */
  static Database seeded(String purpose) {
    Database db = TestDatabases.migrated(purpose);
    Seeder.seed(db, SeedOptions.of(dev.critpath.seed.Profile.TINY));
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
