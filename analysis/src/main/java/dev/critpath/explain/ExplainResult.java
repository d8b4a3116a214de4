package dev.critpath.explain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What {@code explain} produced, as it goes into run.json under "explain".
 *
 * @param nestedPlans how plans of statements inside functions were captured, or why not
 * @param hypopg whether the what-if analysis ran, or why not
 * @param hiddenIndexes per candidate-for-removal index: which catalog queries' plans need it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExplainResult(
    String database,
    String serverVersion,
    String nestedPlans,
    String hypopg,
    List<WhatIf.Outcome> hiddenIndexes,
    List<QueryExplain> queries,
    int expectationsPassed,
    int expectationsFailed,
    int expectationsSkipped,
    int queriesFailed) {

  static ExplainResult of(
      String database,
      String version,
      String nested,
      String hypopg,
      List<WhatIf.Outcome> hidden,
      List<QueryExplain> queries) {
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    int errors = 0;
    for (QueryExplain q : queries) {
      for (ExpectationCheck.Result r : q.expectations()) {
        if (r.passed() == null) {
          skipped++;
        } else if (r.passed()) {
          passed++;
        } else {
          failed++;
        }
      }
      if (q.error() != null) {
        errors++;
      }
    }
    return new ExplainResult(
        database, version, nested, hypopg, hidden, queries, passed, failed, skipped, errors);
  }

  public QueryExplain query(String name) {
    return queries.stream().filter(q -> q.name().equals(name)).findFirst().orElse(null);
  }
}
