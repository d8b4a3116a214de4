package dev.critpath.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * The "http" section of run.json: every scenario file run against one target.
 *
 * @param target {@code local} (the toolkit's own functions server) or {@code remote}
 * @param baseUrl where the requests went (never holds a key)
 * @param verdict pass, fail (a threshold or the functional validation failed) or error
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpResult(
    String target,
    String baseUrl,
    Instant startedAt,
    double durationSeconds,
    List<FileResult> files,
    String verdict) {

  public static final String PASS = "pass";
  public static final String FAIL = "fail";

  public boolean passed() {
    return PASS.equals(verdict);
  }
}
