package dev.critpath.io;

import dev.critpath.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Output directories checked before any work: a command that cannot write its results says so
 * before it touches a database, and writes nothing.
 */
public final class OutputPaths {
  private OutputPaths() {}

  /**
   * Checks that {@code dir} is, or can be created as, a writable directory; creates nothing.
   *
   * @param option the option that names it, for the message ({@code --results})
   * @throws UserError naming the path, the reason and the fix
   */
  public static void checkWritable(Path dir, String option) {
    Path absolute = dir.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    String problem = null;
    if (existing == null) {
      problem = "no part of it exists";
    } else if (!Files.isDirectory(existing)) {
      problem = existing + " is not a directory";
    } else if (!Files.isWritable(existing) || !Files.isExecutable(existing)) {
      problem = existing + " is not writable";
    }
    if (problem != null) {
      throw new UserError(
          "cannot write to "
              + option
              + " "
              + dir
              + ": "
              + problem
              + "; fix: give "
              + option
              + " a directory you can write to");
    }
  }

  /** The error for a write that failed: the path, the reason and the fix. */
  public static UserError cannotWrite(Path file, IOException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new UserError(
        "cannot write "
            + file
            + " ("
            + e.getClass().getSimpleName()
            + ": "
            + reason
            + "); fix: free disk space or make the directory writable, or choose another output"
            + " directory (--results, --out)",
        e);
  }
}
