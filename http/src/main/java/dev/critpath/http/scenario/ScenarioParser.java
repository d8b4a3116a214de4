package dev.critpath.http.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.critpath.UserError;
import dev.critpath.network.NetworkProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads scenario files (YAML in k6's vocabulary) into {@link ScenarioFile}s. Every problem is a
 * {@link UserError} naming {@code file:line}, the field and what would be accepted.
 */
public final class ScenarioParser {
  private static final Set<String> TOP =
      Set.of(
          "name",
          "description",
          "defaults",
          "auth",
          "data",
          "requests",
          "scenarios",
          "thresholds",
          "setup",
          "teardown",
          "network",
          "waba");
  private static final Set<String> WABA = Set.of("minPerMinute", "maxRefusedShare", "minSent");
  private static final Set<String> DEFAULTS =
      Set.of("headers", "timeout", "auth", "expectedStatuses");
  private static final Set<String> AUTH = Set.of("role", "aud", "ttl", "pool");
  private static final Set<String> DATA = Set.of("sql", "file", "values", "pick");
  private static final Set<String> REQUEST =
      Set.of(
          "method",
          "path",
          "headers",
          "body",
          "json",
          "binary",
          "contentType",
          "auth",
          "user",
          "checks",
          "expectedStatuses",
          "timeout",
          "tags",
          "metrics",
          "description");
  private static final Set<String> CHECK_SUBJECTS =
      Set.of("status", "json", "header", "body", "duration");
  private static final Set<String> METRIC = Set.of("rate", "hits", "misses", "counter");
  private static final Set<String> THRESHOLD_OBJECT =
      Set.of("threshold", "abortOnFail", "delayAbortEval");
  private static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  static final Duration DEFAULT_GRACEFUL_STOP = Duration.ofSeconds(30);
  static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(10);

  private final Map<String, String> env;

  public ScenarioParser(Map<String, String> env) {
    this.env = env;
  }

  public ScenarioFile parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UserError("scenario file " + file + " does not exist");
    } catch (IOException e) {
      throw new UserError("cannot read scenario file " + file + ": " + e.getMessage());
    }
    String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    return parse(file.toString(), base, text);
  }

  /**
   * @param source where the text came from, for messages
   * @param defaultName the file's name when it sets none
   */
  public ScenarioFile parse(String source, String defaultName, String text) {
    YamlNode root = YamlTree.parse(source, text);
    if (!root.isObject()) {
      throw root.error("a scenario file is a mapping with requests:, scenarios: and thresholds:");
    }
    root.allowOnly(TOP, "a scenario file");
    String name = root.get("name").text(defaultName);
    Map<String, DataSpec> data = data(root.get("data"));
    Set<String> datasets = data.keySet();

    YamlNode defaults = root.get("defaults").allowOnly(DEFAULTS, "defaults");
    Map<String, Template> defaultHeaders = headers(defaults.get("headers"), datasets);
    Duration defaultTimeout = positive(defaults.get("timeout"), DEFAULT_TIMEOUT);
    AuthMode defaultAuth = authMode(defaults.get("auth"), AuthMode.USER);
    StatusSet defaultExpected = statuses(defaults.get("expectedStatuses"), StatusSet.DEFAULT);

    Map<String, RequestSpec> requests = new LinkedHashMap<>();
    Map<String, MetricKind> custom = new LinkedHashMap<>();
    YamlNode requestsNode = root.get("requests");
    if (requestsNode.entries().isEmpty()) {
      throw root.error("no requests: define at least one under requests:");
    }
    for (Map.Entry<String, YamlNode> e : requestsNode.entries().entrySet()) {
      RequestSpec r =
          request(
              e.getKey(),
              e.getValue(),
              datasets,
              defaultHeaders,
              defaultTimeout,
              defaultAuth,
              defaultExpected);
      for (CustomMetric m : r.metrics()) {
        MetricKind earlier = custom.put(m.name(), m.kind());
        if (MetricKind.BUILTIN.containsKey(m.name()) || earlier != null && earlier != m.kind()) {
          throw e.getValue()
              .get("metrics")
              .get(m.name())
              .error(
                  "metric \""
                      + m.name()
                      + "\" is already a "
                      + (earlier != null ? earlier : MetricKind.BUILTIN.get(m.name()))
                          .name()
                          .toLowerCase(Locale.ROOT)
                      + " metric");
        }
      }
      requests.put(r.name(), r);
    }

    Map<String, ScenarioSpec> scenarios = new LinkedHashMap<>();
    YamlNode scenariosNode = root.get("scenarios");
    if (scenariosNode.entries().isEmpty()) {
      throw root.error(
          "no scenarios: define at least one under scenarios: (e.g. executor: constant-vus)");
    }
    NetworkProfile fileNetwork = network(root.get("network"), null);
    for (Map.Entry<String, YamlNode> e : scenariosNode.entries().entrySet()) {
      scenarios.put(e.getKey(), scenario(e.getKey(), e.getValue(), requests, fileNetwork));
    }

    Map<String, MetricKind> customMetrics = Map.copyOf(custom);
    List<Threshold> thresholds = thresholds(root.get("thresholds"), customMetrics);
    return new ScenarioFile(
        name,
        source,
        root.get("description").text(""),
        auth(root.get("auth")),
        data,
        requests,
        scenarios,
        thresholds,
        customMetrics,
        sql(root.get("setup")),
        sql(root.get("teardown")),
        waba(root.get("waba")));
  }

  private static WabaSpec waba(YamlNode node) {
    if (node.isMissing()) {
      return null;
    }
    node.allowOnly(WABA, "waba");
    double min = node.get("minPerMinute").number(WabaSpec.SEED_MIN_PER_MINUTE);
    double share = node.get("maxRefusedShare").number(WabaSpec.SEED_MAX_REFUSED_SHARE);
    if (min < 0 || share < 0 || share > 1) {
      throw node.error("waba: minPerMinute must be >= 0 and maxRefusedShare within 0..1");
    }
    return new WabaSpec(min, share, node.get("minSent").integer(0, 0));
  }

  private static List<String> sql(YamlNode node) {
    List<String> out = new ArrayList<>();
    for (YamlNode item : node.items()) {
      String statement = item.text();
      if (statement == null || statement.isBlank()) {
        throw item.error("an empty SQL statement");
      }
      out.add(statement.strip());
    }
    return List.copyOf(out);
  }

  private AuthSettings auth(YamlNode node) {
    if (node.isMissing()) {
      return AuthSettings.DEFAULT;
    }
    node.allowOnly(AUTH, "auth");
    AuthSettings d = AuthSettings.DEFAULT;
    return new AuthSettings(
        node.get("role").text(d.role()),
        node.get("aud").text(d.audience()),
        positive(node.get("ttl"), d.ttl()),
        node.get("pool").text());
  }

  private Map<String, DataSpec> data(YamlNode node) {
    Map<String, DataSpec> out = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
      String name = e.getKey();
      YamlNode d = e.getValue();
      checkName(d, name, "data set");
      d.allowOnly(DATA, "a data set");
      int sources = (d.has("sql") ? 1 : 0) + (d.has("file") ? 1 : 0) + (d.has("values") ? 1 : 0);
      if (sources != 1) {
        throw d.error("give exactly one of sql:, file: or values:");
      }
      List<Map<String, String>> values = null;
      if (d.has("values")) {
        values = new ArrayList<>();
        for (YamlNode row : d.get("values").items()) {
          Map<String, String> r = new LinkedHashMap<>();
          for (Map.Entry<String, YamlNode> cell : row.entries().entrySet()) {
            r.put(cell.getKey(), cell.getValue().text(""));
          }
          values.add(r);
        }
        if (values.isEmpty()) {
          throw d.get("values").error("values: holds no rows");
        }
      }
      DataSpec.Pick pick;
      try {
        pick = DataSpec.Pick.valueOf(d.get("pick").text("random").toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException ex) {
        throw d.get("pick").error("pick must be random, sequential or unique");
      }
      out.put(
          name,
          new DataSpec(name, d.get("sql").text(), d.get("file").text(), values, pick, d.line()));
    }
    return out;
  }

  private RequestSpec request(
      String name,
      YamlNode r,
      Set<String> datasets,
      Map<String, Template> defaultHeaders,
      Duration defaultTimeout,
      AuthMode defaultAuth,
      StatusSet defaultExpected) {
    checkName(r, name, "request");
    r.allowOnly(REQUEST, "a request");
    String path = r.get("path").require().text();
    if (!path.startsWith("/")) {
      throw r.get("path")
          .error(
              "path must start with / (the base URL comes from SUPABASE_URL or the local server)");
    }
    BodySpec body = body(r, datasets);
    String method =
        r.get("method")
            .text(body.kind() == BodySpec.Kind.NONE ? "GET" : "POST")
            .toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw r.get("method")
          .error("unknown method \"" + method + "\" (known: " + String.join(", ", METHODS) + ")");
    }
    Map<String, Template> headers = new LinkedHashMap<>(defaultHeaders);
    headers.putAll(headers(r.get("headers"), datasets));
    AuthMode auth = authMode(r.get("auth"), defaultAuth);
    Template user = r.has("user") ? template(r.get("user"), datasets) : null;
    if (user != null && auth != AuthMode.USER) {
      throw r.get("user").error("user: only applies with auth: user");
    }
    List<Check> checks = new ArrayList<>();
    for (YamlNode c : r.get("checks").items()) {
      checks.add(check(c));
    }
    List<CustomMetric> metrics = new ArrayList<>();
    for (Map.Entry<String, YamlNode> m : r.get("metrics").entries().entrySet()) {
      metrics.add(metric(m.getKey(), m.getValue()));
    }
    return new RequestSpec(
        name,
        method,
        template(r.get("path"), datasets),
        Map.copyOf(headers),
        body,
        auth,
        user,
        List.copyOf(checks),
        statuses(r.get("expectedStatuses"), defaultExpected),
        positive(r.get("timeout"), defaultTimeout),
        tags(r.get("tags")),
        List.copyOf(metrics),
        r.line());
  }

  private BodySpec body(YamlNode r, Set<String> datasets) {
    int kinds = (r.has("body") ? 1 : 0) + (r.has("json") ? 1 : 0) + (r.has("binary") ? 1 : 0);
    if (kinds > 1) {
      throw r.error("give at most one of body: (text), json: (an object) or binary: (a size)");
    }
    String contentType = r.get("contentType").text();
    if (r.has("body")) {
      return new BodySpec(
          BodySpec.Kind.TEXT,
          template(r.get("body"), datasets),
          null,
          0,
          0,
          contentType == null ? "text/plain; charset=utf-8" : contentType);
    }
    if (r.has("json")) {
      YamlNode json = r.get("json");
      if (!json.isObject() && !json.isArray()) {
        throw json.error("json: must be an object or a list (it is sent as the JSON body)");
      }
      try {
        return new BodySpec(
            BodySpec.Kind.JSON,
            null,
            JsonTemplate.compile(json.json(), datasets, env),
            0,
            0,
            contentType == null ? "application/json" : contentType);
      } catch (IllegalArgumentException e) {
        throw json.error(e.getMessage());
      }
    }
    if (r.has("binary")) {
      YamlNode b = r.get("binary");
      String spec = b.text();
      long[] range;
      try {
        range = sizeRange(spec);
      } catch (IllegalArgumentException e) {
        throw b.error(e.getMessage());
      }
      return new BodySpec(
          BodySpec.Kind.BINARY,
          null,
          null,
          range[0],
          range[1],
          contentType == null ? "application/octet-stream" : contentType);
    }
    return BodySpec.NONE;
  }

  /** {@code 1MB}, {@code 512KB}, {@code 1MB..5MB}, {@code 1048576}. */
  static long[] sizeRange(String spec) {
    int dots = spec.indexOf("..");
    long lo = size(dots < 0 ? spec : spec.substring(0, dots));
    long hi = dots < 0 ? lo : size(spec.substring(dots + 2));
    if (hi < lo || lo < 1) {
      throw new IllegalArgumentException("binary size range \"" + spec + "\" is empty or reversed");
    }
    return new long[] {lo, hi};
  }

  private static long size(String s) {
    String t = s.strip().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("KB")) {
      unit = 1024;
    } else if (t.endsWith("MB")) {
      unit = 1024 * 1024;
    }
    String digits = unit == 1 ? t.replaceFirst("B$", "") : t.substring(0, t.length() - 2);
    try {
      return Math.round(Double.parseDouble(digits.strip()) * unit);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "\"" + s.strip() + "\" is not a size (write 512KB, 1MB or 1MB..5MB)");
    }
  }

  private Check check(YamlNode c) {
    if (!c.isObject()) {
      throw c.error("a check is a mapping, e.g. {status: 200} or {json: message_id}");
    }
    String subjectKey = null;
    for (String key : c.entries().keySet()) {
      if (CHECK_SUBJECTS.contains(key)) {
        if (subjectKey != null) {
          throw c.error(
              "a check tests one thing: "
                  + subjectKey
                  + " and "
                  + key
                  + " given (split it in two)");
        }
        subjectKey = key;
      }
    }
    if (subjectKey == null) {
      throw c.error("a check needs one of status:, json:, header:, body:, duration:");
    }
    Set<String> allowed = new LinkedHashSet<>(Set.of("name", "ifStatus", subjectKey));
    for (Check.Op op : Check.Op.values()) {
      allowed.add(op.key);
    }
    c.allowOnly(allowed, "a check");
    Check.Subject subject = Check.Subject.valueOf(subjectKey.toUpperCase(Locale.ROOT));
    YamlNode subjectNode = c.get(subjectKey);
    YamlNode ops = c;
    String target = null;
    JsonPath path = null;
    if (subject == Check.Subject.JSON || subject == Check.Subject.HEADER) {
      target = subjectNode.require().text();
      if (subject == Check.Subject.JSON) {
        try {
          path = JsonPath.parse(target);
        } catch (IllegalArgumentException e) {
          throw subjectNode.error(e.getMessage());
        }
      }
    } else if (subjectNode.isObject()) {
      ops = subjectNode.allowOnly(opKeys(), "a check's operators");
    }
    Check.Op op = null;
    JsonNode operand = null;
    for (Check.Op candidate : Check.Op.values()) {
      if (ops.has(candidate.key)) {
        if (op != null) {
          throw c.error("a check has one operator: " + op.key + " and " + candidate.key + " given");
        }
        op = candidate;
        operand = ops.get(candidate.key).json();
      }
    }
    if (op == null) {
      if (subject == Check.Subject.STATUS && !subjectNode.isObject()) {
        op = subjectNode.isArray() ? Check.Op.IN : Check.Op.EQUALS;
        operand = subjectNode.json();
      } else if (subject == Check.Subject.BODY && subjectNode.isText()) {
        op = Check.Op.CONTAINS;
        operand = subjectNode.json();
      } else if (subject == Check.Subject.JSON || subject == Check.Subject.HEADER) {
        op = Check.Op.EXISTS;
        operand = JsonNodeFactory.instance.booleanNode(true);
      } else {
        throw c.error("the check needs an operator (" + String.join(", ", opKeys()) + ")");
      }
    }
    Pattern regex = null;
    if (op == Check.Op.MATCHES) {
      try {
        regex = Pattern.compile(operand.asText());
      } catch (PatternSyntaxException e) {
        throw c.error("matches: not a regular expression: " + e.getDescription());
      }
    }
    if ((op == Check.Op.GT || op == Check.Op.GTE || op == Check.Op.LT || op == Check.Op.LTE)
        && !operand.isNumber()) {
      throw c.error(op.key + ": needs a number");
    }
    if (op == Check.Op.IN && !operand.isArray()) {
      throw c.error("in: needs a list");
    }
    Integer ifStatus = c.has("ifStatus") ? (int) c.get("ifStatus").integer(0, 100) : null;
    String name = c.get("name").text(defaultCheckName(subject, target, op, operand, ifStatus));
    return new Check(name, subject, target, path, op, operand, regex, ifStatus);
  }

  private static Set<String> opKeys() {
    Set<String> keys = new LinkedHashSet<>();
    for (Check.Op op : Check.Op.values()) {
      keys.add(op.key);
    }
    return keys;
  }

  private static String defaultCheckName(
      Check.Subject subject, String target, Check.Op op, JsonNode operand, Integer ifStatus) {
    String what = subject.name().toLowerCase(Locale.ROOT) + (target == null ? "" : " " + target);
    String how =
        op == Check.Op.EXISTS && operand.asBoolean()
            ? "exists"
            : op == Check.Op.EXISTS
                ? "is absent"
                : op == Check.Op.NOT_EMPTY
                    ? "is not empty"
                    : op.key + " " + (operand.isTextual() ? operand.asText() : operand.toString());
    return what + " " + how + (ifStatus == null ? "" : " (on " + ifStatus + ")");
  }

  private CustomMetric metric(String name, YamlNode m) {
    checkName(m, name, "metric");
    m.allowOnly(METRIC, "a metric");
    try {
      if (m.has("rate")) {
        return new CustomMetric(
            name, MetricKind.RATE, JsonPath.parse(m.get("rate").text()), null, null);
      }
      if (m.has("hits") && m.has("misses")) {
        return new CustomMetric(
            name,
            MetricKind.RATE,
            null,
            JsonPath.parse(m.get("hits").text()),
            JsonPath.parse(m.get("misses").text()));
      }
      if (m.has("counter")) {
        return new CustomMetric(
            name, MetricKind.COUNTER, JsonPath.parse(m.get("counter").text()), null, null);
      }
    } catch (IllegalArgumentException e) {
      throw m.error(e.getMessage());
    }
    throw m.error("a metric reads rate: PATH, hits: PATH with misses: PATH, or counter: PATH");
  }

  private ScenarioSpec scenario(
      String name, YamlNode s, Map<String, RequestSpec> requests, NetworkProfile fileNetwork) {
    checkName(s, name, "scenario");
    Executor executor;
    try {
      executor = Executor.of(s.get("executor").require().text());
    } catch (IllegalArgumentException e) {
      throw s.get("executor").error(e.getMessage());
    }
    Set<String> allowed = new LinkedHashSet<>(Executor.COMMON);
    allowed.addAll(executor.fields);
    s.allowOnly(allowed, executor.k6Name);

    List<String> exec = new ArrayList<>();
    for (YamlNode e : s.get("exec").items()) {
      String req = e.text();
      if (!requests.containsKey(req)) {
        throw e.error(
            "no request \"" + req + "\" (requests: " + String.join(", ", requests.keySet()) + ")");
      }
      exec.add(req);
    }
    if (exec.isEmpty()) {
      if (requests.size() != 1) {
        throw s.error(
            "exec: name the request(s) each iteration sends (requests: "
                + String.join(", ", requests.keySet())
                + ")");
      }
      exec.addAll(requests.keySet());
    }
    ThinkTime think;
    try {
      think = s.has("thinkTime") ? ThinkTime.parse(s.get("thinkTime").text()) : ThinkTime.NONE;
    } catch (IllegalArgumentException e) {
      throw s.get("thinkTime").error(e.getMessage());
    }

    long vus = 0;
    long iterations = 0;
    Duration duration = Duration.ZERO;
    Duration maxDuration = Duration.ZERO;
    long startVUs = 0;
    List<Stage> stages = List.of();
    Duration rampDown = Duration.ZERO;
    double rate = 0;
    double startRate = 0;
    Duration timeUnit = Duration.ofSeconds(1);
    long preAllocated = 0;
    long maxVUs = 0;
    switch (executor) {
      case SHARED_ITERATIONS:
      case PER_VU_ITERATIONS:
        vus = s.get("vus").integer(1, 1);
        iterations = s.get("iterations").integer(1, 1);
        maxDuration = positive(s.get("maxDuration"), DEFAULT_MAX_DURATION);
        if (executor == Executor.SHARED_ITERATIONS && iterations < vus) {
          throw s.get("iterations")
              .error(
                  "shared-iterations needs iterations >= vus (" + iterations + " < " + vus + ")");
        }
        break;
      case CONSTANT_VUS:
        vus = s.get("vus").integer(1, 1);
        duration = positive(s.get("duration").require(), null);
        break;
      case RAMPING_VUS:
        startVUs = s.get("startVUs").integer(1, 0);
        stages = stages(s.get("stages"));
        rampDown = nonNegative(s.get("gracefulRampDown"), DEFAULT_GRACEFUL_STOP);
        break;
      case CONSTANT_ARRIVAL_RATE:
        rate = rate(s.get("rate").require());
        timeUnit = positive(s.get("timeUnit"), timeUnit);
        duration = positive(s.get("duration").require(), null);
        preAllocated = s.get("preAllocatedVUs").require().integer(0, 1);
        maxVUs = s.get("maxVUs").integer(preAllocated, 1);
        break;
      case RAMPING_ARRIVAL_RATE:
        startRate = s.has("startRate") ? rate(s.get("startRate")) : 0;
        timeUnit = positive(s.get("timeUnit"), timeUnit);
        stages = stages(s.get("stages"));
        preAllocated = s.get("preAllocatedVUs").require().integer(0, 1);
        maxVUs = s.get("maxVUs").integer(preAllocated, 1);
        break;
      default:
        throw new IllegalStateException(executor.toString());
    }
    if (maxVUs < preAllocated) {
      throw s.get("maxVUs")
          .error("maxVUs (" + maxVUs + ") is below preAllocatedVUs (" + preAllocated + ")");
    }
    return new ScenarioSpec(
        name,
        executor,
        List.copyOf(exec),
        nonNegative(s.get("startTime"), Duration.ZERO),
        nonNegative(s.get("gracefulStop"), DEFAULT_GRACEFUL_STOP),
        think,
        tags(s.get("tags")),
        vus,
        iterations,
        duration,
        maxDuration,
        startVUs,
        stages,
        rampDown,
        rate,
        startRate,
        timeUnit,
        preAllocated,
        maxVUs,
        network(s.get("network"), fileNetwork),
        s.line());
  }

  /** A network profile by name (none: direct), or {@code fallback} when the key is absent. */
  private static NetworkProfile network(YamlNode node, NetworkProfile fallback) {
    if (node.isMissing()) {
      return fallback;
    }
    try {
      return NetworkProfile.parse(node.text());
    } catch (UserError e) {
      throw node.error(e.getMessage());
    }
  }

  private static double rate(YamlNode n) {
    double r = n.number(0);
    if (r < 0 || Double.isNaN(r)) {
      throw n.error("a rate cannot be negative");
    }
    return r;
  }

  private static List<Stage> stages(YamlNode node) {
    List<Stage> out = new ArrayList<>();
    for (YamlNode st : node.require().items()) {
      st.allowOnly(Set.of("duration", "target"), "a stage");
      out.add(
          new Stage(
              nonNegative(st.get("duration").require(), null),
              st.get("target").require().integer(0, 0)));
    }
    if (out.stream().allMatch(st -> st.duration().isZero())) {
      throw node.error("stages add up to no time at all");
    }
    return List.copyOf(out);
  }

  private List<Threshold> thresholds(YamlNode node, Map<String, MetricKind> custom) {
    List<Threshold> out = new ArrayList<>();
    for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
      Map.Entry<String, Map<String, String>> metric;
      try {
        metric = Threshold.parseMetric(e.getKey());
      } catch (IllegalArgumentException ex) {
        throw e.getValue().error(ex.getMessage());
      }
      MetricKind kind =
          MetricKind.BUILTIN.getOrDefault(metric.getKey(), custom.get(metric.getKey()));
      if (kind == null) {
        Set<String> known = new java.util.TreeSet<>(MetricKind.BUILTIN.keySet());
        known.addAll(custom.keySet());
        throw e.getValue()
            .error(
                "unknown metric \""
                    + metric.getKey()
                    + "\" (known: "
                    + String.join(", ", known)
                    + ")");
      }
      for (YamlNode item : e.getValue().items()) {
        String expression;
        boolean abort = false;
        Duration delay = Duration.ZERO;
        if (item.isObject()) {
          item.allowOnly(THRESHOLD_OBJECT, "a threshold");
          expression = item.get("threshold").require().text();
          abort = item.get("abortOnFail").bool(false);
          delay = nonNegative(item.get("delayAbortEval"), Duration.ZERO);
        } else {
          expression = item.text();
        }
        try {
          out.add(
              Threshold.parse(
                  metric.getKey(), metric.getValue(), kind, expression, abort, delay, item.line()));
        } catch (IllegalArgumentException ex) {
          throw item.error(ex.getMessage());
        }
      }
    }
    return List.copyOf(out);
  }

  private Map<String, Template> headers(YamlNode node, Set<String> datasets) {
    Map<String, Template> out = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
      out.put(e.getKey(), template(e.getValue(), datasets));
    }
    return out;
  }

  private Template template(YamlNode node, Set<String> datasets) {
    try {
      return Template.compile(node.require().text(), datasets, env);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  private static Map<String, String> tags(YamlNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
      out.put(e.getKey(), e.getValue().text(""));
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  private static AuthMode authMode(YamlNode node, AuthMode fallback) {
    if (node.isMissing()) {
      return fallback;
    }
    try {
      return AuthMode.valueOf(node.text().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw node.error("auth must be user, anon, service or none");
    }
  }

  private static StatusSet statuses(YamlNode node, StatusSet fallback) {
    if (node.isMissing()) {
      return fallback;
    }
    List<String> items = new ArrayList<>();
    for (YamlNode item : node.items()) {
      items.add(item.text());
    }
    try {
      return StatusSet.parse(items);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  private static Duration positive(YamlNode node, Duration fallback) {
    Duration d = node.duration(fallback);
    if (d != null && (d.isZero() || d.isNegative())) {
      throw node.error("must be longer than zero");
    }
    return d;
  }

  private static Duration nonNegative(YamlNode node, Duration fallback) {
    return node.duration(fallback);
  }

  private static void checkName(YamlNode node, String name, String what) {
    if (!NAME.matcher(name).matches()) {
      throw node.error(what + " name \"" + name + "\" may hold only letters, digits, _ . and -");
    }
  }
}
