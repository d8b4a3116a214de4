package dev.critpath.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.http.HttpResult;
import dev.critpath.http.merge.HttpMerge;
import dev.critpath.io.Json;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.RunDirectory;
import dev.critpath.run.RunRecord;
import dev.critpath.run.Section;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes one run directory from checked segment runs: the merged http section and its latency log,
 * run.json saying which segments it holds and what it could not merge. Anything that fails after
 * the directory was created removes it again: a merge leaves a whole run or none.
 */
public final class RunMerger {
  private RunMerger() {}

  /** The merged run's directory and verdict. */
  public record Merged(RunDirectory run, String verdict) {}

  public static Merged merge(
      List<SegmentRuns.SegmentRun> segments, Path resultsRoot, Map<String, String> env) {
    Instant started =
        segments.stream().map(SegmentRuns.SegmentRun::startedAt).min(Instant::compareTo).get();
    RunDirectory run = RunDirectory.create(resultsRoot);
    try {
      ObjectNode http;
      try (LatencyLog log =
          LatencyLog.create(run.file(LatencyLog.fileName(Section.HTTP)), started)) {
        List<HttpMerge.Segment> parts = new ArrayList<>();
        for (SegmentRuns.SegmentRun s : segments) {
          parts.add(
              new HttpMerge.Segment(
                  s.index(), s.http(), s.dir().resolve(s.http().path("latencyLog").asText())));
        }
        http = HttpMerge.merge(parts, log, env);
      }
      String verdict = http.path("verdict").asText(HttpResult.FAIL);
      Json.writeFile(run.path().resolve(RunDirectory.RUN_JSON), runJson(run, segments, http));
      return new Merged(run, verdict);
    } catch (RuntimeException e) {
      run.discard();
      throw e;
    }
  }

  private static ObjectNode runJson(
      RunDirectory run, List<SegmentRuns.SegmentRun> segments, ObjectNode http) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("schemaVersion", RunRecord.SCHEMA_VERSION);
    root.put("runId", run.record().getRunId());
    Instant start = null;
    Instant end = null;
    boolean completed = true;
    ArrayNode from = Json.mapper().createArrayNode();
    TreeSet<String> notMerged = new TreeSet<>();
    for (SegmentRuns.SegmentRun s : segments) {
      Instant st = s.startedAt();
      JsonNode fin = s.root().path("finishedAt");
      Instant en = fin.isTextual() ? Instant.parse(fin.asText()) : st;
      start = start == null || st.isBefore(start) ? st : start;
      end = end == null || en.isAfter(end) ? en : end;
      completed &= s.root().path("completed").asBoolean(false);
      ObjectNode f = from.addObject();
      f.put("index", s.index());
      f.put("runId", s.root().path("runId").asText());
      f.put("path", s.dir().toAbsolutePath().normalize().toString());
      s.root().path("sections").fieldNames().forEachRemaining(notMerged::add);
    }
    notMerged.remove(Section.HTTP.key());
    root.put("startedAt", start.toString());
    root.put("finishedAt", end.toString());
    root.put("completed", completed);
    root.put("verdict", http.path("verdict").asText());
    ObjectNode merge = root.putObject("merge");
    merge.put("count", segments.get(0).count());
    merge.set("segments", from);
    if (!notMerged.isEmpty()) {
      merge.set("notMerged", Json.mapper().valueToTree(List.copyOf(notMerged)));
    }
    root.putObject("sections").set(Section.HTTP.key(), http);
    return root;
  }
}
