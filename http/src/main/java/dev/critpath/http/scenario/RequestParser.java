package dev.critpath.http.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The requests: section: method, path, headers, body, auth, checks and custom metrics per request.
 */
final class RequestParser {
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
  private static final Set<String> METRIC = Set.of("rate", "hits", "misses", "counter");
  private static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

  private final Map<String, String> env;
  private final Set<String> datasets;
  private final Map<String, Template> defaultHeaders;
  private final Duration defaultTimeout;
  private final AuthMode defaultAuth;
  private final StatusSet defaultExpected;

  /**
   * @param datasets the data sets templates may name
   * @param defaults the file's defaults: section (headers, timeout, auth, expectedStatuses)
   */
  RequestParser(Map<String, String> env, Set<String> datasets, YamlNode defaults) {
    this.env = env;
    this.datasets = datasets;
    this.defaultHeaders = headers(defaults.get("headers"));
    this.defaultTimeout =
        YamlFields.positive(defaults.get("timeout"), ScenarioParser.DEFAULT_TIMEOUT);
    this.defaultAuth = YamlFields.authMode(defaults.get("auth"), AuthMode.USER);
    this.defaultExpected = YamlFields.statuses(defaults.get("expectedStatuses"), StatusSet.DEFAULT);
  }

  /**
   * The requests by name; registers their custom metrics in {@code custom}, refusing a name that is
   * already a metric of another kind.
   */
  Map<String, RequestSpec> parse(YamlNode requestsNode, Map<String, MetricKind> custom) {
    Map<String, RequestSpec> requests = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> e : requestsNode.entries().entrySet()) {
      RequestSpec r = request(e.getKey(), e.getValue());
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
    return requests;
  }

  private RequestSpec request(String name, YamlNode r) {
    YamlFields.checkName(r, name, "request");
    r.allowOnly(REQUEST, "a request");
    String path = r.get("path").require().text();
    if (!path.startsWith("/")) {
      throw r.get("path")
          .error(
              "path must start with / (the base URL comes from SUPABASE_URL or the local server)");
    }
    BodySpec body = body(r);
    String method =
        r.get("method")
            .text(body.kind() == BodySpec.Kind.NONE ? "GET" : "POST")
            .toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw r.get("method")
          .error("unknown method \"" + method + "\" (known: " + String.join(", ", METHODS) + ")");
    }
    Map<String, Template> headers = new LinkedHashMap<>(defaultHeaders);
    headers.putAll(headers(r.get("headers")));
    AuthMode auth = YamlFields.authMode(r.get("auth"), defaultAuth);
    Template user = r.has("user") ? template(r.get("user")) : null;
    if (user != null && auth != AuthMode.USER) {
      throw r.get("user").error("user: only applies with auth: user");
    }
    List<Check> checks = new ArrayList<>();
    for (YamlNode c : r.get("checks").items()) {
      checks.add(CheckParser.parse(c));
    }
    List<CustomMetric> metrics = new ArrayList<>();
    for (Map.Entry<String, YamlNode> m : r.get("metrics").entries().entrySet()) {
      metrics.add(metric(m.getKey(), m.getValue()));
    }
    return new RequestSpec(
        name,
        method,
        template(r.get("path")),
        Map.copyOf(headers),
        body,
        auth,
        user,
        List.copyOf(checks),
        YamlFields.statuses(r.get("expectedStatuses"), defaultExpected),
        YamlFields.positive(r.get("timeout"), defaultTimeout),
        YamlFields.tags(r.get("tags")),
        List.copyOf(metrics),
        r.line());
  }

  private BodySpec body(YamlNode r) {
    int kinds = (r.has("body") ? 1 : 0) + (r.has("json") ? 1 : 0) + (r.has("binary") ? 1 : 0);
    if (kinds > 1) {
      throw r.error("give at most one of body: (text), json: (an object) or binary: (a size)");
    }
    String contentType = r.get("contentType").text();
    if (r.has("body")) {
      return new BodySpec(
          BodySpec.Kind.TEXT,
          template(r.get("body")),
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

  private CustomMetric metric(String name, YamlNode m) {
    YamlFields.checkName(m, name, "metric");
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

  private Map<String, Template> headers(YamlNode node) {
    Map<String, Template> out = new LinkedHashMap<>();
    for (Map.Entry<String, YamlNode> e : node.entries().entrySet()) {
      out.put(e.getKey(), template(e.getValue()));
    }
    return out;
  }

  private Template template(YamlNode node) {
    try {
      return Template.compile(node.require().text(), datasets, env);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }
}
