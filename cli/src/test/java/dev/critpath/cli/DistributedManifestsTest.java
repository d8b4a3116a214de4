package dev.critpath.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.critpath.run.Segment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes Indexed Job and the GitHub Actions matrix that run segments on existing engines:
 * parsed as YAML and checked for what each engine needs, and the shell line that turns the pod's
 * completion index into {@code --segment} run for every index.
 */
class DistributedManifestsTest {
  private static final Path ROOT = Path.of("..");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser p = new YAMLFactory().createParser(file.toFile())) {
      var it = YAML.readValues(p, JsonNode.class);
      while (it.hasNext()) {
        docs.add(it.next());
      }
    }
    return docs;
  }

  private static JsonNode kind(List<JsonNode> docs, String kind) {
    return docs.stream()
        .filter(d -> kind.equals(d.path("kind").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind));
  }

  /** Runs {@code line} in bash with {@code env} and prints {@code $segment}. */
  private static String shell(String line, Map<String, String> env) throws Exception {
    return bash(line + "\necho \"$segment\"", env);
  }

  /** Runs {@code script} in bash with {@code env}; its output. */
  private static String bash(String script, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  /**
   * The arguments {@code script} passes to ./run.sh, one per line: run in bash with ./run.sh
   * printing them instead.
   */
  private static List<String> runShArguments(String script, Map<String, String> env)
      throws Exception {
    String printed = bash(script.replace("./run.sh ", "printf '%s\\n' "), env);
    return printed.lines().toList();
  }

  /** The value that follows {@code option} among {@code args}. */
  private static String option(List<String> args, String option) {
    int at = args.indexOf(option);
    assertThat(at).as(option + " in " + args).isNotNegative();
    return args.get(at + 1);
  }

  private static String env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (name.equals(e.path("name").asText())) {
        return e.path("value").asText();
      }
    }
    throw new AssertionError("container has no env " + name);
  }

  @Test
  void theIndexedJobRunsOneSegmentPerCompletionIndexOntoTheSharedVolume() throws Exception {
    List<JsonNode> docs = documents(ROOT.resolve("deploy/k8s/critpath-segments.yaml"));
    JsonNode job = kind(docs, "Job");
    assertThat(job.path("apiVersion").asText()).isEqualTo("batch/v1");
    JsonNode spec = job.path("spec");
    assertThat(spec.path("completionMode").asText()).isEqualTo("Indexed");
    int n = spec.path("completions").asInt();
    assertThat(n).isGreaterThan(1);
    assertThat(spec.path("parallelism").asInt()).isEqualTo(n);
    assertThat(spec.path("backoffLimit").isInt()).isTrue();
    assertThat(spec.path("backoffLimit").asInt()).isZero();
    JsonNode pod = spec.path("template").path("spec");
    assertThat(pod.path("restartPolicy").asText()).isEqualTo("Never");
    JsonNode container = pod.path("containers").get(0);
    assertThat(env(container, "SEGMENTS")).isEqualTo(Integer.toString(n));

    String script = container.path("args").get(0).asText();
    assertThat(script).contains("--segment \"${segment}\"").contains("--results \"${out}\"");
    String line = script.lines().filter(l -> l.startsWith("segment=")).findFirst().orElseThrow();
    Set<Segment> seen = new HashSet<>();
    for (int index = 0; index < n; index++) {
      String text =
          shell(line, Map.of("JOB_COMPLETION_INDEX", Integer.toString(index), "SEGMENTS", "" + n));
      Segment s = Segment.parse(text);
      assertThat(s).isEqualTo(new Segment(index + 1, n));
      seen.add(s);
    }
    assertThat(seen).hasSize(n);

    // one start for every pod: the documented sed fills START_AT, which reaches --start-at
    String manifest = Files.readString(ROOT.resolve("deploy/k8s/critpath-segments.yaml"));
    String guide = Files.readString(ROOT.resolve("docs/distributed.md"));
    String fill =
        "sed \"s/@START_AT@/${start}/\" deploy/k8s/critpath-segments.yaml | kubectl apply -f -";
    assertThat(manifest).contains(fill);
    assertThat(guide).contains(fill);
    assertThat(env(container, "START_AT")).isEqualTo("@START_AT@");
    String start = "2026-12-06T05:00:00Z";
    JsonNode filled =
        kind(
            YAML.readValues(
                    new YAMLFactory().createParser(manifest.replace("@START_AT@", start)),
                    JsonNode.class)
                .readAll(),
            "Job");
    JsonNode filledContainer = filled.at("/spec/template/spec/containers/0");
    List<String> args =
        runShArguments(
            filledContainer.path("args").get(0).asText(),
            Map.of(
                "JOB_COMPLETION_INDEX", "1",
                "SEGMENTS", "" + n,
                "SCENARIO", "seed001-message-send",
                "DATABASE_URL", "postgresql://db/x",
                "START_AT", env(filledContainer, "START_AT")));
    assertThat(option(args, "--start-at")).isEqualTo(start);
    assertThat(option(args, "--segment")).isEqualTo("2/" + n);

    // results go to the shared claim, which every node can write
    JsonNode mount =
        findByName(container.path("volumeMounts"), "results").orElseThrow(AssertionError::new);
    assertThat(mount.path("mountPath").asText()).isEqualTo("/results");
    assertThat(script).contains("/results/segment-");
    JsonNode volume = findByName(pod.path("volumes"), "results").orElseThrow(AssertionError::new);
    String claim = volume.path("persistentVolumeClaim").path("claimName").asText();
    JsonNode pvc = kind(docs, "PersistentVolumeClaim");
    assertThat(pvc.path("metadata").path("name").asText()).isEqualTo(claim);
    assertThat(pvc.path("spec").path("accessModes").toString()).contains("ReadWriteMany");

    JsonNode merge = kind(documents(ROOT.resolve("deploy/k8s/critpath-merge.yaml")), "Job");
    JsonNode mergePod = merge.path("spec").path("template").path("spec");
    assertThat(mergePod.path("restartPolicy").asText()).isEqualTo("Never");
    assertThat(
            findByName(mergePod.path("volumes"), "results")
                .orElseThrow(AssertionError::new)
                .path("persistentVolumeClaim")
                .path("claimName")
                .asText())
        .isEqualTo(claim);
    assertThat(mergePod.path("containers").get(0).path("args").get(0).asText())
        .startsWith("./run.sh merge /results/segment-*");
  }

  private static java.util.Optional<JsonNode> findByName(JsonNode list, String name) {
    for (JsonNode n : list) {
      if (name.equals(n.path("name").asText())) {
        return java.util.Optional.of(n);
      }
    }
    return java.util.Optional.empty();
  }

  @Test
  void theWorkflowsMatrixCoversEverySegmentAndTheMergeNeedsIt() throws Exception {
    JsonNode wf = documents(ROOT.resolve(".github/workflows/critpath-segments.yml")).get(0);
    int n = wf.path("env").path("SEGMENTS").asInt();
    assertThat(n).isGreaterThan(1);
    JsonNode segment = wf.path("jobs").path("segment");
    List<Integer> matrix = new ArrayList<>();
    segment.path("strategy").path("matrix").path("segment").forEach(v -> matrix.add(v.asInt()));
    List<Integer> expected = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      expected.add(i);
    }
    assertThat(matrix).containsExactlyElementsOf(expected);
    assertThat(segment.path("strategy").path("fail-fast").asBoolean(true)).isFalse();
    String steps = segment.path("steps").toString();
    assertThat(steps)
        .contains("--segment \\\"${{ matrix.segment }}/$SEGMENTS\\\"")
        .contains("actions/upload-artifact")
        .contains("critpath-segment-${{ matrix.segment }}");

    // a first job computes one start a few minutes ahead; every segment passes it to --start-at
    JsonNode start = wf.path("jobs").path("start");
    assertThat(segment.path("needs").asText()).isEqualTo("start");
    assertThat(start.path("outputs").path("at").asText()).isEqualTo("${{ steps.at.outputs.at }}");
    JsonNode at = start.path("steps").get(0);
    assertThat(at.path("id").asText()).isEqualTo("at");
    Path output = Files.createTempFile("github-output", "");
    Instant before = Instant.now();
    bash(at.path("run").asText(), Map.of("GITHUB_OUTPUT", output.toString()));
    String written = Files.readString(output).strip();
    Files.delete(output);
    assertThat(written).startsWith("at=");
    Instant startAt = Instant.parse(written.substring("at=".length()));
    assertThat(startAt).isBetween(before.plusSeconds(60), before.plusSeconds(10 * 60));
    JsonNode run = null;
    for (JsonNode step : segment.path("steps")) {
      if (step.path("run").asText().contains("./run.sh http")) {
        run = step;
      }
    }
    assertThat(run).as("the segment's run step").isNotNull();
    assertThat(run.path("env").path("START_AT").asText())
        .isEqualTo("${{ needs.start.outputs.at }}");
    String command =
        run.path("run")
            .asText()
            .lines()
            .takeWhile(l -> !l.startsWith("# "))
            .reduce("", (a, b) -> a + b + "\n")
            .replace("${{ matrix.segment }}", "2");
    command = command.substring(0, command.indexOf("|| [ $? -eq 1 ]"));
    List<String> args =
        runShArguments(
            command,
            Map.of(
                "SCENARIO",
                "seed001-message-send",
                "SEGMENTS",
                "" + n,
                "RUNNER_TEMP",
                "/tmp",
                "START_AT",
                startAt.toString()));
    assertThat(option(args, "--start-at")).isEqualTo(startAt.toString());
    assertThat(option(args, "--segment")).isEqualTo("2/" + n);

    JsonNode merge = wf.path("jobs").path("merge");
    assertThat(merge.path("needs").asText()).isEqualTo("segment");
    String mergeSteps = merge.path("steps").toString();
    assertThat(mergeSteps)
        .contains("actions/download-artifact")
        .contains("critpath-segment-*")
        .contains("./run.sh merge");
    // Segment.parse accepts what each matrix job passes
    for (int i : matrix) {
      assertThat(Segment.parse(i + "/" + n)).isEqualTo(new Segment(i, n));
    }
    assertThat(Files.readString(ROOT.resolve(".github/workflows/critpath-segments.yml")))
        .doesNotContain("eyJ");
  }
}
