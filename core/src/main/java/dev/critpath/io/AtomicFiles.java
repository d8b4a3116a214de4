package dev.critpath.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader sees either the old content or the new, never half of it: write a
 * temporary file beside the target, force it to disk, then rename it over the target.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * @throws dev.critpath.UserError naming the file and the fix when it cannot be written
   */
  public static void write(Path file, byte[] content) {
    Path target = file.toAbsolutePath();
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      try {
        Files.write(tmp, content);
        try (var channel =
            java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
          channel.force(true);
        }
        try {
          Files.move(
              tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw OutputPaths.cannotWrite(target, e);
    }
  }

  public static void writeString(Path file, String content) {
    write(file, content.getBytes(StandardCharsets.UTF_8));
  }
}
