package dev.critpath.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Dropped-index recipes survive any interruption and never build an index twice. */
class IndexManagerTest {

  @Test
  void aRecipeWhoseIndexWasAlreadyRebuiltIsOnlyForgotten() throws SQLException {
    try (Database db = TestDatabases.migrated("index_manager");
        Connection c = db.connect();
        Statement st = c.createStatement()) {
      IndexManager.ensurePendingTable(c);
      // What a connection lost between the rebuild and forgetting the recipe used to leave:
      // the primary key back in place, its recipe still pending.
      st.execute(
          "INSERT INTO "
              + IndexManager.PENDING_TABLE
              + " (name, table_name, restore_sql) VALUES ('conversation_participants_pkey',"
              + " 'conversation_participants', 'ALTER TABLE public.conversation_participants"
              + " ADD CONSTRAINT conversation_participants_pkey PRIMARY KEY (conversation_id,"
              + " profile_id)')");

      IndexManager.restoreAll(c);

      assertThat(IndexManager.pending(c)).isEmpty();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*) FROM pg_constraint WHERE conrelid ="
                  + " 'conversation_participants'::regclass AND contype = 'p'")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void aDroppedIndexIsRebuiltFromItsRecipe() throws SQLException {
    try (Database db = TestDatabases.migrated("index_manager_rebuild");
        Connection c = db.connect()) {
      IndexManager.ensurePendingTable(c);
      var before = IndexManager.snapshot(c);
      IndexManager.drop(c, IndexManager.droppable(c));
      assertThat(IndexManager.pending(c)).isNotEmpty();
      assertThat(IndexManager.snapshot(c)).isNotEqualTo(before);

      IndexManager.restoreAll(c);

      assertThat(IndexManager.pending(c)).isEmpty();
      assertThat(IndexManager.snapshot(c)).isEqualTo(before);
    }
  }
}
