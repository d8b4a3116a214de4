package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.critpath.UserError;
import dev.critpath.http.metrics.ServerThresholds;
import dev.critpath.http.scenario.Executor;
import dev.critpath.http.scenario.RampStage;
import dev.critpath.http.scenario.ScenarioFile;
import dev.critpath.http.scenario.ScenarioParser;
import dev.critpath.http.scenario.ScenarioSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Seed 001's named shapes in scenario files, and the seed's volumes bundled at full size. */
class ShapesTest {
  private static final String REQUESTS =
      "requests:\n  ping: {path: /functions/v1/ping, auth: none}\n";

  private static ScenarioSpec scenario(String fields) {
    ScenarioFile f =
        new ScenarioParser(Map.of())
            .parse("test.yaml", "test", REQUESTS + "scenarios:\n  s:\n" + fields);
    return f.scenarios().get("s");
  }

  private static String error(String fields) {
    try {
      scenario(fields);
    } catch (UserError e) {
      return e.getMessage();
    }
    throw new AssertionError("no error for " + fields);
  }

  private static List<Long> targets(ScenarioSpec s) {
    return s.stages().stream().map(RampStage::target).toList();
  }

  @Test
  void eachShapeExpandsToTheSeedsLevelsAroundTheBase() {
    String rate = "    executor: ramping-arrival-rate\n    preAllocatedVUs: 5\n    base: 100\n";
    ScenarioSpec spike = scenario(rate + "    shape: spike-10x\n");
    assertThat(targets(spike)).containsExactly(100L, 1000L, 1000L, 100L, 100L);
    assertThat(spike.stages().get(2).duration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(targets(scenario(rate + "    shape: peak-3x\n"))).containsExactly(300L, 300L, 0L);
    assertThat(targets(scenario(rate + "    shape: normal\n"))).containsExactly(100L, 100L, 0L);
    ScenarioSpec soak = scenario(rate + "    shape: sustained-2x\n");
    assertThat(targets(soak)).containsExactly(200L, 200L, 0L);
    assertThat(soak.stages().get(1).duration()).isEqualTo(Duration.ofHours(1));
    ScenarioSpec ramp = scenario(rate + "    shape: ramp-10x\n");
    assertThat(ramp.stages()).containsExactly(new RampStage(Duration.ofMinutes(30), 1000));
    assertThat(ramp.startRate()).isZero();
    ScenarioSpec vus = scenario("    executor: ramping-vus\n    shape: peak-3x\n    base: 50\n");
    assertThat(vus.executor()).isEqualTo(Executor.RAMPING_VUS);
    assertThat(targets(vus)).containsExactly(150L, 150L, 0L);
  }

  @Test
  void badShapesAreRefusedNamingTheLineAndTheFix() {
    String vus = "    executor: ramping-vus\n";
    assertThat(error(vus + "    shape: tsunami\n    base: 10\n"))
        .startsWith("test.yaml:")
        .contains("unknown shape \"tsunami\"")
        .contains("normal, peak-3x, spike-10x, sustained-2x, ramp-10x");
    assertThat(error(vus + "    shape: normal\n")).contains("base");
    assertThat(error(vus + "    shape: normal\n    base: 0\n")).contains("above 0");
    assertThat(error(vus + "    base: 10\n    stages: [{duration: 1s, target: 1}]\n"))
        .contains("add shape:");
    assertThat(
            error(
                vus + "    shape: normal\n    base: 10\n    stages: [{duration: 1s, target: 1}]\n"))
        .contains("not both");
    assertThat(
            error("    executor: constant-vus\n    vus: 1\n    duration: 1s\n    shape: normal\n"))
        .contains("shape");
  }

  @Test
  void seed001sVolumesAreBundledAtFullSize() {
    List<ScenarioFile> files =
        HttpStage.load(
            List.of(
                "seed001-dashboard",
                "seed001-dashboard-open-10k",
                "seed001-message-send",
                "seed001-message-shapes"),
            Map.of());
    ScenarioSpec dashboard = files.get(0).scenarios().get("dashboard");
    assertThat(targets(dashboard)).containsExactly(100L, 100L, 500L, 500L, 0L);
    assertThat(files.get(1).scenarios().get("open").vus()).isEqualTo(10_000);
    assertThat(files.get(2).scenarios().values())
        .extracting(ScenarioSpec::rate)
        .containsExactly(600.0, 300.0, 100.0);
    assertThat(files.get(2).scenarios().values())
        .allMatch(s -> s.duration().equals(Duration.ofMinutes(5)));
    assertThat(files.get(3).scenarios().keySet())
        .containsExactly("normal", "peak_3x", "spike_10x", "sustained_2x", "ramp_10x");
    assertThat(targets(files.get(3).scenarios().get("spike_10x"))).contains(2000L);
    for (ScenarioFile f : files) {
      assertThat(serverThresholds(f))
          .as(f.name())
          .contains("db_cpu max<70", "db_connections max<80");
    }
    // "no connection pool exhaustion" is a criterion of seed 001's dashboard test
    assertThat(serverThresholds(files.get(0))).contains("pool_waiting count==0");
    assertThat(serverThresholds(files.get(1))).contains("pool_waiting count==0");
  }

  /** The file's thresholds on the server sampler's metrics, as "metric expression". */
  private static List<String> serverThresholds(ScenarioFile f) {
    return f.thresholds().stream()
        .filter(ServerThresholds::isServer)
        .map(t -> t.metric() + " " + t.aggregation() + t.operator() + (long) t.value())
        .toList();
  }
}
