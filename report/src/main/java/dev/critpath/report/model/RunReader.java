package dev.critpath.report.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.critpath.UserError;
import dev.critpath.io.Json;
import dev.critpath.report.env.Environment;
import dev.critpath.run.RunDirectory;
import dev.critpath.run.RunRecord;
import dev.critpath.run.Section;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a run from its files (run.json, jmh.json, explain/*.json) into a {@link RunView}: checks
 * the version, then hands each {@link Section} to its reader (bench and explain to {@link
 * BenchReader}, http, realtime, rls, inspect, environment and dataset, facts, stage notes). It uses
 * none of the producing modules' classes, so it reads results copied from CI; sections a run lacks,
 * and fields a producer leaves out, read as empty rather than failing the report.
 */
public final class RunReader {
  /**
   * The run.json schema version this reader understands. Older runs (1: realtime latencies as
   * p95Ms; 2: targets and thresholds as text) are not read, so no fallback hides a shape change.
   */
  public static final int SUPPORTED_SCHEMA_VERSION = RunRecord.SCHEMA_VERSION;

  /** One line for a run.json that does not parse: the cause in Jackson's words, no internals. */
  public static UserError damaged(Path file, JsonProcessingException e) {
    return new UserError(
        file
            + " is not valid JSON ("
            + e.getOriginalMessage()
            + "): the run was cut short or the file was damaged; re-run it");
  }

  private RunReader() {}

  /** The run.json of a run directory, or the file itself when given one. */
  public static Path runJson(Path dirOrFile) {
    return Files.isDirectory(dirOrFile) ? dirOrFile.resolve(RunDirectory.RUN_JSON) : dirOrFile;
  }

  /**
   * Reads a run.
   *
   * @param dirOrFile a run directory, or its run.json
   * @throws UserError when the file is missing, not JSON, or of a newer schema version
   */
  public static RunView read(Path dirOrFile) {
    Path file = runJson(dirOrFile);
    if (!Files.isRegularFile(file)) {
      throw new UserError(
          "no run.json at "
              + file
              + ": pass a run directory (results/<run-id>) or its run.json, from a run that got"
              + " past its first stage");
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw damaged(file, e);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || !root.has("schemaVersion")) {
      throw new UserError(file + " is not a critpath run.json (no schemaVersion)");
    }
    return read(root, file.toAbsolutePath().getParent());
  }

  /** Reads a run from run.json's content; {@code dir} is where jmh.json and plans are looked up. */
  public static RunView read(JsonNode root, Path dir) {
    int version = root.path("schemaVersion").asInt(-1);
    if (version != SUPPORTED_SCHEMA_VERSION) {
      throw new UserError(
          "run.json in "
              + dir
              + " has schemaVersion "
              + root.path("schemaVersion").asText()
              + ", this critpath reads version "
              + SUPPORTED_SCHEMA_VERSION
              + ": use the critpath version that wrote it, or re-run");
    }
    List<String> notes = new ArrayList<>();
    JsonNode sections = root.path("sections");
    List<String> sectionNames = new ArrayList<>();
    sections.fieldNames().forEachRemaining(sectionNames::add);

    Environment env = EnvironmentReader.environment(sections.get(Section.ENVIRONMENT.key()), notes);
    DatasetView dataset = EnvironmentReader.dataset(sections, env);
    List<JmhResult> jmh = JmhEntries.read(dir, sections.get(Section.BENCH.key()), notes);
    List<QueryView> queries =
        BenchReader.queries(
            sections.get(Section.BENCH.key()),
            sections.get(Section.EXPLAIN.key()),
            jmh,
            dir,
            notes);
    List<FindingView> findings =
        InspectReader.indexFindings(sections.get(Section.INSPECT.key()), notes);
    List<HttpFile> http = HttpReader.files(sections.get(Section.HTTP.key()));
    StageNotesReader.notes(sections, notes);
    return new RunView(
        dir,
        version,
        J.str(root, "runId"),
        instant(J.str(root, "startedAt")),
        instant(J.str(root, "finishedAt")),
        root.path("completed").asBoolean(false),
        J.str(root, "verdict"),
        env,
        dataset,
        queries,
        findings,
        http,
        RealtimeReader.read(sections.get(Section.REALTIME.key())),
        RlsReader.read(sections.get(Section.RLS.key())),
        InDatabaseRow.read(sections.get(Section.IN_DATABASE.key())),
        jmh,
        FactsReader.facts(sections),
        sectionNames,
        notes,
        ServerLoadReader.read(sections.get(Section.SERVER.key())));
  }

  /** The fact naming what was between critpath and the server. */
  /** The name of the check that a query's plan was captured. */
  public static final String PLAN_CAPTURED = "plan captured";

  public static final String CONNECTION_FACT = "connection";

  /** Facts that start with this say what a stage could not capture. */
  public static final String NOT_CAPTURED_FACT = "not captured";

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
