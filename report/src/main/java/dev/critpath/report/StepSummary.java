package dev.critpath.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** GitHub Actions' job summary: Markdown appended to the file named by $GITHUB_STEP_SUMMARY. */
public final class StepSummary {
  public static final String VARIABLE = "GITHUB_STEP_SUMMARY";

  private StepSummary() {}

  /** The summary file when running in GitHub Actions, else null. */
  public static Path fromEnvironment() {
    String value = System.getenv(VARIABLE);
    return value == null || value.isBlank() ? null : Path.of(value);
  }

  /**
   * Appends {@code markdown}. The runner owns this file and every step appends to it, so this is
   * the one file critpath appends to instead of replacing atomically.
   */
  public static void append(Path summary, String markdown) {
    if (summary == null || markdown == null) {
      return;
    }
    try {
      Files.writeString(
          summary,
          markdown.endsWith("\n") ? markdown : markdown + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + VARIABLE + " file " + summary, e);
    }
  }
}
