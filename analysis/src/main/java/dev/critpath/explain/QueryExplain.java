package dev.critpath.explain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Everything explain found for one catalog query.
 *
 * @param plans the hot plan first, then cold, then the generic plan when it differs
 * @param generic how the prepared-statement (generic) plan compares; null when not captured
 * @param expectations each catalog expectation: pass or fail with its evidence, or skipped and why
 * @param whatIf hypothetical-index results, when hypopg ran
 * @param error why the query could not be explained (its other fields are then partial)
 * @param notExecuted why its plans are plain EXPLAIN (estimates, nothing executed); null when they
 *     were executed with EXPLAIN ANALYZE
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryExplain(
    String name,
    String about,
    String source,
    String sql,
    String role,
    String write,
    List<CapturedPlan> plans,
    GenericPlan generic,
    List<ExpectationCheck.Result> expectations,
    List<WhatIf.Outcome> whatIf,
    String error,
    String notExecuted) {

  /**
   * The generic plan a prepared statement may switch to after five executions.
   *
   * @param differs whether its shape differs from the hot custom plan's
   * @param chosenAfterFiveRuns whether the server, left to plan_cache_mode = auto, switched to it
   *     within six executions (null when not measured)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GenericPlan(
      boolean differs,
      String customFingerprint,
      String genericFingerprint,
      String shape,
      Boolean chosenAfterFiveRuns,
      String note) {}

  public boolean failed() {
    return expectations.stream().anyMatch(ExpectationCheck.Result::failed);
  }

  QueryExplain withWhatIf(List<WhatIf.Outcome> outcomes) {
    return new QueryExplain(
        name,
        about,
        source,
        sql,
        role,
        write,
        plans,
        generic,
        expectations,
        outcomes,
        error,
        notExecuted);
  }
}
