package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.db.Database;
import dev.critpath.seed.SeedReport;
import dev.critpath.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeedCommandTest {

  @Test
  void seedsTheTinyProfileAndWritesTheSummary(@TempDir Path out) throws Exception {
    try (Database db = TestDatabases.migrated("cli_seed")) {
      CliRun run =
          CliRun.of(
              "seed",
              "--profile",
              "tiny",
              "--seed",
              "7",
              "--anchor",
              "2025-06-01",
              "--db-url",
              CliRun.dbUrl(db.spec()),
              "--out",
              out.toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).contains("messages", "5,000", "fingerprint", "seed-summary.json");
      assertThat(run.err()).contains("seed: messages").doesNotContain(db.spec().password());
      String json = Files.readString(out.resolve(SeedReport.FILE_NAME));
      assertThat(json).contains("\"profile\" : \"tiny\"", "\"seed\" : 7", "2025-06-01T00:00:00Z");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--profile huge | unknown seed profile 'huge'",
        "--scale -1 | --scale must be a number above 0",
        "--scale 1e9 | --scale must be a number above 0",
        "--jobs 0 | --jobs must be between 1",
        "--anchor yesterday | --anchor 'yesterday' is not a date"
      })
  void badInputIsOneLineAndExitCodeTwo(String option, String expected) {
    String[] parts = option.split(" ");
    CliRun run = CliRun.of("seed", parts[0], parts[1], "--db-url", "postgresql://u@127.0.0.1:1/x");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(expected);
    assertThat(run.errLines()).as(run.err()).isEqualTo(1);
  }

  @Test
  void aDatabaseWithoutTheSchemaSaysToMigrate() {
    try (Database db = TestDatabases.empty("cli_seed_empty")) {
      CliRun run = CliRun.of("seed", "--profile", "tiny", "--db-url", CliRun.dbUrl(db.spec()));
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("run ./run.sh migrate first");
    }
  }
}
