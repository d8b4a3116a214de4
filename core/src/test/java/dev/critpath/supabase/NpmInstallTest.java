package dev.critpath.supabase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a Deno program's packages must be installed again: a checkout whose lock file moved on (a
 * dependency update) leaves a node_modules that Deno refuses to start with.
 */
class NpmInstallTest {

  @Test
  void missingOrOlderThanTheLockIsStaleAndAFreshInstallIsNot(@TempDir Path dir) throws Exception {
    assertThat(NpmInstall.stale(dir)).as("no package-lock.json: nothing to install").isFalse();

    Path lock = Files.writeString(dir.resolve("package-lock.json"), "{}");
    assertThat(NpmInstall.stale(dir)).as("never installed").isTrue();

    Path installed = dir.resolve("node_modules/.package-lock.json");
    Files.createDirectories(installed.getParent());
    Files.writeString(installed, "{}");
    Instant t = Instant.parse("2026-12-01T00:00:00Z");
    Files.setLastModifiedTime(lock, FileTime.from(t));
    Files.setLastModifiedTime(installed, FileTime.from(t.plusSeconds(5)));
    assertThat(NpmInstall.stale(dir)).as("installed after the lock was written").isFalse();

    Files.setLastModifiedTime(lock, FileTime.from(t.plusSeconds(60)));
    assertThat(NpmInstall.stale(dir)).as("the lock moved on (git pull of an update)").isTrue();
  }
}
