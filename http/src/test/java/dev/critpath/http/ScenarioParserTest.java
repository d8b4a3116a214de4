package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.critpath.UserError;
import dev.critpath.http.scenario.Durations;
import dev.critpath.http.scenario.Executor;
import dev.critpath.http.scenario.ScenarioFile;
import dev.critpath.http.scenario.ScenarioParser;
import dev.critpath.http.scenario.ScenarioSpec;
import dev.critpath.http.scenario.Threshold;
import dev.critpath.network.NetworkProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioParserTest {
  private static final String REQUESTS =
      "requests:\n  ping: {path: /functions/v1/ping, auth: none}\n";

  private static ScenarioFile parse(String yaml) {
    return new ScenarioParser(Map.of("ANON", "anon-key-value")).parse("test.yaml", "test", yaml);
  }

  private static String error(String yaml) {
    try {
      parse(yaml);
    } catch (UserError e) {
      return e.getMessage();
    }
    throw new AssertionError("no error for:\n" + yaml);
  }

  @Test
  void everyBundledScenarioParsesAndTheListMatchesTheDirectory() throws IOException {
    List<ScenarioFile> files = HttpStage.load(List.of(), Map.of());
    assertThat(files).extracting(ScenarioFile::name).containsExactlyElementsOf(HttpStage.BUNDLED);
    List<ScenarioFile> full = HttpStage.load(HttpStage.FULL, Map.of());
    assertThat(full).extracting(ScenarioFile::name).containsExactlyElementsOf(HttpStage.FULL);
    try (Stream<Path> dir = Files.list(Path.of("..", "scenarios"))) {
      assertThat(dir.map(p -> p.getFileName().toString().replace(".yaml", "")))
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.Stream.concat(HttpStage.BUNDLED.stream(), HttpStage.FULL.stream())
                  .toList());
    }
    ScenarioFile edge = files.get(0);
    assertThat(edge.scenarios().keySet())
        .containsExactly("cold_start", "warm", "burst", "cache_validation");
    assertThat(edge.scenarios().values())
        .extracting(ScenarioSpec::phase)
        .containsExactly("cold", "warm", "burst", "cache");
    assertThat(files.get(1).scenarios().values())
        .allMatch(s -> s.executor() == Executor.CONSTANT_ARRIVAL_RATE);
  }

  @Test
  void readsK6Vocabulary() {
    ScenarioFile f =
        parse(
            REQUESTS
                + "scenarios:\n"
                + "  ramp:\n"
                + "    executor: ramping-arrival-rate\n"
                + "    startRate: 10\n"
                + "    timeUnit: 1m\n"
                + "    stages: [{duration: 30s, target: 100}, {duration: 1m30s, target: 0}]\n"
                + "    preAllocatedVUs: 5\n"
                + "    startTime: 500ms\n"
                + "    thinkTime: 1s..3s\n"
                + "    tags: {phase: burst}\n"
                + "thresholds:\n"
                + "  http_req_duration{scenario:ramp, status:200}:\n"
                + "    - p(99.9)<800\n"
                + "    - {threshold: avg<200, abortOnFail: true, delayAbortEval: 10s}\n"
                + "  http_req_failed: rate<0.01\n"
                + "  http_reqs: [count>=10]\n");
    ScenarioSpec s = f.scenarios().get("ramp");
    assertThat(s.maxVUs()).isEqualTo(5);
    assertThat(s.timeUnit()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.plannedDuration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.thinkTime().max()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.exec()).containsExactly("ping");
    Threshold p999 = f.thresholds().get(0);
    assertThat(p999.tags()).containsEntry("scenario", "ramp").containsEntry("status", "200");
    assertThat(p999.percentile()).isEqualTo(99.9);
    assertThat(f.thresholds().get(1).abortOnFail()).isTrue();
    assertThat(f.thresholds().get(1).delayAbortEval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(f.thresholds()).hasSize(4);
  }

  @Test
  void malformedYamlNamesFileAndLine() {
    String msg = error(REQUESTS + "scenarios:\n  a: {executor: constant-vus\n  b: [\n");
    assertThat(msg).startsWith("test.yaml:").contains("malformed YAML");
    assertThat(msg).matches("test\\.yaml:[45]:\\d+: malformed YAML.*");
  }

  @Test
  void malformedYamlInAFileNamesThePath() throws IOException {
    Path file = Files.createTempFile("broken", ".yaml");
    Files.writeString(file, "requests:\n  a: [1, 2\n");
    assertThatThrownBy(() -> new ScenarioParser(Map.of()).parse(file))
        .isInstanceOf(UserError.class)
        .hasMessageContaining(file.toString() + ":")
        .hasMessageContaining("malformed YAML");
    Files.delete(file);
  }

  @Test
  void unknownExecutorNamesLineAndKnownOnes() {
    String msg = error(REQUESTS + "scenarios:\n  a:\n    executor: constant-users\n    vus: 1\n");
    assertThat(msg)
        .startsWith("test.yaml:5: scenarios.a.executor: unknown executor \"constant-users\"");
    assertThat(msg).contains("constant-arrival-rate", "ramping-vus", "per-vu-iterations");
  }

  @Test
  void thresholdErrorsAreClear() {
    String base = REQUESTS + "scenarios:\n  a: {executor: shared-iterations}\nthresholds:\n";
    assertThat(error(base + "  http_req_duration: [p95<300]\n"))
        .startsWith("test.yaml:6:")
        .contains("not in k6's grammar");
    assertThat(error(base + "  http_req_duration: [rate<0.1]\n"))
        .contains("trend metric, which allows avg, max, med, min, p(N)");
    assertThat(error(base + "  http_req_latency: [avg<1]\n"))
        .contains("unknown metric \"http_req_latency\"")
        .contains("http_req_duration");
    assertThat(error(base + "  checks: [{threshold: rate>0.9, abortOnFial: true}]\n"))
        .contains("unknown field \"abortOnFial\"");
  }

  @Test
  void aThresholdMayNameTheSeedRowItComesFromAndAWabaBlockItsLimits() {
    String base = REQUESTS + "scenarios:\n  a: {executor: shared-iterations}\nthresholds:\n";
    ScenarioFile f =
        parse(
            base
                + "  http_req_duration: [\"p(95)<=1000 (seed 004, Proposed SLOs: Voucher preview"
                + " spike)\"]\nwaba: {minPerMinute: 120}\n");
    Threshold t = f.thresholds().get(0);
    assertThat(t.percentile()).isEqualTo(95);
    assertThat(t.value()).isEqualTo(1000);
    assertThat(t.expression()).endsWith("(seed 004, Proposed SLOs: Voucher preview spike)");
    assertThat(f.waba().minPerMinute()).isEqualTo(120);
    assertThat(f.waba().maxRefusedShare()).isEqualTo(0.05);
    assertThat(f.waba().minSent()).as("not judged unless given").isZero();
    assertThat(error(base + "  http_req_duration: [\"p(95)<=1000(no space)\"]\n"))
        .contains("not in k6's grammar");
    assertThat(error(base + "  checks: [rate>0.9]\nwaba: {maxRefusedShare: 2}\n"))
        .contains("maxRefusedShare within 0..1");
    assertThat(error(base + "  checks: [rate>0.9]\nwaba: {minPerMin: 2}\n"))
        .contains("unknown field \"minPerMin\"");
  }

  @Test
  void typosAndMissingFieldsAreNamed() {
    assertThat(error(REQUESTS + "scenarios:\n  a: {executor: constant-vus, vu: 3, duration: 1s}\n"))
        .contains("unknown field \"vu\" for constant-vus")
        .contains("vus");
    assertThat(
            error(
                REQUESTS
                    + "scenarios:\n  a: {executor: constant-arrival-rate, rate: 5, duration: 1s}\n"))
        .contains("scenarios.a.preAllocatedVUs: required");
    assertThat(error(REQUESTS + "scenarios:\n  a: {executor: constant-vus, duration: soon}\n"))
        .contains("\"soon\" is not a duration");
    assertThat(error(REQUESTS + "scenarios:\n  a: {executor: shared-iterations, exec: pong}\n"))
        .contains("no request \"pong\"");
  }

  @Test
  void placeholdersAreChecked() {
    String tail = "scenarios:\n  a: {executor: shared-iterations}\n";
    assertThat(error("requests:\n  r: {path: \"/x/${convs.id}\"}\n" + tail))
        .startsWith("test.yaml:2:")
        .contains("no data set \"convs\"");
    assertThat(error("requests:\n  r: {path: \"/x/${whatever}\"}\n" + tail))
        .contains("is not a placeholder critpath knows");
    assertThat(
            error("requests:\n  r: {path: /x, headers: {apikey: \"${env.MISSING_KEY}\"}}\n" + tail))
        .contains("${env.MISSING_KEY} is not set");
    ScenarioFile ok =
        parse(
            "data:\n  convs: {values: [{id: a}]}\n"
                + "requests:\n  r: {path: \"/x/${convs.id}\", headers: {apikey: \"${env.ANON}\"}}\n"
                + tail);
    assertThat(ok.requests().get("r").datasets()).containsExactly("convs");
    assertThat(ok.requests().get("r").headers().get("apikey").constant())
        .isEqualTo("anon-key-value");
  }

  private static final String NETWORKED =
      REQUESTS
          + "network: 4g\n"
          + "scenarios:\n"
          + "  inherits: {executor: shared-iterations}\n"
          + "  direct: {executor: shared-iterations, network: none}\n"
          + "  slow: {executor: shared-iterations, network: slow-3g}\n"
          + "  own: {executor: shared-iterations, network: \"custom:250/2000/1000\"}\n";

  @Test
  void networkComesFromTheScenarioElseTheFile() {
    Map<String, ScenarioSpec> s = parse(NETWORKED).scenarios();
    assertThat(s.get("inherits").network()).isEqualTo(NetworkProfile.LTE_4G);
    assertThat(s.get("direct").network()).isNull();
    assertThat(s.get("slow").network()).isEqualTo(NetworkProfile.SLOW_3G);
    assertThat(s.get("own").network().rttMillis()).isEqualTo(250);
    assertThat(s.get("own").network().downBitsPerSecond()).isEqualTo(2_000_000);
    assertThat(parse(REQUESTS + "scenarios:\n  a: {executor: shared-iterations}\n").scenarios())
        .allSatisfy((name, spec) -> assertThat(spec.network()).isNull());
    assertThat(error(REQUESTS + "scenarios:\n  a: {executor: shared-iterations, network: 6g}\n"))
        .startsWith("test.yaml:4: scenarios.a.network: unknown network profile '6g'");
    assertThat(error(REQUESTS + "network: 6g\nscenarios:\n  a: {executor: shared-iterations}\n"))
        .startsWith("test.yaml:3: network: unknown network profile '6g'");
  }

  @Test
  void theNetworkOptionOverridesEveryScenarioOfEveryFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("n.yaml");
    Files.writeString(file, NETWORKED);
    HttpStage.Options options = new HttpStage.Options();
    options.scenarios = List.of(file.toString(), "rate-limit");
    options.env = Map.of();
    options.network = "5g";
    assertThat(HttpStage.load(options))
        .flatExtracting(f -> f.scenarios().values())
        .extracting(ScenarioSpec::network)
        .hasSize(5)
        .containsOnly(NetworkProfile.NR_5G);
    options.network = "none";
    assertThat(HttpStage.load(options))
        .flatExtracting(f -> f.scenarios().values())
        .extracting(ScenarioSpec::network)
        .containsOnlyNulls();
    options.network = null;
    assertThat(HttpStage.load(options).get(0).scenarios().get("slow").network())
        .isEqualTo(NetworkProfile.SLOW_3G);
    options.network = "9g";
    assertThatThrownBy(() -> HttpStage.load(options))
        .isInstanceOf(UserError.class)
        .hasMessageStartingWith("unknown network profile '9g'");
  }

  @Test
  void durations() {
    assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThatThrownBy(() -> Durations.parse("30")).hasMessageContaining("not a duration");
  }
}
