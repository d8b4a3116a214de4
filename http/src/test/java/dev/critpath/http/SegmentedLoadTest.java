package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.critpath.UserError;
import dev.critpath.run.Segment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --segment i/N} on a real local HTTP server: the N segments of a scenario send exactly the
 * whole's requests between them (closed and open executors), and draw disjoint data rows.
 */
class SegmentedLoadTest {
  private static final int ROWS = 30;
  private static final int N = 3;

  @TempDir Path dir;
  private HttpServer server;
  private final Queue<String> rowsSeen = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/",
        ex -> {
          String q = ex.getRequestURI().getQuery();
          rowsSeen.add(q == null ? "" : q);
          byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String yaml(String scenario) {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < ROWS; i++) {
      rows.append(i == 0 ? "" : ", ").append("{row: r").append(i).append('}');
    }
    return "data:\n  d: {pick: sequential, values: ["
        + rows
        + "]}\n"
        + "requests:\n  hit: {path: '/hit?${d.row}', auth: none, checks: [{status: 200}]}\n"
        + "scenarios:\n  s:\n"
        + scenario;
  }

  private ScenarioResult run(String yaml, Segment segment) throws IOException {
    Path file = dir.resolve("s.yaml");
    Files.writeString(file, yaml);
    HttpStage.Options options = new HttpStage.Options();
    options.scenarios = List.of(file.toString());
    options.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    options.env = Map.of();
    options.segment = segment;
    StringWriter out = new StringWriter();
    HttpResult result = HttpStage.run(options, null, new PrintWriter(out));
    System.out.println(out);
    return result.files().get(0).scenarios().get(0);
  }

  /** Runs the whole and each segment; returns [whole, segment 1..N] request counts. */
  private long[] requests(String scenario) throws IOException {
    long[] counts = new long[N + 1];
    counts[0] = run(yaml(scenario), Segment.WHOLE).requests();
    for (int i = 1; i <= N; i++) {
      counts[i] = run(yaml(scenario), new Segment(i, N)).requests();
    }
    return counts;
  }

  private static long sumOfSegments(long[] counts) {
    long sum = 0;
    for (int i = 1; i < counts.length; i++) {
      sum += counts[i];
    }
    return sum;
  }

  @Test
  void sharedIterationsSplitExactlyAndEachSegmentSendsOnlyItsOwnRows() throws IOException {
    String scenario = "    executor: shared-iterations\n    vus: 4\n    iterations: 29\n";
    List<Set<String>> rowsBySegment = new ArrayList<>();
    long sum = 0;
    for (int i = 1; i <= N; i++) {
      rowsSeen.clear();
      ScenarioResult r = run(yaml(scenario), new Segment(i, N));
      assertThat(r.requests()).isEqualTo(new Segment(i, N).scale(29));
      assertThat(r.config()).containsEntry("vus", new Segment(i, N).scale(4));
      sum += r.requests();
      rowsBySegment.add(new HashSet<>(rowsSeen));
    }
    assertThat(sum).isEqualTo(29);
    Set<String> all = new HashSet<>();
    for (Set<String> rows : rowsBySegment) {
      assertThat(rows).hasSize(ROWS / N);
      assertThat(all).doesNotContainAnyElementsOf(rows);
      all.addAll(rows);
    }
    assertThat(all).hasSize(ROWS);
  }

  @Test
  void arrivalRatesSplitTheWholePlanExactly() throws IOException {
    long[] constant =
        requests(
            "    executor: constant-arrival-rate\n    rate: 20\n    duration: 2s\n"
                + "    preAllocatedVUs: 2\n    maxVUs: 10\n");
    assertThat(constant[0]).isEqualTo(40);
    assertThat(sumOfSegments(constant)).isEqualTo(constant[0]);
    long[] ramping =
        requests(
            "    executor: ramping-arrival-rate\n    startRate: 0\n    preAllocatedVUs: 1\n"
                + "    maxVUs: 10\n    stages: [{duration: 2s, target: 31}]\n");
    assertThat(ramping[0]).isEqualTo(31);
    assertThat(sumOfSegments(ramping)).isEqualTo(ramping[0]);
  }

  @Test
  void perVuIterationsSplitTheVusAndKeepEachVusIterations() throws IOException {
    long[] counts = requests("    executor: per-vu-iterations\n    vus: 5\n    iterations: 3\n");
    assertThat(counts[0]).isEqualTo(15);
    assertThat(sumOfSegments(counts)).isEqualTo(15);
    assertThat(counts[1]).isEqualTo(6); // VUs 0 and 3
    assertThat(counts[3]).isEqualTo(3); // VU 2
  }

  @Test
  void aDataSetSmallerThanTheSegmentsIsRefusedNamingIt() throws IOException {
    Path file = dir.resolve("small.yaml");
    Files.writeString(
        file,
        "data:\n  d: {values: [{row: a}, {row: b}]}\n"
            + "requests:\n  hit: {path: '/hit?${d.row}', auth: none}\n"
            + "scenarios:\n  s: {executor: shared-iterations, vus: 3, iterations: 3}\n");
    HttpStage.Options options = new HttpStage.Options();
    options.scenarios = List.of(file.toString());
    options.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    options.env = Map.of();
    options.segment = new Segment(3, 3);
    assertThatThrownBy(() -> HttpStage.run(options, null, new PrintWriter(new StringWriter())))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("data set d has 2 row(s), none for segment 3/3")
        .hasMessageContaining("run fewer segments");
  }
}
