package dev.critpath.http.scenario;

import dev.critpath.network.NetworkProfile;
import dev.critpath.run.Segment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A parsed scenario file: data, requests, scenarios and thresholds, validated.
 *
 * @param setup SQL run against the benchmark database before the first request (e.g. saving what
 *     the scenario's writes will change)
 * @param teardown SQL run after the last one, also when the run failed (undoing those writes)
 * @param waba judge the WhatsApp stand-in's receive log too; null when the file sends no messages
 */
public record ScenarioFile(
    String name,
    String source,
    String description,
    AuthSettings auth,
    Map<String, DataSpec> data,
    Map<String, RequestSpec> requests,
    Map<String, ScenarioSpec> scenarios,
    List<Threshold> thresholds,
    Map<String, MetricKind> customMetrics,
    List<String> setup,
    List<String> teardown,
    WabaSpec waba) {

  /** The requests any scenario sends, in file order (functional validation calls each once). */
  public List<RequestSpec> usedRequests() {
    return requests.values().stream()
        .filter(r -> scenarios.values().stream().anyMatch(s -> s.exec().contains(r.name())))
        .toList();
  }

  /** The same file with every scenario over {@code network} (null: direct), as --network says. */
  public ScenarioFile withNetwork(NetworkProfile network) {
    return withScenarios(s -> s.withNetwork(network));
  }

  /**
   * The file as one execution segment runs it: each scenario's share ({@link
   * ScenarioSpec#inSegment}); a scenario whose share is empty (fewer VUs than segments) is left out
   * of this segment.
   */
  public ScenarioFile inSegment(Segment segment) {
    if (segment.isWhole()) {
      return this;
    }
    return withScenarios(
        s -> {
          ScenarioSpec share = s.inSegment(segment);
          return share.hasLoad() ? share : null;
        });
  }

  /** The file with each scenario changed; one changed to null is left out. */
  private ScenarioFile withScenarios(UnaryOperator<ScenarioSpec> change) {
    Map<String, ScenarioSpec> shaped = new LinkedHashMap<>();
    scenarios.forEach(
        (n, spec) -> {
          ScenarioSpec changed = change.apply(spec);
          if (changed != null) {
            shaped.put(n, changed);
          }
        });
    return new ScenarioFile(
        name,
        source,
        description,
        auth,
        data,
        requests,
        shaped,
        thresholds,
        customMetrics,
        setup,
        teardown,
        waba);
  }
}
