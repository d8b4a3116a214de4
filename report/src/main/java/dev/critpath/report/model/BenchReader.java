package dev.critpath.report.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads run.json's "bench" section, merged with the jmh.json entries and the "explain" section of
 * each query, into {@link QueryView}s.
 */
final class BenchReader {
  private BenchReader() {}

  static List<QueryView> queries(
      JsonNode bench, JsonNode explain, List<JmhResult> jmh, Path dir, List<String> notes) {
    Map<String, JsonNode> benchByName = byName(J.get(bench, "queries"));
    Map<String, JsonNode> explainByName = byName(J.get(explain, "queries"));
    Map<String, List<JmhResult>> jmhByName = new LinkedHashMap<>();
    List<JmhResult> unclaimed = new ArrayList<>(jmh);
    for (String name : benchByName.keySet()) {
      List<JmhResult> mine = JmhEntries.match(name, unclaimed);
      unclaimed.removeAll(mine);
      jmhByName.put(name, mine);
    }
    for (JmhResult r : unclaimed) {
      jmhByName.computeIfAbsent(JmhEntries.queryName(r), k -> new ArrayList<>()).add(r);
    }
    List<String> names = new ArrayList<>(jmhByName.keySet());
    explainByName.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);

    List<QueryView> out = new ArrayList<>();
    for (String name : names) {
      out.add(
          query(
              name,
              benchByName.get(name),
              explainByName.get(name),
              jmhByName.getOrDefault(name, List.of()),
              dir,
              notes));
    }
    return out;
  }

  private static Map<String, JsonNode> byName(JsonNode list) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode q : J.list(list, "name")) {
      String name = J.str(q, "name");
      if (name != null) {
        out.put(name, q);
      }
    }
    return out;
  }

  private static QueryView query(
      String name,
      JsonNode bench,
      JsonNode explain,
      List<JmhResult> jmh,
      Path dir,
      List<String> notes) {
    // the main variant, the one the targets are checked on, comes first; its numbers are the
    // query's
    List<VariantView> variants = new ArrayList<>();
    List<JsonNode> variantNodes = J.list(J.get(bench, "variants"), "variant");
    variantNodes.forEach(v -> variants.add(variant(v)));
    JsonNode main = variantNodes.isEmpty() ? null : variantNodes.get(0);
    String mainVariant = J.str(main, "variant");

    JmhResult primary = JmhEntries.primary(jmh, mainVariant);
    Latency latency =
        main == null ? Latency.empty() : LatencyReader.latency(J.get(main, "latency"));
    if (latency.isEmpty() && primary != null) {
      latency = JmhEntries.latency(primary);
    }
    if (latency.histogram().isEmpty() && primary != null && !primary.histogram().isEmpty()) {
      latency = LatencyReader.withHistogram(latency, primary.histogram());
    }
    List<ThroughputPoint> throughput = throughput(J.get(main, "concurrency"));
    if (throughput.isEmpty()) {
      throughput = JmhEntries.throughput(jmh, mainVariant);
    }

    String status = J.str(bench, "status");
    String reason = J.str(bench, "reason");
    List<CheckResult> checks =
        bench == null ? new ArrayList<>() : runChecks(status, reason, variants);
    List<JsonNode> targets = J.list(J.get(bench, "targets"), "text");
    targets.forEach(t -> checks.add(targetCheck(t, mainVariant)));
    // the first target is the query's headline: its limit is drawn on the latency chart
    JsonNode target = targets.isEmpty() ? null : targets.get(0);

    ExplainReader.QueryPlan plan = ExplainReader.read(explain, dir, notes);
    checks.addAll(plan.checks());
    if (checks.stream().noneMatch(c -> c.kind() == CheckResult.Kind.EXPECTATION)) {
      checks.addAll(unevaluatedExpectations(bench));
    }
    List<String> queryNotes = new ArrayList<>(plan.notes());
    queryNotes.addAll(benchNotes(bench));

    return new QueryView(
        name,
        firstText(bench, explain, "about"),
        firstText(bench, explain, "source"),
        firstText(bench, explain, "sql"),
        firstText(bench, explain, "role"),
        params(J.get(bench, "params")),
        primary == null ? null : primary.mode(),
        status,
        reason,
        latency,
        throughput,
        serverStats(J.get(main, "server")),
        plan.plan(),
        J.str(target, "text"),
        J.str(target, "stat"),
        J.num(target, "limit"),
        checks,
        plan.warnings(),
        variants,
        queryNotes);
  }

  /** Whether the path and each of its variants ran, and kept their connections. */
  private static List<CheckResult> runChecks(
      String status, String reason, List<VariantView> variants) {
    List<CheckResult> checks = new ArrayList<>();
    checks.add(ranCheck("benchmark ran", status, reason));
    for (VariantView v : variants) {
      // a path that failed as a whole fails its variants for the same reason: say it once
      boolean pathFailed = status != null && !"ok".equalsIgnoreCase(status);
      if (!pathFailed && v.status() != null && !"ok".equalsIgnoreCase(v.status())) {
        checks.add(ranCheck("variant " + v.name() + " ran", v.status(), v.reason()));
      }
      if (v.connectionErrors() != null) {
        checks.add(connectionCheck(v));
      }
    }
    return checks;
  }

  /** The catalog's expectations, when no explain stage evaluated them. */
  private static List<CheckResult> unevaluatedExpectations(JsonNode bench) {
    List<CheckResult> out = new ArrayList<>();
    for (JsonNode e : J.list(J.get(bench, "expectations"), "text")) {
      out.add(
          new CheckResult(
              CheckResult.Kind.EXPECTATION,
              J.str(e, "text"),
              Status.SKIP,
              null,
              "not evaluated: the run has no explain results for this query"));
    }
    return out;
  }

  /** RLS overhead and the Java twin: facts of the bench section worth a line. */
  private static List<String> benchNotes(JsonNode bench) {
    List<String> notes = new ArrayList<>();
    JsonNode rls = J.get(bench, "rlsOverhead");
    if (rls != null) {
      notes.add(
          "RLS overhead: mean +"
              + Fmt.ms(J.num(rls, "meanMs"))
              + ", p95 +"
              + Fmt.ms(J.num(rls, "p95Ms"))
              + " (rls_on / rls_off mean ×"
              + Fmt.num(J.num(rls, "meanRatio"))
              + ")");
    }
    String twin = J.str(bench, "twinOf");
    if (twin != null) {
      notes.add("Java twin of " + twin + ": the difference is the Java layer's own cost");
    }
    return notes;
  }

  private static VariantView variant(JsonNode v) {
    return new VariantView(
        J.str(v, "variant"),
        J.str(v, "status"),
        J.str(v, "reason"),
        LatencyReader.latency(J.get(v, "latency")),
        serverStats(J.get(v, "server")),
        J.num(v, "clientMinusServerMs"),
        connectionErrors(J.get(v, "connectionErrors")));
  }

  /** {count, first}; null when absent or zero (the producer leaves it out when none). */
  private static ConnectionErrors connectionErrors(JsonNode node) {
    Long count = J.lng(node, "count");
    return count == null || count == 0 ? null : new ConnectionErrors(count, J.str(node, "first"));
  }

  /**
   * A variant that lost connections mid-measurement fails: its numbers include the outage and the
   * bench stage failed the run for it, while its status stays ok.
   */
  private static CheckResult connectionCheck(VariantView v) {
    ConnectionErrors lost = v.connectionErrors();
    return new CheckResult(
        CheckResult.Kind.MEASUREMENT,
        "variant " + v.name() + " kept its connections",
        Status.FAIL,
        lost.counted(),
        lost.describe()
            + "; its threads reconnected and measured on, so its numbers include the outage");
  }

  /** Whether a stage ran for the query: a failure is a failed check, a skip is skipped. */
  static CheckResult ranCheck(String name, String status, String reason) {
    Status s =
        status == null || "ok".equalsIgnoreCase(status)
            ? Status.PASS
            : "skipped".equalsIgnoreCase(status) ? Status.SKIP : Status.FAIL;
    return new CheckResult(CheckResult.Kind.RUN, name, s, null, reason);
  }

  /** A catalog target, checked on the main variant at one thread (all in ms). */
  private static CheckResult targetCheck(JsonNode t, String variant) {
    String text = J.str(t, "text");
    Double observed = J.num(t, "observed");
    Boolean pass = J.bool(t, "passed");
    String location = J.str(t, "source");
    Status status = pass == null ? Status.SKIP : pass ? Status.PASS : Status.FAIL;
    String where =
        (variant == null ? "" : variant + ", ")
            + "1 thread"
            + (location == null ? "" : "; declared at " + location);
    String evidence =
        observed == null
            ? "not measured (" + where + ")"
            : "observed "
                + Fmt.ms(observed)
                + (pass == null ? "" : pass ? ", within " : ", misses ")
                + text
                + " ("
                + where
                + ")";
    return new CheckResult(
        CheckResult.Kind.THRESHOLD,
        text,
        status,
        observed == null ? null : Fmt.ms(observed),
        evidence,
        location);
  }

  private static String firstText(JsonNode a, JsonNode b, String name) {
    String v = J.str(a, name);
    return v != null ? v : J.str(b, name);
  }

  private static List<ParamSampling> params(JsonNode node) {
    List<ParamSampling> out = new ArrayList<>();
    for (JsonNode p : J.list(node, "name")) {
      out.add(new ParamSampling(J.str(p, "name"), J.str(p, "sampling", "sampler", "spec")));
    }
    return out;
  }

  /** [{threads, opsPerSec, error, latency: {p95, ...}}, ...] */
  private static List<ThroughputPoint> throughput(JsonNode node) {
    List<ThroughputPoint> out = new ArrayList<>();
    for (JsonNode p : J.list(node, "threads")) {
      Double threads = J.num(p, "threads");
      Double ops = J.num(p, "opsPerSec");
      if (threads != null && ops != null) {
        out.add(
            new ThroughputPoint(
                (int) Math.round(threads),
                ops,
                J.num(p, "error"),
                J.num(J.get(p, "latency"), "p95")));
      }
    }
    out.sort(Comparator.comparingInt(ThroughputPoint::threads));
    return out;
  }

  /** The pg_stat_statements delta: per-call values, or totals divided by the calls. */
  private static ServerStats serverStats(JsonNode node) {
    if (node == null || !node.isObject()) {
      return ServerStats.empty();
    }
    Long calls = J.lng(node, "calls");
    return new ServerStats(
        calls,
        J.num(node, "meanExecMs"),
        J.num(node, "totalExecMs"),
        perCall(node, calls, "rowsPerCall", "rows"),
        perCall(node, calls, "sharedBlksHitPerCall", "sharedBlksHit"),
        perCall(node, calls, "sharedBlksReadPerCall", "sharedBlksRead"));
  }

  private static Double perCall(JsonNode node, Long calls, String perCallName, String total) {
    Double v = J.num(node, perCallName);
    if (v != null) {
      return v;
    }
    Double t = J.num(node, total);
    return t == null || calls == null || calls == 0 ? null : t / calls;
  }
}
