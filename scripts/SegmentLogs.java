// Writes N segment run directories shaped like N parts of one long http run of the bundled
// message-send scenario file, for scripts/merge-speed.sh: each with run.json (segment i/N, the http
// section merge reads: counters, checks, one time-series row per second) and http.hlog written by
// critpath's own LatencyLog at the live run's interval (1 s), precision (3 digits) and unit (us),
// with the tags a live run writes (one per request outcome and metric, plus the scenario metrics).
//
//   java -cp cli/target/critpath.jar scripts/SegmentLogs.java OUT_DIR SEGMENTS SECONDS RATE
//
// RATE is the whole run's requests per second, split 60/30/10 over whatsapp/email/sms (the file's
// own shares) and evenly over the segments. Latencies are log-normal (median ~40 ms, long tail),
// 0.5% answered 500 and 0.05% timing out.
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.http.HttpStage;
import dev.critpath.io.Json;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencyTag;
import dev.critpath.run.Section;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

public class SegmentLogs {
  static final String FILE = "message-send";
  static final String SOURCE = "bundled:message-send.yaml";
  static final Map<String, Double> SHARES = Map.of("whatsapp", 0.6, "email", 0.3, "sms", 0.1);

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int segments = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    double rate = Double.parseDouble(args[3]);
    String sha = HttpStage.sha256(SOURCE);
    Instant start = Instant.now().minusSeconds(seconds + 60);
    for (int seg = 1; seg <= segments; seg++) {
      Path dir = out.resolve("segment-" + seg);
      Files.createDirectories(dir);
      Random random = new Random(seg);
      Instant segStart = start.plusMillis(random.nextInt(2000));
      ArrayNode scenarios = Json.mapper().createArrayNode();
      List<Scenario> all = new ArrayList<>();
      for (String scenario : new String[] {"whatsapp", "email", "sms"}) {
        all.add(new Scenario(scenario, rate * SHARES.get(scenario) / segments));
      }
      // as a live run: every second, each scenario's intervals (the log is in time order)
      try (LatencyLog log = LatencyLog.create(dir.resolve("http.hlog"), segStart)) {
        for (int s = 0; s < seconds; s++) {
          for (Scenario sc : all) {
            sc.second(log, random, segStart, s);
          }
        }
      }
      for (Scenario sc : all) {
        scenarios.add(sc.result(seconds));
      }
      ObjectNode root = Json.mapper().createObjectNode();
      root.put("schemaVersion", dev.critpath.run.RunRecord.SCHEMA_VERSION);
      root.put("runId", "segment-" + seg);
      root.put("startedAt", segStart.toString());
      root.put("finishedAt", segStart.plusSeconds(seconds).toString());
      root.put("completed", true);
      root.put("verdict", "pass");
      root.putObject("segment").put("index", seg).put("count", segments);
      ObjectNode http = root.putObject("sections").putObject("http");
      http.put("target", "local");
      http.put("baseUrl", "http://127.0.0.1:1");
      http.put("startedAt", segStart.toString());
      http.put("durationSeconds", seconds);
      http.put("verdict", "pass");
      http.put("latencyLog", "http.hlog");
      ObjectNode file = http.putArray("files").addObject();
      file.put("name", FILE);
      file.put("source", SOURCE);
      file.put("sha256", sha);
      file.put("startedAt", segStart.toString());
      file.putObject("validation").put("passed", true).putArray("calls");
      file.set("scenarios", scenarios);
      file.putArray("thresholds");
      file.put("verdict", "pass");
      Json.writeFile(dir.resolve("run.json"), root);
    }
  }

  /** One scenario of one segment, second by second. */
  static final class Scenario {
    final String name;
    final String request;
    final double rate;
    final Map<String, Histogram> series = new LinkedHashMap<>();
    final Histogram startLag = LatencyLog.histogram();
    final Histogram iteration = LatencyLog.histogram();
    final ArrayNode rows = Json.mapper().createArrayNode();
    long requests;
    long ok;

    Scenario(String name, double rate) {
      this.name = name;
      this.request = "send_" + name;
      this.rate = rate;
    }

    void second(LatencyLog log, Random random, Instant start, int s) {
      series.values().forEach(Histogram::reset);
      startLag.reset();
      iteration.reset();
      long n = Math.round(rate * (s + 1)) - Math.round(rate * s);
      for (long i = 0; i < n; i++) {
        double u = random.nextDouble();
        String outcome = u < 0.0005 ? "timeout" : u < 0.0055 ? "500" : "200";
        long micros = outcome.equals("timeout") ? 60_000_000L
            : (long) Math.exp(Math.log(40_000) + random.nextGaussian() * 0.6);
        series.computeIfAbsent(outcome, k -> LatencyLog.histogram()).recordValue(micros);
        startLag.recordValue(random.nextInt(500));
        iteration.recordValue(micros + 50);
        requests++;
        ok += outcome.equals("200") ? 1 : 0;
      }
      long from = start.toEpochMilli() + s * 1000L;
      for (Map.Entry<String, Histogram> e : series.entrySet()) {
        Map<String, String> q = new TreeMap<>();
        q.put("channel", name);
        q.put("name", request);
        q.put("method", "POST");
        q.put("cold", "false");
        boolean good = e.getKey().equals("200");
        q.put("status", good ? "200" : e.getKey().equals("500") ? "500" : "0");
        q.put("expected_response", Boolean.toString(good));
        if (e.getKey().equals("timeout")) {
          q.put("error", "timeout");
        }
        for (String metric : new String[] {"http_req_duration", "http_req_service_time", "http_req_waiting"}) {
          log.interval(LatencyTag.of(Section.HTTP, FILE + ":" + name, metric, q), from, from + 1000, e.getValue());
        }
      }
      Map<String, String> tags = Map.of("channel", name);
      log.interval(LatencyTag.of(Section.HTTP, FILE + ":" + name, "start_lag", tags), from, from + 1000, startLag);
      log.interval(LatencyTag.of(Section.HTTP, FILE + ":" + name, "iteration_duration", tags), from, from + 1000, iteration);
      ObjectNode row = rows.addObject();
      row.put("t", s + 1.0);
      row.put("requests", n);
      row.put("vus", 4);
      row.put("iterations", n);
      row.put("dropped", 0);
      row.put("lateStarts", 0);
    }

    ObjectNode result(int seconds) {
      ObjectNode sc = Json.mapper().createObjectNode();
      sc.put("name", name);
      sc.put("executor", "constant-arrival-rate");
      sc.put("startSeconds", 0.0);
      sc.put("durationSeconds", (double) seconds);
      sc.put("requests", requests);
      sc.put("iterations", requests);
      sc.put("droppedIterations", 0);
      sc.put("lateStarts", 0);
      sc.put("interruptedIterations", 0);
      sc.put("maxVus", 4);
      sc.putArray("checks").addObject().put("request", request).put("name", "status 200")
          .put("passes", ok).put("fails", requests - ok);
      sc.set("timeSeries", rows);
      return sc;
    }
  }
}
