package dev.critpath.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

  @Test
  void runJsonSaysIncompleteUntilFinishedAndLatestFollowsNewestRun(@TempDir Path root)
      throws Exception {
    RunDirectory first = RunDirectory.create(root);
    first.put(Section.BENCH, Map.of("queries", 3));
    JsonNode during = Json.mapper().readTree(first.path().resolve("run.json").toFile());
    assertThat(during.get("completed").asBoolean()).isFalse();
    assertThat(during.get("schemaVersion").asInt()).isEqualTo(RunRecord.SCHEMA_VERSION);
    assertThat(during.at("/sections/bench/queries").asInt()).isEqualTo(3);

    first.record().finish(Instant.now(), true, "pass");
    first.save();
    JsonNode after = Json.mapper().readTree(first.path().resolve("run.json").toFile());
    assertThat(after.get("completed").asBoolean()).isTrue();
    assertThat(after.get("verdict").asText()).isEqualTo("pass");

    RunDirectory second = RunDirectory.create(root);
    assertThat(Files.readSymbolicLink(root.resolve("latest")))
        .isEqualTo(second.path().getFileName());
    try (var files = Files.list(second.path())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("run.json");
    }
  }
}
