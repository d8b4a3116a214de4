package dev.critpath.inspect;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Whether one rule ran, and on what: a rule whose inputs were unreadable is SKIPPED with the
 * reason, so a report never mistakes "could not look" for "nothing found".
 *
 * @param note why it was skipped or what limited it; empty when it ran on everything
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CheckRun(String check, String title, Status status, int findings, String note) {

  /** How completely a rule ran. */
  public enum Status {
    RAN,
    /** ran, but on part of the database (some statistics were not visible). */
    PARTIAL,
    SKIPPED
  }

  static CheckRun ran(String check, int findings, String note) {
    return new CheckRun(check, Checks.title(check), Status.RAN, findings, note);
  }

  static CheckRun partial(String check, int findings, String note) {
    return new CheckRun(check, Checks.title(check), Status.PARTIAL, findings, note);
  }

  static CheckRun skipped(String check, String reason) {
    return new CheckRun(check, Checks.title(check), Status.SKIPPED, 0, reason);
  }
}
