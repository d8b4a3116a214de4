package dev.critpath.run;

import dev.critpath.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  private RunDirectory(Path dir, RunRecord record) {
    this.dir = dir;
    this.record = record;
  }

  /** Creates {@code resultsRoot/<new run id>/}, points latest at it and saves a first run.json. */
  public static RunDirectory create(Path resultsRoot) {
    Instant now = Instant.now();
    String id =
        ID_TIME.format(now)
            + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    Path dir = resultsRoot.resolve(id);
    try {
      Files.createDirectories(dir);
      Path latest = resultsRoot.resolve(LATEST);
      Path tmpLink = resultsRoot.resolve("." + LATEST + "-" + id);
      Files.deleteIfExists(tmpLink);
      Files.createSymbolicLink(tmpLink, Path.of(id));
      // rename over the old link: readers see the old or the new target, never none
      Files.move(
          tmpLink,
          latest,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory under " + resultsRoot, e);
    }
    RunDirectory run = new RunDirectory(dir, new RunRecord(id, now));
    run.save();
    return run;
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
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Adds a stage's section and saves run.json. */
  public void put(String section, Object value) {
    record.put(section, value);
    save();
  }

  /** Saves run.json atomically. */
  public synchronized void save() {
    Json.writeFile(dir.resolve(RUN_JSON), record);
  }
}
