package dev.critpath.explain;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.critpath.inspect.Severity;
import java.util.List;

/**
 * One plan, analysed: facts, the rules that fired, and a fingerprint for comparing runs.
 *
 * @param fingerprint a digest of the plan's shape: node types, join and scan kinds, relations and
 *     indexes; not costs, rows or times, so the same plan gives the same fingerprint on any data
 * @param shape the same shape as readable text, for "plan changed" messages
 * @param queryText the statement, for plans of statements inside functions (auto_explain)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlanAnalysis(
    PlanFacts facts,
    List<PlanWarning> warnings,
    String fingerprint,
    String shape,
    String queryText) {

  public List<PlanWarning> warnings(Severity atLeast) {
    return warnings.stream().filter(w -> w.severity().atLeast(atLeast)).toList();
  }

  public boolean fired(String rule) {
    return warnings.stream().anyMatch(w -> w.rule().equals(rule));
  }
}
