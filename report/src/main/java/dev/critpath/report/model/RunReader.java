package dev.critpath.report.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.Secrets;
import dev.critpath.UserError;
import dev.critpath.io.Json;
import dev.critpath.report.env.Environment;
import dev.critpath.run.RunDirectory;
import dev.critpath.run.RunRecord;
import dev.critpath.run.Section;
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
  /**
   * The run.json schema version this reader understands. Version 1 runs wrote realtime latencies as
   * p95Ms and 0 for nothing measured; they are not read, so no fallback hides a shape change.
   */
  public static final int SUPPORTED_SCHEMA_VERSION = RunRecord.SCHEMA_VERSION;

  /** One line for a run.json that does not parse: the cause in Jackson's words, no internals. */
  public static UserError damaged(Path file, JsonProcessingException e) {
    return new UserError(
        file
            + " is not valid JSON ("
            + e.getOriginalMessage()
            + "): the run was cut short or the file was damaged; re-run it");
  }

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
      throw damaged(file, e);
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
    if (version != SUPPORTED_SCHEMA_VERSION) {
      throw new UserError(
          "run.json in "
              + dir
              + " has schemaVersion "
              + root.path("schemaVersion").asText()
              + ", this critpath reads version "
              + SUPPORTED_SCHEMA_VERSION
              + ": use the critpath version that wrote it, or re-run");
    }
    List<String> notes = new ArrayList<>();
    JsonNode sections = root.path("sections");
    List<String> sectionNames = new ArrayList<>();
    sections.fieldNames().forEachRemaining(sectionNames::add);

    Environment env = environment(sections.get(Section.ENVIRONMENT.key()), notes);
    DatasetView dataset = dataset(sections, env);
    List<JmhResult> jmh = jmh(dir, sections.get(Section.BENCH.key()), notes);
    List<QueryView> queries =
        queries(
            sections.get(Section.BENCH.key()),
            sections.get(Section.EXPLAIN.key()),
            jmh,
            dir,
            notes);
    List<Finding> findings = indexFindings(sections.get(Section.INSPECT.key()), notes);
    List<HttpFile> http = httpFiles(sections.get(Section.HTTP.key()));
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
        RealtimeReader.read(sections.get(Section.REALTIME.key())),
        RlsReader.read(sections.get(Section.RLS.key())),
        InDatabaseRow.read(sections.get(Section.IN_DATABASE.key())),
        jmh,
        facts(sections),
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

  /** The seeder's summary, else the dataset the bench stage or the environment recorded. */
  private static DatasetView dataset(JsonNode sections, Environment env) {
    JsonNode node = sections.get(Section.DATASET.key());
    if (node == null) {
      node = J.get(sections.get(Section.BENCH.key()), "dataset");
    }
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
    String name = J.str(bench, "jmhFile");
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
    Map<String, JsonNode> benchByName = byName(J.get(bench, "queries"));
    Map<String, JsonNode> explainByName = byName(J.get(explain, "queries"));
    Map<String, List<JmhResult>> jmhByName = new LinkedHashMap<>();
    List<JmhResult> unclaimed = new ArrayList<>(jmh);
    for (String name : benchByName.keySet()) {
      List<JmhResult> mine = matchJmh(name, unclaimed);
      unclaimed.removeAll(mine);
      jmhByName.put(name, mine);
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
    List<String> queryNotes = new ArrayList<>();
    List<CheckResult> checks = new ArrayList<>();

    // the variant the targets are checked on comes first; its numbers are the query's
    List<JsonNode> variantNodes = J.list(J.get(bench, "variants"), "variant");
    List<JsonNode> targets = J.list(J.get(bench, "targets"), "target");
    String mainVariant = targets.isEmpty() ? null : J.str(targets.get(0), "variant");
    JsonNode main = variantNodes.isEmpty() ? null : variantNodes.get(0);
    for (JsonNode v : variantNodes) {
      if (mainVariant != null && mainVariant.equals(J.str(v, "variant"))) {
        main = v;
      }
    }
    if (mainVariant == null && main != null) {
      mainVariant = J.str(main, "variant");
    }
    List<VariantView> variants = new ArrayList<>();
    if (main != null) {
      variants.add(variant(main));
    }
    for (JsonNode v : variantNodes) {
      if (v != main) {
        variants.add(variant(v));
      }
    }

    String mode = null;
    JmhResult primary = primaryJmh(jmh, mainVariant);
    if (primary != null) {
      mode = primary.mode();
    }
    Latency latency = main == null ? Latency.empty() : latency(J.get(main, "latency"));
    if (latency.isEmpty() && primary != null) {
      latency = latencyFromJmh(primary);
    }
    if (latency.histogram().isEmpty() && primary != null && !primary.histogram().isEmpty()) {
      latency = withHistogram(latency, primary.histogram());
    }
    List<ThroughputPoint> throughput = throughput(J.get(main, "concurrency"));
    if (throughput.isEmpty()) {
      throughput = throughputFromJmh(jmh, mainVariant);
    }
    ServerStats server = serverStats(J.get(main, "server"));

    String status = J.str(bench, "status");
    String reason = J.str(bench, "reason");
    if (bench != null) {
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
    }

    String target = null;
    String targetMetric = null;
    Double targetMs = null;
    for (JsonNode t : targets) {
      checks.add(targetCheck(t));
      if (target == null) {
        target = J.str(t, "target");
      }
    }
    if (target != null) {
      Matcher m = TARGET.matcher(target);
      if (m.find()) {
        targetMetric = m.group(1).toLowerCase(Locale.ROOT).replace("(", "").replace(")", "");
        targetMs = Double.parseDouble(m.group(3)) * unitToMs(m.group(4));
      }
    }

    PlanView plan = PlanView.none();
    List<Finding> warnings = new ArrayList<>();
    if (explain != null) {
      String error = J.str(explain, "error");
      checks.add(ranCheck(PLAN_CAPTURED, error == null ? "ok" : "failed", error));
      List<JsonNode> plans = J.list(J.get(explain, "plans"), "variant");
      JsonNode hot = plans.isEmpty() ? null : plans.get(0);
      plan = plan(hot, dir, notes);
      // every captured plan's warnings (hot, cold, generic), statements in functions included
      for (JsonNode captured : plans) {
        String variant = J.str(captured, "variant");
        String prefix = variant == null || "hot".equals(variant) ? "" : variant + " plan: ";
        for (Finding w : findings(J.get(J.get(captured, "analysis"), "warnings"))) {
          warnings.add(prefixed(w, prefix));
        }
        for (JsonNode nested : J.list(J.get(captured, "nested"), "queryText")) {
          String statement = J.str(nested, "queryText");
          String where =
              prefix + (statement == null ? "nested statement" : abbreviate(statement)) + ": ";
          for (Finding w : findings(J.get(nested, "warnings"))) {
            warnings.add(prefixed(w, where));
          }
        }
      }
      checks.addAll(checks(J.get(explain, "expectations"), CheckResult.Kind.EXPECTATION));
      JsonNode generic = J.get(explain, "generic");
      if (generic != null && Boolean.TRUE.equals(J.bool(generic, "differs"))) {
        queryNotes.add(
            "the generic plan (used by prepared statements after 5 runs) differs: "
                + J.str(generic, "shape")
                + (Boolean.TRUE.equals(J.bool(generic, "chosenAfterFiveRuns"))
                    ? " (and the server switched to it)"
                    : ""));
      }
      String notExecuted = J.str(explain, "notExecuted");
      if (notExecuted != null) {
        queryNotes.add(notExecuted);
      }
      for (JsonNode w : J.list(J.get(explain, "whatIf"), "index")) {
        Double msBefore = J.num(w, "msBefore");
        queryNotes.add(
            "what-if ("
                + J.str(w, "kind")
                + " "
                + J.str(w, "index")
                + "): "
                + (msBefore == null
                    ? ""
                    : Fmt.ms(msBefore) + " → " + Fmt.ms(J.num(w, "msAfter")) + " measured, ")
                + "cost "
                + Fmt.num(J.num(w, "costBefore"))
                + " → "
                + Fmt.num(J.num(w, "costAfter"))
                + (Boolean.TRUE.equals(J.bool(w, "planChanged")) ? ", plan changes" : "")
                + (J.str(w, "verdict") == null ? "" : ": " + J.str(w, "verdict")));
      }
    }
    if (checks.stream().noneMatch(c -> c.kind() == CheckResult.Kind.EXPECTATION)) {
      // the catalog's expectations, when no explain stage evaluated them
      for (JsonNode e : J.list(J.get(bench, "expectations"), "text")) {
        checks.add(
            new CheckResult(
                CheckResult.Kind.EXPECTATION,
                J.str(e, "text"),
                Status.SKIP,
                null,
                "not evaluated: the run has no explain results for this query"));
      }
    }
    JsonNode rls = J.get(bench, "rlsOverhead");
    if (rls != null) {
      queryNotes.add(
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
      queryNotes.add("Java twin of " + twin + ": the difference is the Java layer's own cost");
    }

    return new QueryView(
        name,
        firstText(bench, explain, "about"),
        firstText(bench, explain, "source"),
        firstText(bench, explain, "sql"),
        firstText(bench, explain, "role"),
        params(J.get(bench, "params")),
        mode,
        status,
        reason,
        latency,
        throughput,
        server,
        plan,
        target,
        targetMetric,
        targetMs,
        checks,
        warnings,
        variants,
        queryNotes);
  }

  private static Finding prefixed(Finding w, String prefix) {
    if (prefix.isEmpty()) {
      return w;
    }
    String subject =
        w.subject() == null ? prefix.substring(0, prefix.length() - 2) : prefix + w.subject();
    return new Finding(w.rule(), w.severity(), subject, w.message(), w.fix());
  }

  private static VariantView variant(JsonNode v) {
    return new VariantView(
        J.str(v, "variant"),
        J.str(v, "status"),
        J.str(v, "reason"),
        latency(J.get(v, "latency")),
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
  private static CheckResult ranCheck(String name, String status, String reason) {
    Status s =
        status == null || "ok".equalsIgnoreCase(status)
            ? Status.PASS
            : "skipped".equalsIgnoreCase(status) ? Status.SKIP : Status.FAIL;
    return new CheckResult(CheckResult.Kind.RUN, name, s, null, reason);
  }

  private static CheckResult targetCheck(JsonNode t) {
    String text = J.str(t, "target");
    Double observed = J.num(t, "observedMs");
    Boolean pass = J.bool(t, "pass", "passed");
    String variant = J.str(t, "variant");
    String location = J.str(t, "location");
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

  private static String abbreviate(String sql) {
    String one = sql.replaceAll("\\s+", " ").trim();
    return one.length() > 60 ? one.substring(0, 57) + "..." : one;
  }

  private static List<ParamSampling> params(JsonNode node) {
    List<ParamSampling> out = new ArrayList<>();
    for (JsonNode p : J.list(node, "name")) {
      out.add(new ParamSampling(J.str(p, "name"), J.str(p, "sampling", "sampler", "spec")));
    }
    return out;
  }

  // ---------------------------------------------------------------- latency

  /**
   * A latency object in milliseconds: the http and realtime sections' {@link
   * dev.critpath.run.LatencySummary} (count, min, mean, p50 ... p999, max), or the bench section's
   * JMH latency (samples, mean, error, p50 ... "p99.9", max, optional histogram).
   */
  static Latency latency(JsonNode node) {
    if (node == null || !node.isObject()) {
      return Latency.empty();
    }
    return new Latency(
        J.num(node, "p50"),
        J.num(node, "p90"),
        J.num(node, "p95"),
        J.num(node, "p99"),
        J.num(node, "p999", "p99.9"),
        J.num(node, "max"),
        J.num(node, "mean"),
        J.num(node, "error"),
        J.lng(node, "samples", "count"),
        histogram(J.get(node, "histogram")));
  }

  /** [{"upToMs": x, "count": n}, ...], ascending. */
  private static List<Latency.Bucket> histogram(JsonNode node) {
    List<Latency.Bucket> out = new ArrayList<>();
    for (JsonNode b : J.list(node, "upToMs")) {
      Double upTo = J.num(b, "upToMs");
      Long count = J.lng(b, "count");
      if (upTo != null && count != null) {
        out.add(new Latency.Bucket(upTo, count));
      }
    }
    out.sort(Comparator.comparingDouble(Latency.Bucket::upToMs));
    return out;
  }

  /** Milliseconds per unit of a target ("50ms", "0.5s", "800us"). */
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
    if (r.higherIsBetter()) {
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
   * The jmh.json entries of one query: those with a param (JMH @Param "query") holding its name,
   * else the benchmark method named after it (message_fetch ~ messageFetch).
   */
  private static List<JmhResult> matchJmh(String name, List<JmhResult> all) {
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
  static String jmhQueryName(JmhResult r) {
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
  private static JmhResult primaryJmh(List<JmhResult> jmh, String variant) {
    return jmh.stream()
        .filter(r -> ofVariant(r, variant))
        .min(
            Comparator.comparingInt((JmhResult r) -> "sample".equals(r.mode()) ? 0 : 1)
                .thenComparingInt(JmhResult::threads))
        .orElse(null);
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

  /** Throughput per thread count: thrpt entries as they are, time modes as threads / mean. */
  private static List<ThroughputPoint> throughputFromJmh(List<JmhResult> jmh, String variant) {
    Map<Integer, ThroughputPoint> byThreads = new java.util.TreeMap<>();
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

  // ---------------------------------------------------------------- plans

  /**
   * A captured plan: {@code file} (the raw EXPLAIN JSON, relative to the run directory) parsed into
   * a tree, and {@code analysis} (fingerprint, shape, facts) as the explain stage recorded it.
   */
  private static PlanView plan(JsonNode captured, Path dir, List<String> notes) {
    if (captured == null) {
      return PlanView.none();
    }
    String file = J.str(captured, "file");
    PlanView parsed = null;
    if (file != null) {
      Path path = dir.resolve(file);
      if (Files.isRegularFile(path)) {
        try {
          parsed = PlanParser.parse(Json.mapper().readTree(path.toFile()), file);
        } catch (IOException e) {
          notes.add("plan file " + file + " is not valid JSON; its plan tree is left out");
        }
      } else {
        notes.add("plan file " + file + " is missing; its plan tree is left out");
      }
    }
    JsonNode analysis = J.get(captured, "analysis");
    JsonNode facts = J.get(analysis, "facts");
    List<String> indexes = new ArrayList<>();
    for (JsonNode use : J.list(J.get(facts, "indexesUsed"), "index")) {
      String index = use.isTextual() ? use.asText() : J.str(use, "index");
      if (index != null && !indexes.contains(index)) {
        indexes.add(index);
      }
    }
    if (parsed != null) {
      return new PlanView(
          parsed.file(),
          parsed.fingerprint(),
          parsed.shape(),
          true,
          parsed.indexesUsed(),
          parsed.root(),
          parsed.hotNodeId(),
          parsed.executionMs() != null ? parsed.executionMs() : J.num(facts, "executionMs"),
          parsed.planningMs() != null ? parsed.planningMs() : J.num(facts, "planningMs"),
          J.num(facts, "sharedHit"),
          J.num(facts, "sharedRead"));
    }
    return new PlanView(
        file,
        J.str(analysis, "fingerprint"),
        J.str(analysis, "shape"),
        false,
        indexes,
        null,
        -1,
        J.num(facts, "executionMs"),
        J.num(facts, "planningMs"),
        J.num(facts, "sharedHit"),
        J.num(facts, "sharedRead"));
  }

  // ---------------------------------------------------------------- checks and findings

  /**
   * Checks with an outcome: {@code passed} (boolean) or {@code status}; named by {@code
   * expectation}, {@code name}, {@code threshold} or {@code text}; with {@code evidence} and {@code
   * location}.
   */
  static List<CheckResult> checks(JsonNode node, CheckResult.Kind kind) {
    List<CheckResult> out = new ArrayList<>();
    for (JsonNode c : J.list(node, "name")) {
      String name = J.str(c, "expectation", "name", "threshold", "text");
      Boolean passed = J.bool(c, "passed", "pass");
      String skipped = J.str(c, "skipped");
      Status status =
          skipped != null
              ? Status.SKIP
              : passed != null
                  ? (passed ? Status.PASS : Status.FAIL)
                  : Status.parse(J.str(c, "status"));
      String evidence = skipped != null ? skipped : J.str(c, "evidence", "note");
      String location = J.str(c, "location");
      if (location != null) {
        evidence = (evidence == null ? "" : evidence + " ") + "(" + location + ")";
      }
      out.add(new CheckResult(kind, name, status, J.str(c, "actual"), evidence, location));
    }
    return out;
  }

  /** Findings: {rule|check, severity, object|node|index|table, table, message, fix}. */
  static List<Finding> findings(JsonNode node) {
    List<Finding> out = new ArrayList<>();
    for (JsonNode f : J.list(node, "rule")) {
      String subject = J.str(f, "object", "node", "subject");
      String table = J.str(f, "table");
      if (subject == null) {
        subject = table;
      } else if (table != null && !subject.equals(table)) {
        subject = subject + " on " + table;
      }
      String fix = J.str(f, "fix");
      out.add(
          new Finding(
              J.str(f, "rule", "check"),
              normalSeverity(J.str(f, "severity")),
              subject,
              J.str(f, "message"),
              fix == null || fix.isBlank() ? null : fix));
    }
    return out;
  }

  /** info, warn or error: the inspect and explain stages say INFO, WARN, CRITICAL. */
  private static String normalSeverity(String s) {
    if (s == null) {
      return "warn";
    }
    String l = s.toLowerCase(Locale.ROOT);
    if (l.startsWith("crit") || l.startsWith("err")) {
      return "error";
    }
    return l.startsWith("info") ? "info" : "warn";
  }

  private static List<Finding> indexFindings(JsonNode inspect, List<String> notes) {
    if (inspect == null) {
      return List.of();
    }
    for (String problem : J.strings(J.get(inspect, "problems"))) {
      notes.add("inspect: " + problem);
    }
    return findings(J.get(inspect, "findings"));
  }

  /** http: {files: [{name, description, scenarios: [...], thresholds: [...], verdict}]}. */
  private static List<HttpFile> httpFiles(JsonNode http) {
    List<HttpFile> out = new ArrayList<>();
    if (http == null) {
      return out;
    }
    for (JsonNode f : J.list(J.get(http, "files"), "name")) {
      List<CheckResult> checks = new ArrayList<>();
      JsonNode validation = J.get(f, "validation");
      if (validation != null && J.bool(validation, "passed") != null) {
        checks.add(
            new CheckResult(
                CheckResult.Kind.RUN,
                "functional validation",
                J.bool(validation, "passed") ? Status.PASS : Status.FAIL,
                null,
                J.str(validation, "message", "reason", "summary")));
      }
      for (JsonNode t : J.list(J.get(f, "thresholds"), "metric")) {
        Boolean passed = J.bool(t, "passed");
        Double value = J.num(t, "value");
        checks.add(
            new CheckResult(
                CheckResult.Kind.THRESHOLD,
                J.str(t, "metric") + ": " + J.str(t, "threshold"),
                passed == null ? Status.SKIP : passed ? Status.PASS : Status.FAIL,
                value == null ? null : Fmt.num(value),
                J.str(t, "note")));
      }
      List<String> notes = new ArrayList<>();
      if (J.str(f, "aborted") != null) {
        notes.add("aborted: " + J.str(f, "aborted"));
      }
      notes.addAll(J.strings(J.get(f, "warnings")));
      List<HttpScenario> scenarios = new ArrayList<>();
      for (JsonNode s : J.list(J.get(f, "scenarios"), "name")) {
        List<HttpScenario.TimePoint> timeline = new ArrayList<>();
        for (JsonNode row : J.list(J.get(s, "timeSeries"), "t")) {
          Double t = J.num(row, "t");
          if (t != null) {
            Double requests = J.num(row, "requests");
            Double failed = J.num(row, "failed");
            timeline.add(
                new HttpScenario.TimePoint(
                    t,
                    requests,
                    J.num(row, "p95"),
                    requests == null || failed == null || requests == 0
                        ? null
                        : failed / requests));
          }
        }
        Long requests = J.lng(s, "requests");
        Double failedRate = J.num(s, "failedRate");
        scenarios.add(
            new HttpScenario(
                J.str(s, "name"),
                J.str(s, "executor"),
                requests,
                requests == null || failedRate == null ? null : Math.round(requests * failedRate),
                J.num(s, "requestsPerSecond"),
                J.lng(s, "droppedIterations"),
                latency(J.get(s, "latency")),
                timeline));
      }
      out.add(
          new HttpFile(
              J.str(f, "name"),
              J.str(f, "description"),
              J.str(f, "verdict"),
              scenarios,
              checks,
              notes));
    }
    return out;
  }

  /** Run-level facts: how the benchmarks were measured, cache hit ratios, the HTTP target. */
  /** The fact naming what was between critpath and the server. */
  /** The name of the check that a query's plan was captured. */
  public static final String PLAN_CAPTURED = "plan captured";

  public static final String CONNECTION_FACT = "connection";

  /** Facts that start with this say what a stage could not capture. */
  public static final String NOT_CAPTURED_FACT = "not captured";

  private static Map<String, String> facts(JsonNode sections) {
    Map<String, String> facts = new LinkedHashMap<>();
    JsonNode pooler = J.get(sections.get(Section.ENVIRONMENT.key()), "pooler");
    if (pooler != null) {
      facts.put(
          CONNECTION_FACT,
          J.str(pooler, "mode")
              + " ("
              + J.str(pooler, "detectedBy")
              + "); server-side prepared statements "
              + (pooler.path("serverPreparedStatements").asBoolean(true) ? "on" : "off")
              + (J.str(pooler, "preparedStatementsBy") == null
                  ? ""
                  : " (" + J.str(pooler, "preparedStatementsBy") + ")"));
    }
    String serverStats = J.str(sections.get(Section.BENCH.key()), "serverStats");
    if (serverStats != null && serverStats.startsWith("unavailable")) {
      // the bench table's server columns are blank: say why where they are read
      facts.put(
          NOT_CAPTURED_FACT + " (bench)",
          "server-side time per query: "
              + serverStats.substring(serverStats.indexOf(':') + 1).strip());
    }
    for (JsonNode lost : J.list(sections.get(Section.NOT_CAPTURED.key()), "stage")) {
      String fix = J.str(lost, "fix");
      facts.merge(
          NOT_CAPTURED_FACT + " (" + J.str(lost, "stage") + ")",
          J.str(lost, "what")
              + ": "
              + J.str(lost, "why")
              + (fix == null ? "" : " (fix: " + fix + ")"),
          (a, b) -> a + "; " + b);
    }
    JsonNode settings = J.get(sections.get(Section.BENCH.key()), "settings");
    if (settings != null) {
      String profile = J.str(sections.get(Section.BENCH.key()), "profile");
      facts.put(
          "measurement",
          (profile == null ? "" : "profile " + profile + ": ")
              + J.str(settings, "forks")
              + ("1".equals(J.str(settings, "forks")) ? " fork × " : " forks × ")
              + J.str(settings, "measurementIterations")
              + " iterations of "
              + J.str(settings, "measurementTime")
              + " after "
              + J.str(settings, "warmupIterations")
              + " × "
              + J.str(settings, "warmupTime")
              + " warmup; threads "
              + String.join(", ", J.strings(J.get(settings, "threads"))));
    }
    JsonNode ratios = J.get(sections.get(Section.INSPECT.key()), "hitRatios");
    if (ratios != null) {
      Double table = J.num(ratios, "table");
      Double index = J.num(ratios, "index");
      facts.put(
          "cache hit ratio",
          "tables "
              + (table == null ? Fmt.NONE : Fmt.percent(table))
              + ", indexes "
              + (index == null ? Fmt.NONE : Fmt.percent(index)));
    }
    JsonNode http = sections.get(Section.HTTP.key());
    if (http != null && J.str(http, "baseUrl") != null) {
      facts.put(
          "HTTP target", J.str(http, "target") + " " + Secrets.redact(J.str(http, "baseUrl")));
    }
    return facts;
  }

  /** Stages that broke and doctor problems: a report must not hide why numbers are missing. */
  private static void stageNotes(JsonNode sections, List<String> notes) {
    for (JsonNode e : J.list(sections.get(Section.STAGE_ERRORS.key()), "stage")) {
      notes.add("stage " + J.str(e, "stage") + " broke: " + J.str(e, "message"));
    }
    for (JsonNode c : J.list(sections.get(Section.DOCTOR.key()), "name")) {
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
