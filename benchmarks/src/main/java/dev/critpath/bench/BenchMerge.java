package dev.critpath.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.UserError;
import dev.critpath.catalog.Target;
import dev.critpath.io.Json;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.LatencyTag;
import dev.critpath.run.Section;
import dev.critpath.run.ThresholdCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.HdrHistogram.Histogram;

/**
 * The bench sections of N segment runs as one. Segment i ran its share of every thread level, so
 * level k of the whole is level k of every segment: its sample histograms (from each {@code
 * bench.hlog}) are added and its throughput summed. The one-thread {@code latency} of each path and
 * variant is the segments' one-thread samples added ({@code threads} N). Catalog targets are judged
 * again by the catalog's own {@link Target} on the merged percentiles. Per-fork means are not
 * merged (forks of different segments ran side by side, not as repeats), nor the pg_stat_statements
 * delta (the server counts every client, so each segment's delta already holds the others'
 * concurrent calls): both stay in the segments' run.json.
 */
public final class BenchMerge {
  private static final double US_PER_MS = 1000.0;
  private static final String SAMPLE = "sample";
  private static final String THREADS = "threads";
  private static final String SERVER_NOT_MERGED =
      "unavailable: not merged: pg_stat_statements counts every client of the server, so each"
          + " segment's delta holds the other segments' concurrent calls; read each segment's"
          + " run.json";

  /**
   * One segment's bench section.
   *
   * @param owner the segment as messages name it ("segment 2 (DIR)")
   * @param log its bench.hlog
   */
  public record Part(int index, String owner, JsonNode section, Path log) {}

  private BenchMerge() {}

  /** Checks that every part ran the first part's catalog, with as many thread levels. */
  public static void check(List<Part> parts) {
    Part first = parts.get(0);
    String catalog = catalog(first.section());
    int levels = first.section().at("/settings/threads").size();
    for (Part p : parts) {
      if (!catalog(p.section()).equals(catalog)) {
        throw new UserError(
            p.owner()
                + " ran another query catalog than segment "
                + first.index()
                + " (its paths, SQL or parameters differ): merge segments of one bench run");
      }
      int mine = p.section().at("/settings/threads").size();
      if (mine != levels) {
        throw new UserError(
            p.owner()
                + " ran "
                + mine
                + " thread levels, segment "
                + first.index()
                + " "
                + levels
                + ": the --threads levels did not split evenly over the segments; give levels of"
                + " at least N threads each, all distinct after the split");
      }
    }
  }

  /** The merged section; writes the added distributions to {@code out}. */
  public static ObjectNode merge(List<Part> parts, LatencyLog out) {
    check(parts);
    List<Map<LatencyTag, Histogram>> logs = new ArrayList<>();
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (Part p : parts) {
      Map<LatencyTag, Histogram> totals = new LinkedHashMap<>();
      long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
      LatencyLog.read(
          p.log(),
          p.owner(),
          i -> {
            totals.computeIfAbsent(i.tag(), t -> LatencyLog.histogram()).add(i.histogram());
            span[0] = Math.min(span[0], i.startMillis());
            span[1] = Math.max(span[1], i.endMillis());
          });
      logs.add(totals);
      start = Math.min(start, span[0]);
      end = Math.max(end, span[1]);
    }
    Map<LatencyTag, Histogram> written = new LinkedHashMap<>();
    ObjectNode m = parts.get(0).section().deepCopy();
    ArrayNode levels = m.with("settings").putArray(THREADS);
    for (int k = 0; k < parts.get(0).section().at("/settings/threads").size(); k++) {
      int sum = 0;
      for (Part p : parts) {
        sum += p.section().at("/settings/threads").get(k).asInt();
      }
      levels.add(sum);
    }
    ArrayNode queries = m.putArray("queries");
    int measured = 0;
    int failed = 0;
    int missed = 0;
    for (int q = 0; q < parts.get(0).section().path("queries").size(); q++) {
      List<JsonNode> same = new ArrayList<>();
      for (Part p : parts) {
        same.add(p.section().path("queries").get(q));
      }
      ObjectNode path = path(same, parts, logs, levels, written);
      queries.add(path);
      failed += "failed".equals(path.path("status").asText()) ? 1 : 0;
      boolean any = false;
      for (JsonNode v : path.path("variants")) {
        any |= v.has("latency");
      }
      measured += any ? 1 : 0;
      for (JsonNode t : path.path("targets")) {
        missed += t.path("passed").asBoolean(false) ? 0 : 1;
      }
    }
    for (Map.Entry<LatencyTag, Histogram> e : written.entrySet()) {
      out.interval(e.getKey(), start, end, e.getValue());
    }
    long connectionErrors = 0;
    for (Part p : parts) {
      connectionErrors += p.section().path("connectionErrors").asLong();
    }
    m.put("measured", measured);
    m.put("failed", failed);
    m.put("targetsMissed", missed);
    m.put("connectionErrors", connectionErrors);
    m.put(
        "verdict",
        measured == 0
            ? "error"
            : failed > 0 || missed > 0 || connectionErrors > 0 ? "fail" : "pass");
    m.put("serverStats", SERVER_NOT_MERGED);
    m.put("latencyLog", out.file().getFileName().toString());
    m.remove("jmhFile");
    return m;
  }

