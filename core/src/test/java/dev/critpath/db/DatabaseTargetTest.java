package dev.critpath.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseTargetTest {
  private static final Map<String, String> ENV =
      Map.of("DATABASE_URL", "postgresql://env@envhost/envdb", "PGHOST", "pghost");

  @Test
  void optionWinsOverEnvironment() {
    DatabaseTarget t = DatabaseTarget.resolve("postgresql://opt@opthost/optdb", null, null, ENV);
    assertThat(t).isInstanceOf(DatabaseTarget.External.class);
    assertThat(((DatabaseTarget.External) t).spec().host()).isEqualTo("opthost");
  }

  @Test
  void databaseUrlWinsOverPgVariables() {
    DatabaseTarget t = DatabaseTarget.resolve(null, null, null, ENV);
    assertThat(((DatabaseTarget.External) t).spec().host()).isEqualTo("envhost");
    assertThat(((DatabaseTarget.External) t).source()).isEqualTo("DATABASE_URL");
  }

  @Test
  void pgVariablesWhenNoUrl() {
    DatabaseTarget t = DatabaseTarget.resolve(null, null, null, Map.of("PGHOST", "pghost"));
    assertThat(((DatabaseTarget.External) t).spec().host()).isEqualTo("pghost");
  }

  @Test
  void embeddedWhenNothingGiven() {
    Path kept = Path.of("/tmp/kept");
    assertThat(DatabaseTarget.resolve(null, null, kept, Map.of()))
        .isEqualTo(new DatabaseTarget.Embedded(kept));
  }

  @Test
  void dbOptionChoosesContainerOverEnvironment() {
    assertThat(DatabaseTarget.resolve(null, "container:supabase/postgres:15.8.1.060", null, ENV))
        .isEqualTo(new DatabaseTarget.Container("supabase/postgres:15.8.1.060"));
    assertThat(DatabaseTarget.resolve(null, "container", null, ENV))
        .isEqualTo(new DatabaseTarget.Container("postgres:17"));
  }

  @Test
  void rejectsUnknownDbKindAndConflictingOptions() {
    assertThatThrownBy(() -> DatabaseTarget.resolve(null, "oracle", null, Map.of()))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("unknown --db value 'oracle'");
    assertThatThrownBy(
            () -> DatabaseTarget.resolve("postgresql://a@b/c", "embedded", null, Map.of()))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("not both");
  }
}
