package dev.critpath.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vacuum before each measurement leaves the planner's row counts as the seed set them. */
class BenchVacuumTest {

  @Test
  void rolledBackWritesAndRepeatedRunsDoNotShrinkThePlannersRowCount() throws Exception {
    Database db = Fixtures.seeded("bench-vacuum");
    StringWriter console = new StringWriter();
    BenchDatabase bench =
        new BenchDatabase(db, BenchSettings.of(BenchProfile.QUICK), new PrintWriter(console, true));
    bench.inspect(List.of());
    long rows = Fixtures.counts(db).get("messages");

    // what the explain stage and the rolled-back write paths leave behind, run after run
    for (int run = 0; run < 5; run++) {
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        c.setAutoCommit(false);
        st.execute(
            "INSERT INTO messages (id, conversation_id, business_id, sender_id, kind, content,"
                + " created_at) SELECT gen_random_uuid(), conversation_id, business_id,"
                + " sender_id, kind, content, created_at FROM messages LIMIT "
                + rows / 4);
        c.rollback();
      }
      bench.vacuum();
    }

    assertThat(console.toString()).doesNotContain("VACUUM failed");
    assertThat(
            TestDatabases.number(
                db, "SELECT reltuples::bigint FROM pg_class WHERE oid = 'messages'::regclass"))
        .isEqualTo(rows);
  }
}
