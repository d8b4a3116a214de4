package dev.critpath.http.scenario;

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
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

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
    Map<String, DataSpec> data = DataSetParser.parse(root.get("data"));
    Set<String> datasets = data.keySet();

    RequestParser requestParser =
        new RequestParser(env, datasets, root.get("defaults").allowOnly(DEFAULTS, "defaults"));
    Map<String, MetricKind> custom = new LinkedHashMap<>();
    YamlNode requestsNode = root.get("requests");
    if (requestsNode.entries().isEmpty()) {
      throw root.error("no requests: define at least one under requests:");
    }
    Map<String, RequestSpec> requests = requestParser.parse(requestsNode, custom);

    Map<String, ScenarioSpec> scenarios = new LinkedHashMap<>();
    YamlNode scenariosNode = root.get("scenarios");
    if (scenariosNode.entries().isEmpty()) {
      throw root.error(
          "no scenarios: define at least one under scenarios: (e.g. executor: constant-vus)");
    }
    NetworkProfile fileNetwork = YamlFields.network(root.get("network"), null);
    for (Map.Entry<String, YamlNode> e : scenariosNode.entries().entrySet()) {
      scenarios.put(
          e.getKey(), ExecutorParser.parse(e.getKey(), e.getValue(), requests, fileNetwork));
    }

    Map<String, MetricKind> customMetrics = Map.copyOf(custom);
    List<Threshold> thresholds = ThresholdParser.parse(root.get("thresholds"), customMetrics);
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

  private static AuthSettings auth(YamlNode node) {
    if (node.isMissing()) {
      return AuthSettings.DEFAULT;
    }
    node.allowOnly(AUTH, "auth");
    AuthSettings d = AuthSettings.DEFAULT;
    return new AuthSettings(
        node.get("role").text(d.role()),
        node.get("aud").text(d.audience()),
        YamlFields.positive(node.get("ttl"), d.ttl()),
        node.get("pool").text());
  }
}
