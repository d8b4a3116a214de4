package dev.critpath.report.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.io.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlanParserTest {
  private static final Path RUN = Path.of("src/test/resources/runs/real-explain");

  /**
   * A real explain run: the fingerprint its explain stage recorded for each plan is the one the
   * report computes from the raw plan file, so a comparison of an old run's recorded analysis with
   * a new run's raw plan does not report a plan change that did not happen.
   */
  @Test
  void fingerprintOfARawPlanIsTheOneTheExplainStageRecorded() throws Exception {
    JsonNode run = Json.mapper().readTree(RUN.resolve("run.json").toFile());
    int compared = 0;
    for (JsonNode query : run.at("/sections/explain/queries")) {
      for (JsonNode plan : query.path("plans")) {
        String file = plan.path("file").asText();
        PlanView parsed =
            PlanParser.parse(Json.mapper().readTree(RUN.resolve(file).toFile()), file);
        assertThat(parsed.fingerprint())
            .as(file)
            .isEqualTo(plan.at("/analysis/fingerprint").asText());
        compared++;
      }
    }
    assertThat(compared).isGreaterThanOrEqualTo(5);
  }
}
