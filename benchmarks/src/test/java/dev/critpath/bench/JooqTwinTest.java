package dev.critpath.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.bench.jooq.ConversationListTable;
import dev.critpath.db.Database;
import dev.critpath.testkit.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Field;
import org.junit.jupiter.api.Test;

/** The hand-written jOOQ table must match the view the migrations create, column for column. */
class JooqTwinTest {
  static final Map<String, Class<?>> JAVA_TYPES =
      Map.of(
          "uuid", UUID.class,
          "_uuid", UUID[].class,
          "text", String.class,
          "timestamptz", OffsetDateTime.class,
          "int4", Integer.class);

  @Test
  void typedTableMatchesTheMigratedView() throws SQLException {
    List<String> schema = new ArrayList<>();
    try (Database db = TestDatabases.migrated("jooq_twin");
        Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT column_name, udt_name FROM information_schema.columns"
                    + " WHERE table_schema = 'public' AND table_name = 'conversation_list'"
                    + " ORDER BY ordinal_position")) {
      while (rs.next()) {
        schema.add(rs.getString(1) + ":" + JAVA_TYPES.get(rs.getString(2)).getSimpleName());
      }
    }
    List<String> typed = new ArrayList<>();
    for (Field<?> f : ConversationListTable.CONVERSATION_LIST.fields()) {
      typed.add(f.getName() + ":" + f.getType().getSimpleName());
    }
    assertThat(typed).isEqualTo(schema);
  }

  @Test
  void theJooqPathIsRegisteredAsTwinOfConversationList() {
    assertThat(BenchPath.javaPaths())
        .anySatisfy(
            p -> {
              assertThat(p.name()).isEqualTo("conversation_list_jooq");
              assertThat(p.twinOf()).isEqualTo("conversation_list");
            });
  }
}
