package dev.critpath.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wrk2's lesson: under a fixed arrival rate a 1 s server stall delays every request planned during
 * it. Latency from the intended start shows the stall at p99; service time (from the actual send)
 * hides it, because only the few requests in flight saw it.
 */
class CoordinatedOmissionTest {
  @TempDir Path dir;

  private HttpResult run(TestHttpServer server, String rate, String duration) throws Exception {
    Path file = dir.resolve("steady.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "requests:",
            "  ping: {path: /ok, auth: none, checks: [{status: 200}]}",
            "scenarios:",
            "  steady:",
            "    executor: constant-arrival-rate",
            "    rate: " + rate,
            "    duration: " + duration,
            "    preAllocatedVUs: 5",
            "    maxVUs: 5",
            ""));
    HttpStage.Options options = new HttpStage.Options();
    options.scenarios = List.of(file.toString());
    options.baseUrl = server.url();
    options.env = Map.of();
    StringWriter out = new StringWriter();
    HttpResult result = HttpStage.run(options, null, new PrintWriter(out));
    System.out.println(out);
    return result;
  }

  @Test
  void aStallShowsInTheCorrectedP99AndNotInTheUncorrectedOne() throws Exception {
    try (TestHttpServer server = new TestHttpServer()) {
      run(server, "100", "2s"); // warm both JITs up, so only the stall is slow
      long warm = server.requests.get();
      // 1,000 requests planned over 10 s; 4 s in, the server stops answering for 1 s
      server.stallAt(warm + 400, 1000);
      ScenarioResult s = run(server, "100", "10s").files().get(0).scenarios().get(0);

      assertThat(s.requests()).isGreaterThan(950);
      assertThat(s.errors()).isEmpty();
      // ~100 requests were planned inside the stall: ~10% of all waited up to a second
      assertThat(s.latency().p99()).as("corrected p99 (ms)").isGreaterThan(800.0);
      // at most 5 were in flight when it began (0.5%): p99 of service time does not see it
      assertThat(s.serviceTime().p99()).as("uncorrected p99 (ms)").isLessThan(300.0);
      assertThat(s.serviceTime().max()).as("the few in flight did wait").isGreaterThan(800.0);
      assertThat(s.lateStarts()).isGreaterThan(50);
    }
  }
}
