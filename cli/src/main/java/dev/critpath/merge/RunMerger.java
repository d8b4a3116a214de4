package dev.critpath.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.critpath.UserError;
import dev.critpath.bench.BenchMerge;
import dev.critpath.http.HttpResult;
import dev.critpath.http.merge.HttpMerge;
import dev.critpath.io.Json;
import dev.critpath.realtime.RealtimeMerge;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.RunDirectory;
import dev.critpath.run.RunRecord;
import dev.critpath.run.Section;
import dev.critpath.sampler.ServerLoad;
import dev.critpath.sampler.ServerLoadMerge;
import dev.critpath.sampler.StageLoad;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes one run directory from checked segment runs: the merged http, realtime and bench sections
 * and their latency logs, run.json saying which segments it holds and what it could not merge.
 * Anything that fails after the directory was created removes it again: a merge leaves a whole run
 * or none.
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
      List<Section> kinds = segments.get(0).sections();
      Map<Section, ObjectNode> sections = new LinkedHashMap<>();
      ServerLoad server = server(segments);
      if (kinds.contains(Section.HTTP)) {
        try (LatencyLog log = log(run, Section.HTTP, started)) {
          List<HttpMerge.Segment> parts = new ArrayList<>();
          for (SegmentRuns.SegmentRun s : segments) {
            parts.add(new HttpMerge.Segment(s.index(), s.http(), logOf(s, Section.HTTP)));
          }
          sections.put(Section.HTTP, HttpMerge.merge(parts, log, env, stage(server, "http")));
        }
      }
      if (kinds.contains(Section.REALTIME)) {
        try (LatencyLog log = log(run, Section.REALTIME, started)) {
          List<RealtimeMerge.Part> parts = new ArrayList<>();
          for (SegmentRuns.SegmentRun s : segments) {
            parts.add(
                new RealtimeMerge.Part(
                    s.index(), s.owner(), s.section(Section.REALTIME), logOf(s, Section.REALTIME)));
          }
          sections.put(Section.REALTIME, RealtimeMerge.merge(parts, log));
        }
      }
      if (kinds.contains(Section.BENCH)) {
        try (LatencyLog log = log(run, Section.BENCH, started)) {
          List<BenchMerge.Part> parts = new ArrayList<>();
          for (SegmentRuns.SegmentRun s : segments) {
            parts.add(
                new BenchMerge.Part(
                    s.index(), s.owner(), s.section(Section.BENCH), logOf(s, Section.BENCH)));
          }
          sections.put(Section.BENCH, BenchMerge.merge(parts, log));
        }
      }
      String verdict = verdict(sections);
      if (server != null) {
        // the server's verdicts are the http files' thresholds on it, judged above
        sections.put(Section.SERVER, Json.mapper().valueToTree(server));
      }
      Json.writeFile(
          run.path().resolve(RunDirectory.RUN_JSON), runJson(run, segments, sections, verdict));
      return new Merged(run, verdict);
    } catch (RuntimeException e) {
      run.discard();
      throw e;
    }
  }

  /**
   * The segments' server sections as one (the same server watched by each: its samples aligned, not
   * summed; the client pools' waiting summed); null when no segment sampled the server.
   */
  private static ServerLoad server(List<SegmentRuns.SegmentRun> segments) {
    if (segments.stream().allMatch(s -> s.section(Section.SERVER).isMissingNode())) {
      return null;
    }
    List<ServerLoadMerge.Part> parts = new ArrayList<>();
    for (SegmentRuns.SegmentRun s : segments) {
      JsonNode section = s.section(Section.SERVER);
      if (section.isMissingNode()) {
        throw new UserError(
            s.owner() + " has no server section while others have: re-run it with this critpath");
      }
      parts.add(
          new ServerLoadMerge.Part(
              s.owner(), Json.mapper().convertValue(section, ServerLoad.class)));
    }
    return ServerLoadMerge.merge(parts);
  }

  private static StageLoad stage(ServerLoad server, String stage) {
    if (server == null) {
      return null;
    }
    return server.stages().stream().filter(s -> s.stage().equals(stage)).findFirst().orElse(null);
  }

  private static LatencyLog log(RunDirectory run, Section section, Instant started) {
    return LatencyLog.create(run.file(LatencyLog.fileName(section)), started);
  }

  private static Path logOf(SegmentRuns.SegmentRun s, Section section) {
    return s.dir().resolve(s.section(section).path("latencyLog").asText());
  }

  /** Pass when every merged section passed: realtime by passed, the others by their verdict. */
  private static String verdict(Map<Section, ObjectNode> sections) {
    boolean pass = true;
    for (Map.Entry<Section, ObjectNode> e : sections.entrySet()) {
      pass &=
          e.getKey() == Section.REALTIME
              ? e.getValue().path("passed").asBoolean()
              : HttpResult.PASS.equals(e.getValue().path("verdict").asText());
    }
    return pass ? HttpResult.PASS : HttpResult.FAIL;
  }

  private static ObjectNode runJson(
      RunDirectory run,
      List<SegmentRuns.SegmentRun> segments,
      Map<Section, ObjectNode> sections,
      String verdict) {
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
    sections.keySet().forEach(s -> notMerged.remove(s.key()));
    root.put("startedAt", start.toString());
    root.put("finishedAt", end.toString());
    root.put("completed", completed);
    root.put("verdict", verdict);
    ObjectNode merge = root.putObject("merge");
    merge.put("count", segments.get(0).count());
    merge.set("segments", from);
    if (!notMerged.isEmpty()) {
      merge.set("notMerged", Json.mapper().valueToTree(List.copyOf(notMerged)));
    }
    ObjectNode out = root.putObject("sections");
    sections.forEach((s, node) -> out.set(s.key(), node));
    return root;
  }
}
