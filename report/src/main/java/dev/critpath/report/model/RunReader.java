package dev.critpath.report.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.UserError;
import dev.critpath.io.Json;
import dev.critpath.report.env.Environment;
import dev.critpath.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a run from its files (run.json, jmh.json, explain/*.json) into a {@link RunView}. It never
 * uses the producing modules' classes, so it reads results copied from CI; sections a run lacks,
 * and fields a producer leaves out, read as empty rather than failing the report.
 */
public final class RunReader {
  /** The newest run.json schema version this reader understands. */
  public static final int SUPPORTED_SCHEMA_VERSION = 1;

  private static final Pattern TARGET =
      Pattern.compile(
          "(?i)(p\\(?\\d+(?:\\.\\d+)?\\)?|mean|avg|max|median)\\s*(<=|<)\\s*([0-9.]+)\\s*(ms|s|us|µs)?");
  private static final String JMH_JSON = "jmh.json";

  private RunReader() {}

  /** The run.json of a run directory, or the file itself when given one. */
  public static Path runJson(Path dirOrFile) {
    return Files.isDirectory(dirOrFile) ? dirOrFile.resolve(RunDirectory.RUN_JSON) : dirOrFile;
  }

  /**
   * Reads a run.
   *
   * @param dirOrFile a run directory, or its run.json
   * @throws UserError when the file is missing, not JSON, or of a newer schema version
   */
  public static RunView read(Path dirOrFile) {
    Path file = runJson(dirOrFile);
    if (!Files.isRegularFile(file)) {
      throw new UserError(
          "no run.json at "
              + file
              + ": pass a run directory (results/<run-id>) or its run.json, from a run that got"
              + " past its first stage");
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new UserError(
          file
              + " is not valid JSON ("
              + e.getOriginalMessage()
              + "): the run was cut short or the"
              + " file was damaged; re-run it");
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || !root.has("schemaVersion")) {
      throw new UserError(file + " is not a critpath run.json (no schemaVersion)");
    }
    return read(root, file.toAbsolutePath().getParent());
  }

  /** Reads a run from run.json's content; {@code dir} is where jmh.json and plans are looked up. */
  public static RunView read(JsonNode root, Path dir) {
    int version = root.path("schemaVersion").asInt(-1);
    if (version < 1 || version > SUPPORTED_SCHEMA_VERSION) {
      throw new UserError(
          "run.json in "
              + dir
              + " has schemaVersion "
              + root.path("schemaVersion").asText()
              + ", this critpath reads versions 1 to "
              + SUPPORTED_SCHEMA_VERSION
              + ": use the critpath version that wrote it, or re-run");
    }
    List<String> notes = new ArrayList<>();
    JsonNode sections = root.path("sections");
    List<String> sectionNames = new ArrayList<>();
    sections.fieldNames().forEachRemaining(sectionNames::add);

    Environment env = environment(sections.get("environment"), notes);
    DatasetView dataset = dataset(sections.get("dataset"), env);
    List<JmhResult> jmh = jmh(dir, sections.get("bench"), notes);
    List<QueryView> queries =
        queries(sections.get("bench"), sections.get("explain"), jmh, dir, notes);
    List<Finding> findings = indexFindings(sections.get("inspect"));
    List<HttpScenario> http = httpScenarios(sections.get("http"));
    stageNotes(sections, notes);
    return new RunView(
        dir,
        version,
        J.str(root, "runId"),
        instant(J.str(root, "startedAt")),
        instant(J.str(root, "finishedAt")),
        root.path("completed").asBoolean(false),
        J.str(root, "verdict"),
        env,
        dataset,
        queries,
        findings,
        http,
        jmh,
        sectionNames,
        notes);
  }

  private static Environment environment(JsonNode node, List<String> notes) {
    if (node == null || !node.isObject()) {
      return null;
    }
    try {
      return Json.mapper().treeToValue(node, Environment.class);
    } catch (JsonProcessingException e) {
      notes.add("the environment section could not be read: " + e.getOriginalMessage());
      return null;
    }
  }

  private static DatasetView dataset(JsonNode node, Environment env) {
    if (node != null && node.isObject()) {
      Map<String, Long> rows = new LinkedHashMap<>();
      JsonNode r = node.get("rows");
      if (r != null && r.isObject()) {
        r.fields().forEachRemaining(e -> rows.put(e.getKey(), e.getValue().asLong()));
      }
      return new DatasetView(
          J.str(node, "profile"), J.lng(node, "seed"), J.str(node, "fingerprint"), rows);
    }
    if (env != null && env.dataset() != null) {
      Environment.Dataset d = env.dataset();
      return new DatasetView(d.profile(), d.seed(), d.fingerprint(), Map.of());
    }
    return null;
  }

  private static List<JmhResult> jmh(Path dir, JsonNode bench, List<String> notes) {
    String name = J.str(bench, "jmhJson", "jmhFile", "jmh");
    Path file = dir.resolve(name != null && name.endsWith(".json") ? name : JMH_JSON);
    try {
      return JmhResult.read(file);
    } catch (UserError e) {
      notes.add(e.getMessage());
      return List.of();
    }
  }

  // ---------------------------------------------------------------- queries

  private static List<QueryView> queries(
      JsonNode bench, JsonNode explain, List<JmhResult> jmh, Path dir, List<String> notes) {
    Map<String, JsonNode> benchByName = byName(J.get(bench, "queries", "results"));
    Map<String, JsonNode> explainByName = byName(J.get(explain, "queries", "plans", "results"));
    Map<String, List<JmhResult>> jmhByName = new LinkedHashMap<>();
    List<JmhResult> unclaimed = new ArrayList<>(jmh);
    for (Map.Entry<String, JsonNode> e : benchByName.entrySet()) {
      List<JmhResult> mine = matchJmh(e.getKey(), e.getValue().get("jmh"), unclaimed);
      unclaimed.removeAll(mine);
      jmhByName.put(e.getKey(), mine);
    }
    for (JmhResult r : unclaimed) {
      jmhByName.computeIfAbsent(jmhQueryName(r), k -> new ArrayList<>()).add(r);
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
      String name = J.str(q, "name", "query", "id");
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
    JsonNode catalog = J.get(bench, "catalog", "entry");
    String about = firstText(bench, explain, catalog, "about", "description");
    String sql = firstText(bench, explain, catalog, "sql", "text");
    String role = firstText(bench, explain, catalog, "role");
    List<ParamSampling> params = params(J.get(bench, "params", "parameters"));
    if (params.isEmpty()) {
      params = params(J.get(explain, "params", "parameters"));
    }
    if (params.isEmpty()) {
      params = params(J.get(catalog, "params", "parameters"));
    }
    String mode = J.str(bench, "mode");
    if (mode == null && !jmh.isEmpty()) {
      mode = jmh.get(0).mode();
    }

    Latency latency = latency(J.get(bench, "latency", "latencyMs"));
    JmhResult primary = primaryJmh(jmh);
    if (latency.isEmpty() && primary != null) {
      latency = latencyFromJmh(primary);
    }
    if (latency.histogram().isEmpty() && primary != null && !primary.histogram().isEmpty()) {
      latency = withHistogram(latency, primary.histogram());
    }
    List<ThroughputPoint> throughput = throughput(J.get(bench, "throughput", "concurrency"));
    if (throughput.isEmpty()) {
      throughput = throughputFromJmh(jmh);
    }
    ServerStats server =
        serverStats(J.get(bench, "server", "serverStats", "pgStatStatements", "statements"));

    PlanView plan = plan(name, explain, dir, notes);

    String target = null;
    JsonNode t = J.get(bench, "target");
    if (t == null) {
      t = J.get(explain, "target");
    }
    if (t == null) {
      t = J.get(catalog, "target");
    }
    String targetMetric = null;
    Double targetMs = null;
    if (t != null && t.isObject()) {
      targetMetric = J.str(t, "metric", "percentile");
      targetMs = J.num(t, "limitMs", "ms", "limit", "value");
      target = J.str(t, "text", "expression");
      if (target == null && targetMetric != null && targetMs != null) {
        target = targetMetric + " < " + Fmt.plain(targetMs) + "ms";
      }
    } else if (t != null) {
      target = t.asText();
    }
    if (target != null && (targetMetric == null || targetMs == null)) {
      Matcher m = TARGET.matcher(target);
      if (m.find()) {
        targetMetric = m.group(1).toLowerCase(Locale.ROOT).replace("(", "").replace(")", "");
        targetMs = Double.parseDouble(m.group(3)) * unitToMs(m.group(4));
      }
    }

    List<CheckResult> checks = new ArrayList<>();
    checks.addAll(checks(J.get(bench, "thresholds"), CheckResult.Kind.THRESHOLD));
    checks.addAll(checks(J.get(bench, "checks"), CheckResult.Kind.THRESHOLD));
    if (checks.stream().noneMatch(c -> c.kind() == CheckResult.Kind.THRESHOLD)
        && target != null
        && targetMs != null) {
      checks.add(derivedThreshold(target, targetMetric, targetMs, latency));
    }
    checks.addAll(checks(J.get(explain, "expectations", "expect"), CheckResult.Kind.EXPECTATION));
    checks.addAll(checks(J.get(bench, "expectations"), CheckResult.Kind.EXPECTATION));
    List<Finding> warnings = findings(J.get(explain, "warnings", "findings"));

    return new QueryView(
        name,
        about,
        sql,
        role,
        params,
        mode,
        latency,
        throughput,
        server,
        plan,
        target,
        targetMetric,
        targetMs,
        checks,
        warnings);
  }

  private static String firstText(JsonNode a, JsonNode b, JsonNode c, String... names) {
    String v = J.str(a, names);
    if (v == null) {
      v = J.str(b, names);
    }
    return v != null ? v : J.str(c, names);
  }

  private static List<ParamSampling> params(JsonNode node) {
    List<ParamSampling> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e ->
                  out.add(
                      new ParamSampling(
                          e.getKey(),
                          e.getValue().isValueNode()
                              ? e.getValue().asText()
                              : J.str(e.getValue(), "sampling", "spec", "source", "how"))));
    } else if (node.isArray()) {
      for (JsonNode p : node) {
        if (p.isTextual()) {
          String[] parts = p.asText().split("=", 2);
          out.add(new ParamSampling(parts[0].trim(), parts.length > 1 ? parts[1].trim() : null));
        } else {
          out.add(
              new ParamSampling(
                  J.str(p, "name"), J.str(p, "sampling", "spec", "source", "how", "generator")));
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- latency

  static Latency latency(JsonNode node) {
    if (node == null || !node.isObject()) {
      return Latency.empty();
    }
    double f = unitToMs(J.str(node, "unit"));
    JsonNode pct = J.get(node, "percentiles");
    return new Latency(
        scaled(f, num(node, pct, "p50", "median", "50.0", "0.5")),
        scaled(f, num(node, pct, "p90", null, "90.0", "0.9")),
        scaled(f, num(node, pct, "p95", null, "95.0", "0.95")),
        scaled(f, num(node, pct, "p99", null, "99.0", "0.99")),
        scaled(f, num(node, pct, "p999", "p99.9", "99.9", "0.999")),
        scaled(f, num(node, pct, "max", null, "100.0", "1.0")),
        scaled(f, num(node, pct, "mean", "avg", null, null)),
        scaled(f, num(node, pct, "error", "meanError", null, null)),
        J.lng(node, "samples", "count", "n"),
        histogram(J.get(node, "histogram", "buckets"), f));
  }

  /** A latency value under its plain name, its name + "Ms", or a key of the percentiles map. */
  private static Double num(
      JsonNode node, JsonNode pct, String key, String alt, String p1, String p2) {
    Double v = J.num(node, key, key + "Ms");
    if (v == null && alt != null) {
      v = J.num(node, alt, alt + "Ms");
    }
    if (v == null && pct != null && p1 != null) {
      v = J.num(pct, p1, p2, key);
    }
    return v;
  }

  private static Double scaled(double factor, Double v) {
    return v == null ? null : v * factor;
  }

  private static List<Latency.Bucket> histogram(JsonNode node, double factor) {
    List<Latency.Bucket> out = new ArrayList<>();
    if (node == null || !node.isArray()) {
      return out;
    }
    for (JsonNode b : node) {
      if (b.isArray() && b.size() >= 2) {
        out.add(new Latency.Bucket(b.get(0).asDouble() * factor, b.get(1).asLong()));
      } else if (b.isObject()) {
        Double upTo = J.num(b, "upToMs", "upTo", "le", "value", "ms");
        Long count = J.lng(b, "count", "n");
        if (upTo != null && count != null) {
          out.add(new Latency.Bucket(upTo * factor, count));
        }
      }
    }
    out.sort(Comparator.comparingDouble(Latency.Bucket::upToMs));
    return out;
  }

  static double unitToMs(String unit) {
    if (unit == null) {
      return 1;
    }
    switch (unit.trim().toLowerCase(Locale.ROOT)) {
      case "ns":
        return 1e-6;
      case "us":
      case "µs":
        return 1e-3;
      case "s":
        return 1000;
      default:
        return 1;
    }
  }

  private static Latency latencyFromJmh(JmhResult r) {
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
    if (r.higherIsBetter() || r.score() == 0) {
      return Latency.empty();
    }
    return new Latency(
        null, null, null, null, null, null, r.score(), r.scoreError(), null, List.of());
  }

  private static Latency withHistogram(Latency l, List<Latency.Bucket> histogram) {
    return new Latency(
        l.p50(),
        l.p90(),
        l.p95(),
        l.p99(),
        l.p999(),
        l.max(),
        l.mean(),
        l.error(),
        l.samples(),
        histogram);
  }

  // ---------------------------------------------------------------- JMH matching

  /**
   * The jmh.json entries of one query: those the bench section names (benchmark, mode, params),
   * else those whose params hold the query name, else the benchmark method named after it.
   */
  private static List<JmhResult> matchJmh(String name, JsonNode keys, List<JmhResult> all) {
    List<JmhResult> out = new ArrayList<>();
    List<JsonNode> wanted = new ArrayList<>();
    if (keys != null && keys.isArray()) {
      keys.forEach(wanted::add);
    } else if (keys != null && keys.isObject()) {
      wanted.add(keys);
    }
    if (!wanted.isEmpty()) {
      for (JmhResult r : all) {
        for (JsonNode k : wanted) {
          if (matches(r, k)) {
            out.add(r);
            break;
          }
        }
      }
      return out;
    }
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

  private static boolean matches(JmhResult r, JsonNode key) {
    String benchmark = J.str(key, "benchmark");
    String mode = J.str(key, "mode");
    if (benchmark != null && !benchmark.equals(r.benchmark())) {
      return false;
    }
    if (mode != null && !mode.equals(r.mode())) {
      return false;
    }
    Long threads = J.lng(key, "threads");
    if (threads != null && threads != r.threads()) {
      return false;
    }
    JsonNode params = key.get("params");
    if (params != null && params.isObject()) {
      var it = params.fields();
      while (it.hasNext()) {
        var e = it.next();
        if (!e.getValue().asText().equals(r.params().get(e.getKey()))) {
          return false;
        }
      }
    }
    return benchmark != null || params != null;
  }

  /** The query name of a jmh.json entry no bench section claimed. */
  static String jmhQueryName(JmhResult r) {
    String q = r.params().get("query");
    if (q != null) {
      return q;
    }
    // messageFetch -> message_fetch, the catalog's naming
    return r.method().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  /** The entry reports show percentiles of: sample mode first, at the fewest threads. */
  private static JmhResult primaryJmh(List<JmhResult> jmh) {
    return jmh.stream()
        .min(
            Comparator.comparingInt((JmhResult r) -> "sample".equals(r.mode()) ? 0 : 1)
                .thenComparingInt(JmhResult::threads))
        .orElse(null);
  }

  private static List<ThroughputPoint> throughput(JsonNode node) {
    List<ThroughputPoint> out = new ArrayList<>();
    for (JsonNode p : J.list(node, "threads")) {
      Double threads = J.num(p, "threads", "concurrency", "clients");
      Double ops = J.num(p, "opsPerSec", "ops", "throughput", "score");
      if (threads != null && ops != null) {
        out.add(
            new ThroughputPoint(
                (int) Math.round(threads),
                ops,
                J.num(p, "error", "opsPerSecError"),
                J.num(p, "p95Ms", "p95")));
      }
    }
    if (out.isEmpty() && node != null && node.isObject()) {
      // {"1": 1234.5, "4": 3456.7}
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getValue().isNumber() && e.getKey().matches("\\d+")) {
                  out.add(
                      new ThroughputPoint(
                          Integer.parseInt(e.getKey()), e.getValue().asDouble(), null, null));
                }
              });
    }
    out.sort(Comparator.comparingInt(ThroughputPoint::threads));
    return out;
  }

  /** Throughput per thread count: thrpt entries as they are, time modes as threads / mean. */
  private static List<ThroughputPoint> throughputFromJmh(List<JmhResult> jmh) {
    Map<Integer, ThroughputPoint> byThreads = new java.util.TreeMap<>();
    for (JmhResult r : jmh) {
      if (r.higherIsBetter()) {
        byThreads.put(
            r.threads(), new ThroughputPoint(r.threads(), r.score(), r.scoreError(), null));
      } else if (!byThreads.containsKey(r.threads()) && r.score() > 0) {
        Double p95 = r.percentiles().get("95.0");
        byThreads.put(
            r.threads(),
            new ThroughputPoint(r.threads(), r.threads() * 1000.0 / r.score(), null, p95));
      }
    }
    return new ArrayList<>(byThreads.values());
  }

  private static ServerStats serverStats(JsonNode node) {
    if (node == null || !node.isObject()) {
      return ServerStats.empty();
    }
    Long calls = J.lng(node, "calls");
    return new ServerStats(
        calls,
        J.num(node, "meanExecMs", "mean_exec_time", "meanExecTimeMs"),
        J.num(node, "totalExecMs", "total_exec_time", "totalExecTimeMs"),
        J.num(node, "meanPlanMs", "mean_plan_time"),
        perCall(node, calls, "rowsPerCall", "rows"),
        perCall(node, calls, "sharedHitPerCall", "shared_blks_hit", "sharedBlksHit"),
        perCall(node, calls, "sharedReadPerCall", "shared_blks_read", "sharedBlksRead"),
        perCall(node, calls, "tempBlocksPerCall", "temp_blks_written", "tempBlksWritten"),
        J.num(node, "clientOverheadMs", "clientMs"));
  }

  /** A per-call value, or a total divided by the calls. */
  private static Double perCall(JsonNode node, Long calls, String perCallName, String... totals) {
    Double v = J.num(node, perCallName);
    if (v != null) {
      return v;
    }
    Double total = J.num(node, totals);
    return total == null || calls == null || calls == 0 ? null : total / calls;
  }

  // ---------------------------------------------------------------- plans

  private static PlanView plan(String name, JsonNode explain, Path dir, List<String> notes) {
    String file = J.str(explain, "planFile", "file", "rawPlan");
    if (file == null) {
      String candidate = "explain/" + name + ".json";
      if (Files.isRegularFile(dir.resolve(candidate))) {
        file = candidate;
      }
    }
    PlanView parsed = null;
    if (file != null) {
      Path path = dir.resolve(file);
      if (Files.isRegularFile(path)) {
        try {
          parsed = PlanParser.parse(Json.mapper().readTree(path.toFile()), file);
        } catch (IOException e) {
          notes.add("plan file " + file + " is not valid JSON; plan tree left out");
        }
      }
    } else {
      JsonNode inline = J.get(explain, "plan", "raw");
      if (inline != null && inline.isContainerNode()) {
        parsed = PlanParser.parse(inline, null);
      }
    }
    String fingerprint = J.str(explain, "fingerprint", "planFingerprint");
    String shape = J.str(explain, "shape", "planShape");
    List<String> indexes = J.strings(J.get(explain, "indexesUsed", "indexes"));
    JsonNode facts = J.get(explain, "facts");
    if (parsed != null) {
      return new PlanView(
          parsed.file(),
          fingerprint != null ? fingerprint : parsed.fingerprint(),
          parsed.shape(),
          indexes.isEmpty() ? parsed.indexesUsed() : indexes,
          parsed.root(),
          parsed.hotNodeId(),
          parsed.executionMs() != null
              ? parsed.executionMs()
              : J.num(facts, "executionMs", "executionTimeMs"),
          parsed.planningMs() != null ? parsed.planningMs() : J.num(facts, "planningMs"));
    }
    if (explain == null) {
      return PlanView.none();
    }
    if (indexes.isEmpty()) {
      indexes = J.strings(J.get(facts, "indexesUsed", "indexes"));
    }
    return new PlanView(
        file,
        fingerprint,
        shape,
        indexes,
        null,
        -1,
        J.num(facts, "executionMs", "executionTimeMs"),
        J.num(facts, "planningMs", "planningTimeMs"));
  }

  // ---------------------------------------------------------------- checks and findings

  static List<CheckResult> checks(JsonNode node, CheckResult.Kind kind) {
    List<CheckResult> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    for (JsonNode c : J.list(node, "name")) {
      if (c.isTextual()) {
        out.add(new CheckResult(kind, c.asText(), Status.SKIP, null, null));
        continue;
      }
      String name =
          J.str(c, "name", "text", "expectation", "threshold", "expect", "description", "rule");
      Status status;
      Boolean passed = J.bool(c, "passed", "pass", "ok", "held");
      if (passed != null) {
        status = passed ? Status.PASS : Status.FAIL;
      } else {
        status = Status.parse(J.str(c, "status", "result", "outcome", "verdict"));
      }
      JsonNode ev = J.get(c, "evidence", "detail", "reason", "message");
      String evidence =
          ev == null
              ? null
              : ev.isArray()
                  ? String.join("; ", J.strings(ev))
                  : J.str(c, "evidence", "detail", "reason", "message");
      String k = J.str(c, "kind", "type");
      CheckResult.Kind actualKind =
          k == null
              ? kind
              : k.toLowerCase(Locale.ROOT).startsWith("expect")
                  ? CheckResult.Kind.EXPECTATION
                  : CheckResult.Kind.THRESHOLD;
      out.add(
          new CheckResult(
              actualKind, name, status, J.str(c, "actual", "observed", "value"), evidence));
    }
    return out;
  }

  private static CheckResult derivedThreshold(
      String target, String metric, double limitMs, Latency latency) {
    Double actual = latency.get(metric == null ? "p95" : metric);
    if (actual == null) {
      return new CheckResult(
          CheckResult.Kind.THRESHOLD, target, Status.SKIP, null, "no " + metric + " was measured");
    }
    boolean passed = actual < limitMs;
    return new CheckResult(
        CheckResult.Kind.THRESHOLD,
        target,
        passed ? Status.PASS : Status.FAIL,
        metric + " = " + Fmt.ms(actual),
        metric
            + " "
            + Fmt.ms(actual)
            + (passed ? " is under " : " exceeds ")
            + "the target of "
            + Fmt.plain(limitMs)
            + " ms (checked by the report: the run recorded no threshold result)");
  }

  static List<Finding> findings(JsonNode node) {
    List<Finding> out = new ArrayList<>();
    for (JsonNode f : J.list(node, "rule")) {
      if (f.isTextual()) {
        out.add(new Finding(null, "warn", null, f.asText(), null));
        continue;
      }
      String subject = J.str(f, "subject", "node", "index", "table", "relation");
      String index = J.str(f, "index");
      String table = J.str(f, "table");
      if (index != null && table != null) {
        subject = index + " on " + table;
      }
      out.add(
          new Finding(
              J.str(f, "rule", "code", "check", "kind", "type"),
              normalSeverity(J.str(f, "severity", "level")),
              subject,
              J.str(f, "message", "text", "detail", "description"),
              J.str(f, "fix", "suggestion", "hint", "remedy")));
    }
    return out;
  }

  private static String normalSeverity(String s) {
    if (s == null) {
      return "warn";
    }
    String l = s.toLowerCase(Locale.ROOT);
    if (l.startsWith("err") || l.startsWith("crit") || l.startsWith("fail") || l.equals("high")) {
      return "error";
    }
    if (l.startsWith("info") || l.equals("low") || l.equals("notice")) {
      return "info";
    }
    return "warn";
  }

  private static List<Finding> indexFindings(JsonNode inspect) {
    if (inspect == null) {
      return List.of();
    }
    JsonNode list = inspect.isArray() ? inspect : J.get(inspect, "findings", "issues", "results");
    return findings(list);
  }

  private static List<HttpScenario> httpScenarios(JsonNode http) {
    List<HttpScenario> out = new ArrayList<>();
    if (http == null) {
      return out;
    }
    JsonNode list = http.isArray() ? http : J.get(http, "scenarios", "results");
    for (JsonNode s : J.list(list, "name")) {
      List<CheckResult> checks =
          new ArrayList<>(checks(J.get(s, "thresholds"), CheckResult.Kind.THRESHOLD));
      checks.addAll(checks(J.get(s, "checks"), CheckResult.Kind.EXPECTATION));
      List<HttpScenario.TimePoint> timeline = new ArrayList<>();
      for (JsonNode p : J.list(J.get(s, "timeline", "series"), "second")) {
        Double second = J.num(p, "second", "t", "elapsedSec");
        if (second != null) {
          timeline.add(
              new HttpScenario.TimePoint(
                  second,
                  J.num(p, "requestsPerSec", "rps"),
                  J.num(p, "p95Ms", "p95"),
                  J.num(p, "errorRate")));
        }
      }
      out.add(
          new HttpScenario(
              J.str(s, "name"),
              J.str(s, "executor"),
              J.str(s, "target", "endpoint", "url", "function"),
              J.lng(s, "requests", "count", "iterations"),
              J.lng(s, "errors", "failed", "failures"),
              J.num(s, "requestsPerSec", "rps", "throughput"),
              J.lng(s, "droppedIterations", "dropped"),
              latency(J.get(s, "latency", "latencyMs", "duration")),
              checks,
              timeline));
    }
    return out;
  }

  /** Stages that broke and doctor problems: a report must not hide why numbers are missing. */
  private static void stageNotes(JsonNode sections, List<String> notes) {
    for (JsonNode e : J.list(sections.get("stageErrors"), "stage")) {
      notes.add("stage " + J.str(e, "stage") + " broke: " + J.str(e, "message"));
    }
    for (JsonNode c : J.list(sections.get("doctor"), "name")) {
      String status = J.str(c, "status");
      if (status != null && !status.equalsIgnoreCase("OK")) {
        String fix = J.str(c, "fix");
        notes.add(
            "doctor "
                + status
                + " "
                + J.str(c, "name")
                + ": "
                + J.str(c, "detail")
                + (fix == null || fix.isBlank() ? "" : " (fix: " + fix + ")"));
      }
    }
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
