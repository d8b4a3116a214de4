package dev.critpath.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The client-computed messages.search must be exactly the server's to_tsvector('english', content):
 * checked on enough generated messages that every vocabulary word, term, template, ending, order
 * number and capitalised first word occurs many times.
 */
class SearchVectorsTest {
  private static final int MESSAGES = 200_000;

  static Database db;

  @BeforeAll
  static void open() {
    db = TestDatabases.migrated("search_vectors");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void everyGeneratedMessageGetsExactlyToTsvectorOfItsContent() throws Exception {
    TextGenerator text = new TextGenerator(MESSAGES, 7);
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      SearchVectors vectors = SearchVectors.analyse(c, text);
      st.execute("CREATE TEMP TABLE generated (k bigint, content text, search tsvector)");
      CopyWriter w =
          new CopyWriter(
              c.unwrap(PGConnection.class)
                  .getCopyAPI()
                  .copyIn("COPY generated FROM STDIN (FORMAT binary)"),
              rows -> {});
      byte[] scratch = new byte[text.maxLength()];
      for (long k = 1; k <= MESSAGES; k++) {
        String kind = k % 10 == 0 ? "system" : k % 10 == 1 ? "image" : "text";
        w.row(3);
        w.bigint(k);
        w.text(scratch, text.write(k, kind, scratch));
        vectors.write(text, w);
      }
      assertThat(w.finish()).isEqualTo(MESSAGES);
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*) FILTER (WHERE search IS DISTINCT FROM to_tsvector('english',"
                  + " content)), min(k) FILTER (WHERE search IS DISTINCT FROM"
                  + " to_tsvector('english', content)), count(DISTINCT l.lexeme)"
                  + " FROM generated LEFT JOIN LATERAL unnest(search) l ON true")) {
        rs.next();
        assertThat(rs.getLong(1))
            .as("messages whose vector differs, first k=" + rs.getLong(2))
            .isZero();
        assertThat(rs.getLong(3)).as("distinct lexemes covered").isGreaterThan(500);
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*) FILTER (WHERE content ~ '#[0-9]{5}'),"
                  + " count(*) FILTER (WHERE content ~ '^[A-Z]'),"
                  + " count(*) FILTER (WHERE content ~ '[.?!]$') FROM generated")) {
        rs.next();
        assertThat(rs.getLong(1)).as("order numbers").isGreaterThan(1_000);
        assertThat(rs.getLong(2)).as("capitalised first words").isGreaterThan(10_000);
        assertThat(rs.getLong(3)).as("punctuated endings").isGreaterThan(10_000);
      }
    }
  }

  @Test
  void verifyFailsTheSeedWhenAStoredVectorIsWrong() throws SQLException {
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute("CREATE TEMP TABLE messages (id uuid, content text, search tsvector)");
      st.execute(
          "INSERT INTO messages SELECT gen_random_uuid(), 'thanks for the invoice ' || g,"
              + " to_tsvector('english', 'thanks for the invoice ' || g)"
              + " FROM generate_series(1, 50) g");
      SearchVectors.verify(c, 50);
      st.execute(
          "UPDATE messages SET search = to_tsvector('english', 'something else')"
              + " WHERE content LIKE '%invoice 7'");
      assertThatThrownBy(() -> SearchVectors.verify(c, 50))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("1 of 50 sampled messages")
          .hasMessageContaining("to_tsvector('english', content)");
    }
  }
}
