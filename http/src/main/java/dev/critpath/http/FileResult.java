package dev.critpath.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.critpath.http.waba.WabaCompliance;
import dev.critpath.run.ThresholdCheck;
import java.time.Instant;
import java.util.List;

/**
 * One scenario file's run.
 *
 * @param sha256 the scenario file's text hashed (SHA-256, hex): segments of one file share it
 * @param startedAt the wall-clock time the file's load started (its time series' t = 0), absent
 *     when no load ran
 * @param aborted why the run stopped early (a threshold with abortOnFail, validation), or null
 * @param waba what the WhatsApp stand-in received, for files that declare {@code waba:}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileResult(
    String name,
    String source,
    String sha256,
    Instant startedAt,
    String description,
    ValidationResult validation,
    List<ScenarioResult> scenarios,
    List<ThresholdCheck> thresholds,
    String aborted,
    List<String> warnings,
    String verdict,
    WabaCompliance waba) {}
