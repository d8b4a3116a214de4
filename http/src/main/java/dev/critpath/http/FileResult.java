package dev.critpath.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One scenario file's run.
 *
 * @param aborted why the run stopped early (a threshold with abortOnFail, validation), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileResult(
    String name,
    String source,
    String description,
    ValidationResult validation,
    List<ScenarioResult> scenarios,
    List<ThresholdResult> thresholds,
    String aborted,
    List<String> warnings,
    String verdict) {}
