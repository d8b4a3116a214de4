package dev.critpath.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.critpath.http.waba.WabaCompliance;
import dev.critpath.run.ThresholdCheck;
import java.util.List;

/**
 * One scenario file's run.
 *
 * @param aborted why the run stopped early (a threshold with abortOnFail, validation), or null
 * @param waba what the WhatsApp stand-in received, for files that declare {@code waba:}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileResult(
    String name,
    String source,
    String description,
    ValidationResult validation,
    List<ScenarioResult> scenarios,
    List<ThresholdCheck> thresholds,
    String aborted,
    List<String> warnings,
    String verdict,
    WabaCompliance waba) {}