  private static ObjectNode path(
      List<JsonNode> same,
      List<Part> parts,
      List<Map<LatencyTag, Histogram>> logs,
      ArrayNode levels,
      Map<LatencyTag, Histogram> written) {
    ObjectNode path = same.get(0).deepCopy();
    String status = "ok";
    String reason = null;
    for (int i = 0; i < same.size(); i++) {
      String s = same.get(i).path("status").asText();
      if (!"ok".equals(s) && "ok".equals(status)) {
        status = s;
        reason = "segment " + parts.get(i).index() + ": " + same.get(i).path("reason").asText();
      }
    }
    path.put("status", status);
    path.remove("reason");
    if (reason != null) {
      path.put("reason", reason);
    }
    ArrayNode variants = path.putArray("variants");
    Map<String, ObjectNode> latencyByVariant = new LinkedHashMap<>();
    for (int v = 0; v < same.get(0).path("variants").size(); v++) {
      ObjectNode variant = same.get(0).path("variants").get(v).deepCopy();
      String subject = path.path("name").asText() + ":" + variant.path("variant").asText();
      variant.remove(List.of("server", "clientMinusServerMs", "latency", "concurrency"));
      Histogram one = added(logs, parts, subject, i -> 1);
      if (one != null) {
        ObjectNode latency = latency(one, parts.size());
        variant.set("latency", latency);
        latencyByVariant.put(variant.path("variant").asText(), latency);
        written.putIfAbsent(tag(subject, parts.size()), one);
      }
      ArrayNode concurrency = Json.mapper().createArrayNode();
      for (int k = 0; k < levels.size(); k++) {
        ObjectNode level = level(same, parts, logs, subject, v, k, levels.get(k).asInt(), written);
        if (level != null) {
          concurrency.add(level);
        }
      }
      if (!concurrency.isEmpty()) {
        variant.set("concurrency", concurrency);
      }
      long errors = 0;
      String first = null;
      for (JsonNode s : same) {
        JsonNode c = s.path("variants").get(v).path("connectionErrors");
        errors += c.path("count").asLong();
        first = first == null && c.path("first").isTextual() ? c.path("first").asText() : first;
      }
      variant.remove("connectionErrors");
      if (errors > 0) {
        variant.putObject("connectionErrors").put("count", errors).put("first", first);
      }
      variants.add(variant);
    }
    path.remove("targets");
    ArrayNode targets = targets(same.get(0).path("targets"), main(path, latencyByVariant));
    if (!targets.isEmpty()) {
      path.set("targets", targets);
    }
    path.remove("rlsOverhead");
    ObjectNode on = latencyByVariant.get("rls_on");
    ObjectNode off = latencyByVariant.get("rls_off");
    if (on != null && off != null) {
      ObjectNode o = path.putObject("rlsOverhead");
      o.put("meanMs", Measurements.round(on.path("mean").asDouble() - off.path("mean").asDouble()));
      o.put("p50Ms", Measurements.round(on.path("p50").asDouble() - off.path("p50").asDouble()));
      o.put("p95Ms", Measurements.round(on.path("p95").asDouble() - off.path("p95").asDouble()));
      double offMean = off.path("mean").asDouble();
      o.put(
          "meanRatio",
          offMean > 0 ? Measurements.round(on.path("mean").asDouble() / offMean) : Double.NaN);
    }
    return path;
  }

  /** The main variant's merged latency: the first variant's, as the live report judges. */
  private static ObjectNode main(ObjectNode path, Map<String, ObjectNode> byVariant) {
    JsonNode first = path.path("variants").path(0).path("variant");
    return byVariant.get(first.asText());
  }

