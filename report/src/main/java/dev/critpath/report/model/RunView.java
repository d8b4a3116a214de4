package dev.critpath.report.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.critpath.report.env.Environment;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
 * @param realtime the realtime scenarios, empty when the run measured none
 * @param rls the tenant-boundary check of every read path, null when the run did not check
 * @param inDatabase critpath.run_performance_tests()'s numbers, empty when the run has none
 * @param sections the section names run.json holds, in file order
 * @param notes things the reader noticed (missing sections, unreadable plan files)
 * @param server the server under each stage's load, empty when the run sampled none
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
    List<FindingView> indexFindings,
    List<HttpFile> http,
    List<RealtimeScenario> realtime,
    RlsView rls,
    List<InDatabaseRow> inDatabase,
    @JsonIgnore List<JmhResult> jmh,
    java.util.Map<String, String> facts,
    List<String> sections,
    List<String> notes,
    List<ServerStage> server) {

  /**
   * The verdict to show: the recorded one, or, for a run that did not record one, FAIL when any
   * check failed and ERROR when it did not complete.
   */
  public String effectiveVerdict() {
    if (verdict != null) {
      return verdict.toLowerCase(Locale.ROOT);
    }
    if (allChecks().stream().anyMatch(CheckResult::failed)
        || http.stream().anyMatch(h -> h.status() == Status.FAIL)) {
      return "fail";
    }
    return completed ? "pass" : "incomplete";
  }

  /** Every check of every query, scenario and read path. */
  public List<CheckResult> allChecks() {
    List<CheckResult> all = new ArrayList<>();
    checkGroups().forEach(g -> all.addAll(g.checks()));
    return all;
  }

  /** The checks by subject: queries, HTTP files, realtime scenarios, then read paths' RLS. */
  public List<CheckGroup> checkGroups() {
    List<CheckGroup> groups = new ArrayList<>();
    queries.forEach(
        q -> groups.add(new CheckGroup(q.name(), "critpath.query." + q.name(), q.checks())));
    http.forEach(
        f ->
            groups.add(
                new CheckGroup("http " + f.name(), "critpath.http." + f.name(), f.checks())));
    realtime.forEach(
        s ->
            groups.add(
                new CheckGroup(
                    "realtime " + s.name(),
                    "critpath.realtime." + s.name().toLowerCase(Locale.ROOT).replace(' ', '-'),
                    s.checks())));
    if (rls != null) {
      rls.paths()
          .forEach(
              p ->
                  groups.add(
                      new CheckGroup("rls " + p.query(), "critpath.rls." + p.query(), p.checks())));
    }
    return groups;
  }

  public QueryView query(String name) {
    return queries.stream().filter(q -> q.name().equals(name)).findFirst().orElse(null);
  }
}
