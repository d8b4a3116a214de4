package dev.critpath.merge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.UserError;
import dev.critpath.io.Json;
import dev.critpath.run.LatencyLog;
import dev.critpath.run.RunDirectory;
import dev.critpath.run.Section;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The segment runs a merge was given, checked before anything is written: each is a segment run
 * ({@code "segment": {"index": i, "count": N}} in run.json), all of the same N, each index once and
 * none missing, the same mergeable sections (http, realtime, bench) each with its latency log, the
 * same scenario files (name and sha256) for http, and start times within the allowed skew. Every
 * refusal is one line naming the segment.
 */
public final class SegmentRuns {
  /** One segment run read from its directory. */
  public record SegmentRun(int index, int count, Path dir, JsonNode root) {
    String owner() {
      return "segment " + index + " (" + dir + ")";
    }

    Instant startedAt() {
      return Instant.parse(root.path("startedAt").asText());
    }

    /**
     * When its load started: the first scenario file's load (after the functional validation and
     * any --start-at wait), else the run's start (realtime and bench start their run after the
     * wait).
     */
    Instant loadStartedAt() {
      for (JsonNode f : http().path("files")) {
        if (f.path("startedAt").isTextual()) {
          return Instant.parse(f.path("startedAt").asText());
        }
      }
      return startedAt();
    }

    JsonNode http() {
      return section(Section.HTTP);
    }

    JsonNode section(Section s) {
      return root.path("sections").path(s.key());
    }

    /** The sections of this run that merge combines, in {@link #MERGED} order. */
    List<Section> sections() {
      return MERGED.stream().filter(s -> !section(s).isMissingNode()).toList();
    }
  }

  /** The sections merge combines; any other is listed in run.json's merge.notMerged. */
  public static final List<Section> MERGED = List.of(Section.HTTP, Section.REALTIME, Section.BENCH);

  private SegmentRuns() {}

  /** Reads and checks the runs; returns them by segment index. */
  public static List<SegmentRun> read(List<Path> dirs, Duration maxSkew) {
    if (dirs.isEmpty()) {
      throw new UserError("merge: no run given: pass the N segment run directories");
    }
    List<SegmentRun> runs = new ArrayList<>();
    for (Path d : dirs) {
      runs.add(readOne(d));
    }
    runs.sort(Comparator.comparingInt(SegmentRun::index));
    SegmentRun first = runs.get(0);
    Map<Integer, SegmentRun> byIndex = new TreeMap<>();
    for (SegmentRun r : runs) {
      if (r.count() != first.count()) {
        throw new UserError(
            r.owner()
                + " is one of "
                + r.count()
                + " segments, segment "
                + first.index()
                + " one of "
                + first.count()
                + ": merge segments of one run only");
      }
      SegmentRun twin = byIndex.put(r.index(), r);
      if (twin != null) {
        throw new UserError(
            "segment "
                + r.index()
                + " given twice: "
                + twin.dir()
                + " and "
                + r.dir()
                + "; pass each segment once");
      }
    }
    for (int i = 1; i <= first.count(); i++) {
      if (!byIndex.containsKey(i)) {
        throw new UserError(
            "segment "
                + i
                + " of "
                + first.count()
                + " is missing: pass all "
                + first.count()
                + " segment run directories");
      }
    }
    List<Section> merged = first.sections();
    if (merged.isEmpty()) {
      throw new UserError(
          first.owner()
              + " has no http, realtime or bench section: merge combines the segment runs of"
              + " those commands");
    }
    for (SegmentRun r : runs) {
      if (!r.sections().equals(merged)) {
        throw new UserError(
            r.owner()
                + " holds the sections "
                + keys(r.sections())
                + ", segment "
                + first.index()
                + " "
                + keys(merged)
                + ": merge segments of one run");
      }
      if (merged.contains(Section.HTTP)) {
        checkHttp(r, first);
      }
      for (Section s : List.of(Section.REALTIME, Section.BENCH)) {
        if (merged.contains(s)) {
          checkLog(r, s);
        }
      }
    }
    checkSkew(runs, maxSkew);
    return runs;
  }

  private static SegmentRun readOne(Path given) {
    Path dir =
        given.getFileName() != null && given.getFileName().toString().equals(RunDirectory.RUN_JSON)
            ? given.toAbsolutePath().getParent()
            : given;
    Path runJson = dir.resolve(RunDirectory.RUN_JSON);
    if (!Files.isRegularFile(runJson)) {
      throw new UserError(given + " has no run.json: pass run directories (results/<run-id>)");
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(runJson.toFile());
    } catch (IOException e) {
      throw new UserError(runJson + " is not valid JSON: re-run that segment");
    }
    JsonNode segment = root.path("segment");
    if (!segment.path("index").canConvertToInt() || !segment.path("count").canConvertToInt()) {
      throw new UserError(
          dir
              + " is not a segment run (run.json has no \"segment\"): run each part with"
              + " --segment i/N");
    }
    int index = segment.path("index").asInt();
    int count = segment.path("count").asInt();
    if (count < 1 || index < 1 || index > count) {
      throw new UserError(
          dir + " says segment " + index + "/" + count + ": not a segment of a run, re-run it");
    }
    return new SegmentRun(index, count, dir, root);
  }

  /** The same scenario files (by name and sha256) as the first, and a latency log to add. */
  private static void checkHttp(SegmentRun r, SegmentRun first) {
    JsonNode http = r.http();
    String files = files(http);
    String expected = files(first.http());
    if (!files.equals(expected)) {
      throw new UserError(
          r.owner()
              + " ran other scenario files than segment "
              + first.index()
              + " ("
              + files
              + " vs "
              + expected
              + "): merge segments of one scenario run");
    }
    checkLog(r, Section.HTTP);
  }

  /** The section's latency log exists: without it nothing can be added exactly. */
  private static void checkLog(SegmentRun r, Section section) {
    String log = r.section(section).path("latencyLog").asText(null);
    if (log == null || !Files.isRegularFile(r.dir().resolve(log))) {
      throw new UserError(
          r.owner()
              + " has no latency log ("
              + LatencyLog.fileName(section)
              + "): it was run by a critpath without one, re-run it");
    }
  }

  private static List<String> keys(List<Section> sections) {
    return sections.stream().map(Section::key).toList();
  }

  /** "name sha256-prefix" of every file, in order: what must match across segments. */
  private static String files(JsonNode http) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : http.path("files")) {
      String sha = f.path("sha256").asText("none");
      out.add(f.path("name").asText() + "@" + sha.substring(0, Math.min(12, sha.length())));
    }
    return String.join(", ", out);
  }

  private static void checkSkew(List<SegmentRun> runs, Duration maxSkew) {
    SegmentRun earliest = runs.stream().min(Comparator.comparing(SegmentRun::loadStartedAt)).get();
    for (SegmentRun r : runs) {
      Duration apart = Duration.between(earliest.loadStartedAt(), r.loadStartedAt());
      if (apart.compareTo(maxSkew) > 0) {
        throw new UserError(
            r.owner()
                + " started its load "
                + apart.toSeconds()
                + " s after segment "
                + earliest.index()
                + " (more than "
                + maxSkew.toSeconds()
                + " s, --max-skew): the loads did not overlap; start the segments together"
                + " (--start-at), or check the machines' clocks");
      }
    }
  }
}
