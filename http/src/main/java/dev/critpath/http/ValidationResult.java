package dev.critpath.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Functional validation (seed 000): each request called once before any load. */
public record ValidationResult(boolean passed, List<Call> calls) {

  /**
   * One validation call.
   *
   * @param bodyStart the start of the response body when the call failed, redacted
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Call(
      String request,
      String method,
      String path,
      Integer status,
      double ms,
      boolean coldStart,
      boolean passed,
      List<String> failedChecks,
      String error,
      String bodyStart) {}
}
