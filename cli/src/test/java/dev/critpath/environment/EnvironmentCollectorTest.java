package dev.critpath.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.io.Json;
import dev.critpath.report.env.Environment;
import dev.critpath.report.schema.RunSchema;
import dev.critpath.run.RunDirectory;
import dev.critpath.run.Section;
import dev.critpath.testkit.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment section from a real server: version, settings, extensions, indexes. */
class EnvironmentCollectorTest {
  private static Database db;

  @BeforeAll
  static void open() {
    db = TestDatabases.migrated("environment");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void collectsServerClientAndIndexesWithoutSecrets(@TempDir Path root) throws Exception {
    Environment env = EnvironmentCollector.collect(db);

    assertThat(env.postgres().version()).matches("PostgreSQL 1[5-9][.0-9]*");
    assertThat(env.postgres().versionNum()).isGreaterThanOrEqualTo(150000);
    assertThat(env.postgres().settings())
        .containsKeys("shared_buffers", "work_mem", "random_page_cost", "jit");
    assertThat(env.postgres().extensions())
        .anySatisfy(e -> assertThat(e.name()).isEqualTo("plpgsql"));
    assertThat(env.postgres().indexes()).containsKey("public.messages_conversation_created_idx");
    assertThat(env.host().cores()).isPositive();
    assertThat(env.host().memoryBytes()).isPositive();
    assertThat(env.jvm().version()).isNotBlank();
    assertThat(env.critpath().version()).isNotBlank();

    String json = Json.write(env);
    assertThat(json).doesNotContain(db.spec().credentials().getProperty("password", "\u0000"));

    RunDirectory run = RunDirectory.create(root);
    run.put(Section.ENVIRONMENT, env);
    run.record().finish(Instant.now(), true, "pass");
    run.save();
    assertThat(RunSchema.validate(run.path().resolve("run.json"))).isEmpty();
  }

  @Test
  void clientOnlyEnvironmentNeedsNoDatabase() {
    Environment env = EnvironmentCollector.collectClient();
    assertThat(env.postgres()).isNull();
    assertThat(env.host().cores()).isPositive();
  }
}
