package dev.critpath.run;

import dev.critpath.io.Json;
import dev.critpath.io.OutputPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code results/<run-id>/}: one directory per run, holding run.json and every file written from
 * it; {@code results/latest} points at the newest. run.json is rewritten atomically after each
 * stage, so a reader never sees half a file and an interrupted run still holds what it measured.
 */
public final class RunDirectory {
  public static final String RUN_JSON = "run.json";
  public static final String LATEST = "latest";
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final RunRecord record;
  private final Path previousLatest;

  private RunDirectory(Path dir, RunRecord record, Path previousLatest) {
    this.dir = dir;
    this.record = record;
    this.previousLatest = previousLatest;
  }

  /** Creates {@code resultsRoot/<new run id>/}, points latest at it and saves a first run.json. */
  public static RunDirectory create(Path resultsRoot) {
    Instant now = Instant.now();
    String id =
        ID_TIME.format(now)
            + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    Path dir = resultsRoot.resolve(id);
    Path latest = resultsRoot.resolve(LATEST);
    Path previous;
    try {
      previous = Files.isSymbolicLink(latest) ? Files.readSymbolicLink(latest) : null;
      Files.createDirectories(dir);
      pointLatestAt(resultsRoot, Path.of(id));
    } catch (IOException e) {
      throw OutputPaths.cannotWrite(dir, e);
    }
    RunDirectory run = new RunDirectory(dir, new RunRecord(id, now), previous);
    run.save();
    return run;
  }

  /** Renames a new link over the old one: readers see the old or the new target, never none. */
  private static void pointLatestAt(Path resultsRoot, Path target) throws IOException {
    Path tmpLink = resultsRoot.resolve("." + LATEST + "-" + target.getFileName());
    Files.deleteIfExists(tmpLink);
    Files.createSymbolicLink(tmpLink, target);
    Files.move(
        tmpLink,
        resultsRoot.resolve(LATEST),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Undoes {@link #create} for a run that stopped on a usage error before it measured anything: the
   * directory is removed and {@code latest} points where it pointed before.
   */
  public void discard() {
    Path root = dir.getParent();
    try {
      if (previousLatest != null) {
        pointLatestAt(root, previousLatest);
      } else {
        Files.deleteIfExists(root.resolve(LATEST));
      }
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      throw OutputPaths.cannotWrite(dir, e);
    }
  }

  public Path path() {
    return dir;
  }

  public RunRecord record() {
    return record;
  }

  /** A file inside the run directory (its parent directories created). */
  public Path file(String relative) {
    Path file = dir.resolve(relative);
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw OutputPaths.cannotWrite(file, e);
    }
    return file;
  }

  /** Adds a stage's section and saves run.json. */
  public void put(Section section, Object value) {
    record.put(section, value);
    save();
  }

  /** Saves run.json atomically. */
  public synchronized void save() {
    Json.writeFile(dir.resolve(RUN_JSON), record);
  }
}
