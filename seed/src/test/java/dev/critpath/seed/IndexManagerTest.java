package dev.critpath.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a bulk load drops (indexes, keys with the foreign keys that need them, triggers), that the
 * recipes survive any interruption, and that nothing is ever built twice.
 */
class IndexManagerTest {

  @Test
  void aRecipeWhoseIndexWasAlreadyRebuiltIsOnlyForgotten() throws SQLException {
    try (Database db = TestDatabases.migrated("index_manager");
        Connection c = db.connect();
        Statement st = c.createStatement()) {
      IndexManager.ensurePendingTable(c);
      // What a connection lost between the rebuild and forgetting the recipe used to leave:
      // the primary key back in place, its recipe still pending (written before recipes had a
      // kind, as an older critpath wrote them).
      st.execute(
          "INSERT INTO "
              + IndexManager.PENDING_TABLE
              + " (name, table_name, restore_sql) VALUES ('conversation_participants_pkey',"
              + " 'conversation_participants', 'ALTER TABLE public.conversation_participants"
              + " ADD CONSTRAINT conversation_participants_pkey PRIMARY KEY (conversation_id,"
              + " profile_id)')");

      IndexManager.restoreAll(c);

      assertThat(IndexManager.pending(c)).isEmpty();
      assertThat(
              count(
                  st,
                  "pg_constraint WHERE conrelid = 'conversation_participants'::regclass"
                      + " AND contype = 'p'"))
          .isEqualTo(1);
    }
  }

  @Test
  void everythingDroppedIsRebuiltFromItsRecipesKeysBeforeTheForeignKeysThatNeedThem()
      throws SQLException {
    try (Database db = TestDatabases.migrated("index_manager_rebuild");
        Connection c = db.connect();
        Statement st = c.createStatement()) {
      IndexManager.ensurePendingTable(c);
      var before = IndexManager.snapshot(c);
      List<IndexManager.Dropped> dropped = IndexManager.droppable(c);
      assertThat(dropped)
          .extracting(IndexManager.Dropped::toString)
          .contains(
              "index messages_pkey",
              "index messages_content_trgm_idx",
              "foreign key message_read_receipts_message_id_fkey",
              "trigger messages_search_sync");
      IndexManager.drop(c, dropped);
      assertThat(count(st, "pg_indexes WHERE schemaname = 'public' AND tablename = 'messages'"))
          .isZero();
      assertThat(count(st, "pg_trigger WHERE tgrelid = 'messages'::regclass")).isZero();
      // Replayed in recipe-name order, this foreign key would come before the key it needs.
      assertThat(IndexManager.pending(c))
          .extracting(IndexManager.Dropped::toString)
          .containsSubsequence("index messages_pkey", "foreign key attachments_message_id_fkey");

      IndexManager.restoreAll(c);

      assertThat(IndexManager.pending(c)).isEmpty();
      assertThat(IndexManager.snapshot(c)).isEqualTo(before);
    }
  }

  @Test
  void aKeyReferencedFromOutsideTheSeededTablesStaysAndSoDoItsForeignKeys() throws SQLException {
    try (Database db = TestDatabases.migrated("index_manager_foreign");
        Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE public.app_bookmarks (message_id uuid REFERENCES messages (id))");
      // Re-adding a foreign key validates it: one the owner left NOT VALID must stay as it is.
      st.execute(
          "ALTER TABLE vouchers ADD CONSTRAINT vouchers_issued_by_station"
              + " FOREIGN KEY (business_id) REFERENCES businesses (id) NOT VALID");

      List<String> dropped =
          IndexManager.droppable(c).stream().map(IndexManager.Dropped::toString).toList();

      assertThat(dropped)
          .doesNotContain(
              "index messages_pkey",
              "foreign key message_read_receipts_message_id_fkey",
              "foreign key attachments_message_id_fkey",
              "index businesses_pkey",
              "foreign key vouchers_issued_by_station",
              "foreign key messages_business_id_fkey")
          .contains(
              "index messages_content_trgm_idx",
              "index profiles_pkey",
              "foreign key messages_sender_id_fkey");
    }
  }

  @Test
  void aDisabledTriggerIsLeftAlone() throws SQLException {
    try (Database db = TestDatabases.migrated("index_manager_trigger");
        Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("ALTER TABLE messages DISABLE TRIGGER messages_search_sync");

      assertThat(IndexManager.droppable(c))
          .extracting(IndexManager.Dropped::toString)
          .doesNotContain("trigger messages_search_sync");
    }
  }

  private static long count(Statement st, String fromWhere) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + fromWhere)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
