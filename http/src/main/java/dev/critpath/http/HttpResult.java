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
 * @param latencyLog the latency log beside run.json holding every distribution in full ({@code
 *     http.hlog}), absent when the run kept none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpResult(
    String target,
    String baseUrl,
    Instant startedAt,
    double durationSeconds,
    List<FileResult> files,
    String verdict,
    String latencyLog) {

  public static final String PASS = "pass";
  public static final String FAIL = "fail";

  public boolean passed() {
    return PASS.equals(verdict);
  }
}