  /**
   * Level {@code k} of variant {@code v}: the segments' levels k added (threads and throughput
   * summed, latency from the added histograms); null when a segment did not measure it.
   */
  private static ObjectNode level(
      List<JsonNode> same,
      List<Part> parts,
      List<Map<LatencyTag, Histogram>> logs,
      String subject,
      int v,
      int k,
      int threads,
      Map<LatencyTag, Histogram> written) {
    double ops = 0;
    double errorSquares = 0;
    boolean errors = true;
    int[] own = new int[parts.size()];
    for (int i = 0; i < parts.size(); i++) {
      own[i] = parts.get(i).section().at("/settings/threads").get(k).asInt();
      JsonNode level = null;
      for (JsonNode l : same.get(i).path("variants").get(v).path("concurrency")) {
        level = l.path(THREADS).asInt() == own[i] ? l : level;
      }
      if (level == null) {
        return null;
      }
      ops += level.path("opsPerSec").asDouble();
      errors &= level.path("error").isNumber();
      errorSquares += Math.pow(level.path("error").asDouble(), 2);
    }
    Histogram h = added(logs, parts, subject, i -> own[i]);
    if (h == null) {
      return null;
    }
    written.putIfAbsent(tag(subject, threads), h);
    ObjectNode out = Json.mapper().createObjectNode();
    out.put(THREADS, threads);
    out.put("opsPerSec", Measurements.round(ops));
    if (errors) {
      // the segments measured independently: their errors add in quadrature
      out.put("error", Measurements.round(Math.sqrt(errorSquares)));
    }
    ObjectNode latency = latency(h, threads);
    out.put("meanLatencyMs", latency.path("mean").asDouble());
    out.set("latency", latency);
    return out;
  }

  /** Segment i's histogram at {@code threadsOf(i)} threads, added over segments; null if none. */
  private static Histogram added(
      List<Map<LatencyTag, Histogram>> logs,
      List<Part> parts,
      String subject,
      IntUnaryOperator threadsOf) {
    Histogram sum = LatencyLog.histogram();
    for (int i = 0; i < parts.size(); i++) {
      Histogram h = logs.get(i).get(tag(subject, threadsOf.applyAsInt(i)));
      if (h == null) {
        return null;
      }
      sum.add(h);
    }
    return sum;
  }

  private static LatencyTag tag(String subject, int threads) {
    return LatencyTag.of(
        Section.BENCH, subject, SAMPLE, Map.of(THREADS, Integer.toString(threads)));
  }

  /** The latency shape of the bench section from a histogram of microseconds. */
  static ObjectNode latency(Histogram h, int threads) {
    ObjectNode l = Json.mapper().createObjectNode();
    l.put("unit", "ms");
    l.put(THREADS, threads);
    l.put("samples", h.getTotalCount());
    l.put("mean", ms(h.getMean()));
    l.put("p50", ms(h.getValueAtPercentile(50)));
    l.put("p90", ms(h.getValueAtPercentile(90)));
    l.put("p95", ms(h.getValueAtPercentile(95)));
    l.put("p99", ms(h.getValueAtPercentile(99)));
    l.put("p99.9", ms(h.getValueAtPercentile(99.9)));
    l.put("max", ms(h.getMaxValue()));
    return l;
  }

  private static double ms(double micros) {
    return Measurements.round(micros / US_PER_MS);
  }

  /** The segments' targets judged again by the catalog's {@link Target} on {@code latency}. */
  private static ArrayNode targets(JsonNode given, ObjectNode latency) {
    List<ThresholdCheck> out = new ArrayList<>();
    for (JsonNode t : given) {
      String stat = t.path("stat").asText();
      Target target =
          new Target(
              metric(stat),
              "<=".equals(t.path("op").asText()),
              t.path("limit").asDouble(),
              t.path("text").asText(),
              t.path("source").asText(),
              0);
      Double observed = latency == null ? null : latency.path(stat).asDouble();
      out.add(
          new ThresholdCheck(
              ThresholdCheck.LATENCY,
              stat,
              t.path("op").asText(),
              target.thresholdMillis(),
              ThresholdCheck.MS,
              target.text(),
              observed,
              observed == null ? null : target.holds(observed),
              t.path("source").asText(null),
              null));
    }
    return (ArrayNode) Json.mapper().valueToTree(out);
  }

  private static Target.Metric metric(String key) {
    for (Target.Metric m : Target.Metric.values()) {
      if (m.key().equals(key)) {
        return m;
      }
    }
    throw new UserError("bench target statistic '" + key + "' is not one critpath knows: re-run");
  }

  /** What segments must share: every path's name, SQL, parameters and variants, in order. */
  private static String catalog(JsonNode section) {
    StringBuilder b = new StringBuilder();
    for (JsonNode q : section.path("queries")) {
      b.append(q.path("name").asText()).append('|').append(q.path("sql").asText()).append('|');
      b.append(q.path("params")).append('|');
      q.path("variants").forEach(v -> b.append(v.path("variant").asText()).append(','));
      b.append('\n');
    }
    return b.toString();
  }
}
