package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.http.scenario.RampStage;
import dev.critpath.http.scenario.ScenarioFile;
import dev.critpath.http.scenario.ScenarioParser;
import dev.critpath.http.scenario.ScenarioSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShortScenariosTest {

  @Test
  void scalesHowLongThingsLastAndNothingElse() {
    String yaml =
        """
        scenarios:
          warm:
            duration: 15s
            startTime: 0s
            thinkTime: 200ms..600ms
            timeUnit: 1s
            rate: 60
          burst:
            stages:
              - {duration: 3s, target: 20}
        requests:
          upload:
            timeout: 30s
        """;

    String scaled = ShortScenarios.scale(yaml, 0.1);

    assertThat(scaled)
        .contains("duration: 1500ms", "startTime: 0ms", "thinkTime: 50ms..60ms")
        .contains("{duration: 300ms, target: 20}")
        .contains("timeUnit: 1s", "rate: 60", "timeout: 30s");
  }

  @Test
  void aCountTheWholeRunMustReachShrinksWithIt() {
    String yaml =
        """
        waba:
          minPerMinute: 100
          maxRefusedShare: 0.05
          minSent: 250
        """;

    assertThat(ShortScenarios.scale(yaml, 0.1))
        .contains("minSent: 25", "minPerMinute: 100", "maxRefusedShare: 0.05");
    assertThat(ShortScenarios.scale("waba: {minSent: 3}", 0.1)).contains("minSent: 1");
  }

  @Test
  void everyBundledScenarioStillParsesAndLastsAboutATenth(@TempDir Path dir) {
    ScenarioParser parser = new ScenarioParser(Map.of());
    List<String> files = ShortScenarios.write(dir, 0.1);

    assertThat(files).hasSize(HttpStage.BUNDLED.size());
    for (int i = 0; i < files.size(); i++) {
      String name = HttpStage.BUNDLED.get(i);
      ScenarioFile shortened = parser.parse(Path.of(files.get(i)));
      ScenarioFile bundled =
          parser.parse("bundled:" + name + ".yaml", name, HttpStage.bundledText(name));
      assertThat(shortened.name()).isEqualTo(bundled.name());
      assertThat(shortened.scenarios().keySet()).isEqualTo(bundled.scenarios().keySet());
      for (ScenarioSpec spec : bundled.scenarios().values()) {
        ScenarioSpec cut = shortened.scenarios().get(spec.name());
        assertThat(cut.startTime()).as(name).isLessThanOrEqualTo(spec.startTime().dividedBy(5));
        assertThat(cut.duration()).as(name).isLessThanOrEqualTo(spec.duration().dividedBy(5));
        assertThat(stages(cut)).as(name).isLessThanOrEqualTo(stages(spec).dividedBy(5));
      }
    }
  }

  private static Duration stages(ScenarioSpec s) {
    return s.stages().stream().map(RampStage::duration).reduce(Duration.ZERO, Duration::plus);
  }
}
