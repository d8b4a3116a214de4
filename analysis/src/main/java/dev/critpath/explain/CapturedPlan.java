package dev.critpath.explain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One executed plan of a catalog query.
 *
 * @param variant hot, cold (custom plans for the hottest and the coldest parameters) or generic
 * @param file where the raw plan was saved, relative to the run directory (null when not saved)
 * @param nestedFiles the raw plans of the statements its functions ran
 * @param raw EXPLAIN's JSON output as the server sent it
 * @param nestedRaw auto_explain's JSON plans, one per nested statement
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CapturedPlan(
    String variant,
    ParamSet params,
    PlanAnalysis analysis,
    List<PlanAnalysis> nested,
    String file,
    List<String> nestedFiles,
    @JsonIgnore String raw,
    @JsonIgnore List<JsonNode> nestedRaw) {

  CapturedPlan withAnalysis(PlanAnalysis a, List<PlanAnalysis> n) {
    return new CapturedPlan(variant, params, a, n, file, nestedFiles, raw, nestedRaw);
  }

  CapturedPlan withFiles(String f, List<String> nf) {
    return new CapturedPlan(variant, params, analysis, nested, f, nf, raw, nestedRaw);
  }
}
