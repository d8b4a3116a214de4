package dev.critpath.supabase;

import dev.critpath.Secrets;
import dev.critpath.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The npm packages of a Deno program (Deno itself, the functions' and the relay's {@code postgres}
 * driver), installed with {@code npm ci} when they are missing or older than the lock file: Deno
 * refuses to start on a {@code node_modules} that does not match it ("Could not find postgres in a
 * node_modules folder"), which is what a checkout whose lock moved on leaves behind.
 */
public final class NpmInstall {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  /** npm's record of what it installed; newer than package-lock.json when up to date. */
  private static final String INSTALLED_LOCK = "node_modules/.package-lock.json";

  private NpmInstall() {}

  /** Whether {@code dir}'s node_modules is missing or older than its package-lock.json. */
  public static boolean stale(Path dir) {
    Path lock = dir.resolve("package-lock.json");
    Path installed = dir.resolve(INSTALLED_LOCK);
    if (!Files.isRegularFile(lock)) {
      return false;
    }
    try {
      return !Files.isRegularFile(installed)
          || Files.getLastModifiedTime(lock).compareTo(Files.getLastModifiedTime(installed)) > 0;
    } catch (IOException e) {
      return true;
    }
  }

  /** Runs {@code npm ci} in {@code dir} when {@link #stale} says so. */
  public static void ensure(Path dir) {
    if (stale(dir)) {
      run(dir);
    }
  }

  /** Runs {@code npm ci} in {@code dir}; one line naming the fix when it cannot. */
  public static void run(Path dir) {
    ProcessBuilder pb =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
            .directory(dir.toFile())
            .redirectErrorStream(true);
    try {
      Process p = pb.start();
      CompletableFuture<String> output =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                  return "";
                }
              });
      if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new UserError(
            "`npm ci` in " + dir + " did not finish in " + TIMEOUT.toMinutes() + " minutes");
      }
      if (p.exitValue() != 0) {
        throw new UserError(
            "`npm ci` in "
                + dir
                + " failed: "
                + Secrets.redact(lastLine(output.join()))
                + " (run it by hand to see why)");
      }
    } catch (IOException e) {
      throw new UserError("npm is not available: install Node.js (npm) and run `npm ci` in " + dir);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while running npm ci in " + dir);
    }
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\\R");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }
}
