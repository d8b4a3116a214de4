package dev.critpath.http.scenario;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A named request template. */
public record RequestSpec(
    String name,
    String method,
    Template path,
    Map<String, Template> headers,
    BodySpec body,
    AuthMode auth,
    Template user,
    List<Check> checks,
    StatusSet expectedStatuses,
    Duration timeout,
    Map<String, String> tags,
    List<CustomMetric> metrics,
    int line) {

  /** The data sets this request reads. */
  public Set<String> datasets() {
    Set<String> out = new LinkedHashSet<>(path.datasets());
    headers.values().forEach(h -> out.addAll(h.datasets()));
    out.addAll(body.datasets());
    if (user != null) {
      out.addAll(user.datasets());
    }
    return out;
  }

  /** Whether responses must be kept in full to evaluate checks and metrics. */
  public boolean needsBody() {
    return !metrics.isEmpty() || checks.stream().anyMatch(Check::needsBody);
  }
}
