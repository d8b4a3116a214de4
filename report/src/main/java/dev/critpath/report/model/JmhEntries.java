package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The jmh.json beside run.json: read, matched to catalog queries and variants. */
final class JmhEntries {
  private JmhEntries() {}

  private static final String JMH_JSON = "jmh.json";

  static List<JmhResult> read(Path dir, JsonNode bench, List<String> notes) {
    String name = J.str(bench, "jmhFile");
    Path file = dir.resolve(name != null && name.endsWith(".json") ? name : JMH_JSON);
    try {
      return JmhResult.read(file);
    } catch (UserError e) {
      notes.add(e.getMessage());
      return List.of();
    }
  }

  static Latency latency(JmhResult r) {
    Map<String, Double> p = r.percentiles();
    if ("sample".equals(r.mode()) && !p.isEmpty()) {
      long samples = r.histogram().stream().mapToLong(Latency.Bucket::count).sum();
      return new Latency(
          p.get("50.0"),
          p.get("90.0"),
          p.get("95.0"),
          p.get("99.0"),
          p.get("99.9"),
          p.get("100.0"),
          r.score(),
          r.scoreError(),
          samples == 0 ? null : samples,
          List.of());
    }
    if (r.higherIsBetter()) {
      return Latency.empty();
    }
    return new Latency(
        null, null, null, null, null, null, r.score(), r.scoreError(), null, List.of());
  }

  /**
   * The jmh.json entries of one query: those with a param (JMH @Param "query") holding its name,
   * else the benchmark method named after it (message_fetch ~ messageFetch).
   */
  static List<JmhResult> match(String name, List<JmhResult> all) {
    List<JmhResult> out = new ArrayList<>();
    for (JmhResult r : all) {
      if (r.params().containsValue(name)) {
        out.add(r);
      }
    }
    if (out.isEmpty()) {
      String simple = name.replace("_", "").toLowerCase(Locale.ROOT);
      for (JmhResult r : all) {
        if (r.method().toLowerCase(Locale.ROOT).equals(simple)) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /** The query name of a jmh.json entry no bench section claimed. */
  static String queryName(JmhResult r) {
    String q = r.params().get("query");
    if (q != null) {
      return q;
    }
    // messageFetch -> message_fetch, the catalog's naming
    return r.method().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static boolean ofVariant(JmhResult r, String variant) {
    return variant == null
        || !r.params().containsKey("variant")
        || variant.equals(r.params().get("variant"));
  }

  /** The entry reports show percentiles of: the main variant, sample mode first, fewest threads. */
  static JmhResult primary(List<JmhResult> jmh, String variant) {
    return jmh.stream()
        .filter(r -> ofVariant(r, variant))
        .min(
            Comparator.comparingInt((JmhResult r) -> "sample".equals(r.mode()) ? 0 : 1)
                .thenComparingInt(JmhResult::threads))
        .orElse(null);
  }

  /** Throughput per thread count: thrpt entries as they are, time modes as threads / mean. */
  static List<ThroughputPoint> throughput(List<JmhResult> jmh, String variant) {
    Map<Integer, ThroughputPoint> byThreads = new TreeMap<>();
    for (JmhResult r : jmh) {
      if (!ofVariant(r, variant)) {
        continue;
      }
      if (r.higherIsBetter()) {
        byThreads.put(
            r.threads(), new ThroughputPoint(r.threads(), r.score(), r.scoreError(), null));
      } else if (!byThreads.containsKey(r.threads()) && r.score() > 0) {
        byThreads.put(
            r.threads(),
            new ThroughputPoint(
                r.threads(), r.threads() * 1000.0 / r.score(), null, r.percentiles().get("95.0")));
      }
    }
    return new ArrayList<>(byThreads.values());
  }
}
