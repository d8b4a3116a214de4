package dev.critpath.report.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.critpath.report.env.Environment;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A run as the report module sees it: run.json (plus jmh.json and explain/*.json beside it) read
 * into one model every writer and the comparison share. Sections a run lacks read as empty.
 *
 * @param directory the run directory the files were read from
 * @param verdict pass, fail or error as the run recorded it; null when it did not finish
 * @param facts run-level facts in display order (measurement settings, cache hit ratios, HTTP
 *     target), label to value
 * @param sections the section names run.json holds, in file order
 * @param notes things the reader noticed (missing sections, unreadable plan files)
 */
public record RunView(
    @JsonIgnore Path directory,
    int schemaVersion,
    String runId,
    Instant startedAt,
    Instant finishedAt,
    boolean completed,
    String verdict,
    Environment environment,
    DatasetView dataset,
    List<QueryView> queries,
    List<Finding> indexFindings,
    List<HttpFile> http,
    @JsonIgnore List<JmhResult> jmh,
    java.util.Map<String, String> facts,
    List<String> sections,
    List<String> notes) {

  /**
   * The verdict to show: the recorded one, or, for a run that did not record one, FAIL when any
   * check failed and ERROR when it did not complete.
   */
  public String effectiveVerdict() {
    if (verdict != null) {
      return verdict.toLowerCase(Locale.ROOT);
    }
    if (queries.stream().anyMatch(q -> q.verdict() == Status.FAIL)
        || http.stream().anyMatch(h -> h.status() == Status.FAIL)) {
      return "fail";
    }
    return completed ? "pass" : "incomplete";
  }

  /** Every check of every query and scenario. */
  public List<CheckResult> allChecks() {
    java.util.ArrayList<CheckResult> all = new java.util.ArrayList<>();
    queries.forEach(q -> all.addAll(q.checks()));
    http.forEach(h -> all.addAll(h.checks()));
    return all;
  }

  public QueryView query(String name) {
    return queries.stream().filter(q -> q.name().equals(name)).findFirst().orElse(null);
  }
}
